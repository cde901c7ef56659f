// What the AI section says about the API key: the field's placeholder and, where no key can be stored here,
// where the key comes from and how to give one to `paige serve`.
import type { InvokeOutput } from '../../../shared/ipc/contract';

type ApiKeyView = InvokeOutput<'llm:usage'>['apiKey'];

/** The dots only stand for a key Settings actually holds; a key from the environment is not in the field's store. */
export function apiKeyPlaceholder(apiKey: Pick<ApiKeyView, 'source'> | undefined): string {
  return apiKey?.source === 'store' ? '•••••••• (enter a new key to replace it)' : 'sk-ant-…';
}

/** Where the key comes from when Settings cannot store one (headless or no keyring). */
export function envOnlyKeyText(apiKey: Pick<ApiKeyView, 'source'>): string {
  return apiKey.source === 'env'
    ? 'The key comes from the ANTHROPIC_API_KEY environment variable of this Paige.'
    : 'No key is set: ANTHROPIC_API_KEY is not in the environment of this Paige.';
}
