import { describe, expect, it } from 'vitest';
import { describeWrapUpError } from './wrap-up-error';

describe('describeWrapUpError', () => {
  it('gives a sentence per code and keeps the technical text as the detail', () => {
    const raw =
      "LLM_INVALID_OUTPUT: The model's answer does not match the expected shape: ✖ Invalid input → at kata_specs[0].constraints";
    expect(describeWrapUpError(raw)).toEqual({
      sentence: "The model's answer could not be read. Retry usually fixes this.",
      detail: raw,
    });
    expect(describeWrapUpError('LLM_SERVER: 529 overloaded').sentence).toMatch(/problem on its side/);
    expect(describeWrapUpError('interrupted: Paige stopped before this agent finished').sentence).toMatch(
      /Paige stopped/,
    );
  });

  it('shows the no-key message as it is, without details', () => {
    expect(describeWrapUpError('LLM_DISABLED: No Anthropic API key: set ANTHROPIC_API_KEY.')).toEqual({
      sentence: 'No Anthropic API key: set ANTHROPIC_API_KEY.',
      detail: null,
    });
  });

  it('falls back to a general sentence for an unknown code or plain text', () => {
    expect(describeWrapUpError('Error: boom')).toMatchObject({ sentence: /This step failed/, detail: 'Error: boom' });
    expect(describeWrapUpError('something odd')).toMatchObject({ detail: 'something odd' });
  });
});
