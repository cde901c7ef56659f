import { describe, expect, it } from 'vitest';
import { apiKeyPlaceholder, envOnlyKeyText } from './api-key-view';

describe('api key view', () => {
  it('shows the dots only for a stored key', () => {
    expect(apiKeyPlaceholder({ source: 'store' })).toContain('••••');
    expect(apiKeyPlaceholder({ source: 'env' })).toBe('sk-ant-…');
    expect(apiKeyPlaceholder({ source: 'none' })).toBe('sk-ant-…');
    expect(apiKeyPlaceholder(undefined)).toBe('sk-ant-…');
  });

  it('says where the key comes from when none can be stored', () => {
    expect(envOnlyKeyText({ source: 'env' })).toContain('comes from the ANTHROPIC_API_KEY');
    expect(envOnlyKeyText({ source: 'none' })).toContain('No key is set');
  });
});
