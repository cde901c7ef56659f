// The Anthropic SDK, loaded on the first model call instead of at start-up: requiring it takes ~70 ms, the largest
// single part of what `paige serve` would otherwise load before its ready line, and nothing before a model call
// needs it. Node's module cache makes every call after the first cheap.
import type * as SdkModule from '@anthropic-ai/sdk';
import type * as TransformModule from '@anthropic-ai/sdk/lib/transform-json-schema';

export interface AnthropicSdk {
  Anthropic: typeof SdkModule.Anthropic;
  transformJSONSchema: typeof TransformModule.transformJSONSchema;
  APIConnectionError: typeof SdkModule.APIConnectionError;
  APIError: typeof SdkModule.APIError;
  APIUserAbortError: typeof SdkModule.APIUserAbortError;
  AuthenticationError: typeof SdkModule.AuthenticationError;
  NotFoundError: typeof SdkModule.NotFoundError;
  PermissionDeniedError: typeof SdkModule.PermissionDeniedError;
  RateLimitError: typeof SdkModule.RateLimitError;
}

let loading: Promise<AnthropicSdk> | null = null;
let loaded: AnthropicSdk | null = null;

/** The SDK if a call has loaded it, else null (then nothing can have thrown one of its errors). */
export function loadedAnthropicSdk(): AnthropicSdk | null {
  return loaded;
}

export function loadAnthropicSdk(): Promise<AnthropicSdk> {
  loading ??= (async () => {
    const [sdk, transform] = await Promise.all([
      import('@anthropic-ai/sdk'),
      import('@anthropic-ai/sdk/lib/transform-json-schema'),
    ]);
    loaded = {
      Anthropic: sdk.Anthropic,
      transformJSONSchema: transform.transformJSONSchema,
      APIConnectionError: sdk.APIConnectionError,
      APIError: sdk.APIError,
      APIUserAbortError: sdk.APIUserAbortError,
      AuthenticationError: sdk.AuthenticationError,
      NotFoundError: sdk.NotFoundError,
      PermissionDeniedError: sdk.PermissionDeniedError,
      RateLimitError: sdk.RateLimitError,
    };
    return loaded;
  })();
  return loading;
}
