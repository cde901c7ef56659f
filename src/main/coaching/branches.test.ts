import { describe, expect, it } from 'vitest';
import { kebab } from './branches';

describe('kebab', () => {
  it('keeps lowercase ASCII words joined by single hyphens, cut to the limit without a trailing hyphen', () => {
    expect(kebab('42: Quoted CSV fields — Ünïcode!')).toBe('42-quoted-csv-fields-unicode');
    expect(kebab('../../etc/passwd')).toBe('etc-passwd');
    expect(kebab('a'.repeat(49) + ' bc', 50)).toBe('a'.repeat(49));
    expect(kebab('///')).toBe('');
  });
});
