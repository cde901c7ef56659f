import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type SettingsView } from '../../../shared/settings/schema';
import {
  SETTING_FIELDS,
  buildSettingsPatch,
  currentDraft,
  errorSummary,
  fieldHelp,
  humanIssue,
  overrideLabel,
  overrideSource,
  parseDraft,
  type SettingField,
  visibleFields,
} from './settings-form';

function field(key: string): SettingField {
  const found = SETTING_FIELDS.find((f) => f.key === key);
  if (!found) throw new Error(`no field ${key}`);
  return found;
}

const view: SettingsView = {
  values: DEFAULT_SETTINGS,
  overrides: { 'observer.cooldownMs': 'env' },
  restartRequired: [],
  apiKey: { present: false, source: 'none' },
  activeKeys: SETTING_FIELDS.map((f) => f.key),
};

describe('settings form', () => {
  it('shows only the settings a present feature reads', () => {
    const keys = visibleFields({ ...view, activeKeys: ['logging.level', 'safety.mode'] }).map((f) => f.key);
    expect(keys).toEqual(['logging.level', 'safety.mode']);
  });

  it('reads current values as drafts', () => {
    expect(currentDraft(field('observer.cooldownMs'), view)).toBe('120000');
    expect(currentDraft(field('observer.enabled'), view)).toBe(true);
    expect(currentDraft(field('logging.level'), view)).toBe('info');
  });

  it('parses drafts by kind', () => {
    expect(parseDraft(field('observer.cooldownMs'), ' 60_000 ')).toEqual({ ok: true, value: 60_000 });
    expect(parseDraft(field('observer.cooldownMs'), '1.5')).toMatchObject({ ok: false });
    expect(parseDraft(field('logging.level'), 'loud')).toMatchObject({ ok: false });
    expect(parseDraft(field('observer.enabled'), false)).toEqual({ ok: true, value: false });
    expect(parseDraft(field('observer.confidence'), ' 0.8 ')).toEqual({ ok: true, value: 0.8 });
    expect(parseDraft(field('observer.confidence'), 'high')).toMatchObject({ ok: false });
  });

  it('has a field for every observer setting but the delivery path, which offers one working choice (pty)', () => {
    const keys = SETTING_FIELDS.map((f) => f.key).filter((k) => k.startsWith('observer.'));
    expect(keys.sort()).toEqual(
      Object.keys(DEFAULT_SETTINGS.observer)
        .map((k) => `observer.${k}`)
        .filter((k) => k !== 'observer.nudgeDelivery')
        .sort(),
    );
  });

  it('parses the AI section: nullable URL and budgets, models per alias', () => {
    expect(parseDraft(field('llm.baseUrl'), '  ')).toEqual({ ok: true, value: null });
    expect(parseDraft(field('llm.baseUrl'), ' http://127.0.0.1:9 ')).toEqual({ ok: true, value: 'http://127.0.0.1:9' });
    expect(parseDraft(field('llm.budgetDailyUsd'), '')).toEqual({ ok: true, value: null });
    expect(parseDraft(field('llm.budgetDailyUsd'), '$2.50')).toEqual({ ok: true, value: 2.5 });
    expect(parseDraft(field('llm.budgetDailyUsd'), 'lots')).toMatchObject({ ok: false });
    const models = field('llm.models');
    expect(currentDraft(models, view)).toBe(
      Object.entries(DEFAULT_SETTINGS.llm.models)
        .map(([alias, ids]) => `${alias}: ${ids.join(', ')}`)
        .join('\n'),
    );
    expect(parseDraft(models, 'sonnet: a, b\n\nhaiku:c')).toEqual({
      ok: true,
      value: { sonnet: ['a', 'b'], haiku: ['c'] },
    });
    expect(parseDraft(models, 'sonnet')).toMatchObject({ ok: false });
    expect(parseDraft(models, 'sonnet:')).toMatchObject({ ok: false });
    expect(parseDraft(models, '')).toMatchObject({ ok: false });
  });

  it('shows schema errors of the AI section next to their field', () => {
    const result = buildSettingsPatch(SETTING_FIELDS, {
      'llm.baseUrl': 'http://example.com',
      'llm.models': 'sonnet: a, b, c, d, e',
      'llm.budgetMonthlyUsd': '0',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(['llm.baseUrl', 'llm.budgetMonthlyUsd', 'llm.models']);
    expect(result.errors['llm.baseUrl']).toMatch(/https/);
  });

  it('builds a nested patch', () => {
    const result = buildSettingsPatch(SETTING_FIELDS, {
      'logging.level': 'debug',
      'observer.enabled': false,
      'terminal.command': 'bash',
    });
    expect(result).toEqual({
      ok: true,
      patch: { logging: { level: 'debug' }, observer: { enabled: false }, terminal: { command: 'bash' } },
      keys: ['logging.level', 'observer.enabled', 'terminal.command'],
    });
  });

  it('reports schema errors per key', () => {
    const result = buildSettingsPatch(SETTING_FIELDS, { 'observer.cooldownMs': '5', 'mcp.port': 'abc' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(['mcp.port', 'observer.cooldownMs']);
  });

  it('says number ranges in words, with durations spelled out', () => {
    const result = buildSettingsPatch(SETTING_FIELDS, {
      'observer.cooldownMs': '5',
      'observer.flowWindowMs': '9000000',
      'observer.confidence': '2',
      'observer.bufferTrigger': '0',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors['observer.cooldownMs']).toBe('must be at least 10 000 ms (10 s)');
    expect(result.errors['observer.flowWindowMs']).toBe('must be at most 600 000 ms (10 min)');
    expect(result.errors['observer.confidence']).toBe('must be at most 1');
    expect(result.errors['observer.bufferTrigger']).toBe('must be at least 1');
    expect(humanIssue('observer.idleMs', { code: 'too_small', message: 'x', minimum: 5_400_000 })).toBe(
      'must be at least 5 400 000 ms (1.5 h)',
    );
    expect(humanIssue('llm.baseUrl', { code: 'custom', message: 'must be https' })).toBe('must be https');
  });

  it('summarises the failing settings for the Save button', () => {
    expect(errorSummary({})).toBeNull();
    expect(errorSummary({ 'observer.cooldownMs': 'x' })).toBe('1 setting needs fixing: Observer cooldown');
    expect(errorSummary({ 'observer.cooldownMs': 'x', 'mcp.port': 'y' })).toBe(
      '2 settings need fixing: Observer cooldown, MCP port',
    );
  });

  it('describes overrides', () => {
    expect(overrideSource(view, 'observer.cooldownMs')).toBe('env');
    expect(overrideSource(view, 'logging.level')).toBeNull();
    expect(overrideLabel('env')).toBe('set by env (read-only)');
  });
});

describe('fieldHelp', () => {
  it('explains the chosen safety mode, and falls back to the field help', () => {
    const safety = SETTING_FIELDS.find((f) => f.key === 'safety.mode')!;
    expect(fieldHelp(safety, 'read_only')).toBe(
      'Claude Code may read and run read-only commands; it cannot edit your files.',
    );
    expect(fieldHelp(safety, 'standard')).toMatch(/asks before risky ones/);
    const cooldown = SETTING_FIELDS.find((f) => f.key === 'observer.cooldownMs')!;
    expect(fieldHelp(cooldown, '120000')).toBe(cooldown.help);
  });
});
