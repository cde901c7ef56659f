import { describe, expect, it } from 'vitest';
import { noKeyAdvice } from '../no-key-advice';

describe('noKeyAdvice', () => {
  it('points to Settings → AI where a key can be stored', () => {
    const text = noKeyAdvice(true, 'chat with Paige');
    expect(text).toContain('Settings → AI');
    expect(text).toContain('ANTHROPIC_API_KEY');
    expect(text).toMatch(/to chat with Paige\.$/);
  });

  it('points only to the environment where no key can be stored', () => {
    const text = noKeyAdvice(false, 'run the wrap-up agents');
    expect(text).not.toContain('Settings');
    expect(text).toContain('ANTHROPIC_API_KEY=sk-ant-… paige serve');
    expect(text).toMatch(/to run the wrap-up agents\.$/);
  });
});
