// The settings the Landing view edits, and turning form drafts into a nested `settings:update` patch (pure).
import {
  SettingsPatchSchema,
  SettingsSchema,
  getPath,
  setPath,
  type SettingKey,
  type SettingsPatch,
  type SettingsView,
} from '../../../shared/settings/schema';

/** `usd`: a decimal amount; `number`: any decimal; `models`: one `alias: id, id` line per alias (tried in order). */
type SettingFieldKind = 'enum' | 'int' | 'number' | 'bool' | 'string' | 'usd' | 'models';

export interface SettingField {
  readonly key: SettingKey;
  readonly label: string;
  readonly kind: SettingFieldKind;
  readonly options?: readonly string[];
  readonly help?: string;
  /** An enum's help for the chosen option, shown under the field. */
  readonly optionHelp?: Readonly<Record<string, string>>;
  /** An empty field saves null (off, or the built-in default). */
  readonly nullable?: boolean;
  /** Fields of the model layer are grouped in the AI section with the API key and spend. */
  readonly section?: 'ai';
}

const shape = SettingsSchema.shape;

/** Every setting the form knows how to edit; `visibleFields` narrows it to those a present feature reads. @visibleForTesting */
export const SETTING_FIELDS: readonly SettingField[] = [
  { key: 'logging.level', label: 'Log level', kind: 'enum', options: shape.logging.shape.level.options },
  { key: 'logging.format', label: 'Log format', kind: 'enum', options: shape.logging.shape.format.options },
  { key: 'observer.enabled', label: 'Observer enabled', kind: 'bool' },
  {
    key: 'observer.cooldownMs',
    label: 'Observer cooldown (ms)',
    kind: 'int',
    help: 'Minimum time between nudges (10 000 – 3 600 000).',
  },
  {
    key: 'observer.flowThreshold',
    label: 'Flow threshold (actions)',
    kind: 'int',
    help: 'More edits, saves, opens and tab switches than this within the flow window means you are in flow: no nudges.',
  },
  { key: 'observer.flowWindowMs', label: 'Flow window (ms)', kind: 'int', help: '5 000 – 600 000.' },
  {
    key: 'observer.confidence',
    label: 'Nudge confidence',
    kind: 'number',
    help: 'A nudge is sent only when triage is at least this sure (0 – 1).',
  },
  { key: 'observer.bufferTrigger', label: 'Check every N edits', kind: 'int', help: '1 – 100.' },
  { key: 'observer.explainTrigger', label: 'Check every N explain requests', kind: 'int', help: '1 – 100.' },
  { key: 'observer.idleMs', label: 'Idle before a check (ms)', kind: 'int', help: 'At least 30 000.' },
  { key: 'observer.idleCheckMs', label: 'Idle check interval (ms)', kind: 'int', help: '1 000 – 300 000.' },
  {
    key: 'hints.defaultLevel',
    label: 'Default hint level',
    kind: 'enum',
    options: shape.hints.shape.defaultLevel.options,
  },
  { key: 'terminal.command', label: 'Terminal command', kind: 'string', help: 'Program started in the terminal.' },
  {
    key: 'safety.mode',
    label: 'Safety mode',
    kind: 'enum',
    options: shape.safety.shape.mode.options,
    optionHelp: {
      read_only: 'Claude Code may read and run read-only commands; it cannot edit your files.',
      standard: 'Claude Code may run ordinary commands; Paige asks before risky ones and blocks destructive ones.',
    },
  },
  {
    key: 'memory.mode',
    label: 'Memory mode',
    kind: 'enum',
    options: shape.memory.shape.mode.options,
    help: 'auto: the Chroma URL if set, else the embedded Chroma server, else full-text search.',
  },
  {
    key: 'memory.chromaUrl',
    label: 'Chroma URL',
    kind: 'string',
    nullable: true,
    help: 'A Chroma server to use instead of the embedded one (https, or http on this machine). Empty: none.',
  },
  { key: 'mcp.port', label: 'MCP port', kind: 'int', help: '0 picks a free port. Takes effect after a restart.' },
  { key: 'bridge.port', label: 'Bridge port', kind: 'int', help: '0 picks a free port. Takes effect after a restart.' },
  {
    key: 'llm.baseUrl',
    label: 'API base URL',
    kind: 'string',
    nullable: true,
    section: 'ai',
    help: 'Empty uses https://api.anthropic.com. ANTHROPIC_BASE_URL overrides it.',
  },
  {
    key: 'llm.models',
    label: 'Models per alias',
    kind: 'models',
    section: 'ai',
    help: 'One line per alias: "alias: model-id, fallback-id". Models are tried in order (at most 4).',
  },
  {
    key: 'llm.structuredOutput',
    label: 'Structured output',
    kind: 'enum',
    options: shape.llm.shape.structuredOutput.options,
    section: 'ai',
    help: 'native: the API’s JSON output format; tool: a forced tool call (for proxies without it).',
  },
  {
    key: 'llm.budgetDailyUsd',
    label: 'Daily spend limit (USD)',
    kind: 'usd',
    nullable: true,
    section: 'ai',
    help: 'Empty means no limit. Warns at 80 %; at 100 % calls stop until the next UTC day.',
  },
  {
    key: 'llm.budgetMonthlyUsd',
    label: 'Monthly spend limit (USD)',
    kind: 'usd',
    nullable: true,
    section: 'ai',
    help: 'Empty means no limit. Warns at 80 %; at 100 % calls stop until the next UTC month.',
  },
];

/** The help under a field: the chosen option's, else the field's own. */
export function fieldHelp(field: SettingField, value: DraftValue): string | undefined {
  return (typeof value === 'string' ? field.optionHelp?.[value] : undefined) ?? field.help;
}

/** The fields of settings a feature present in the running app reads; the others would change nothing. */
export function visibleFields(view: SettingsView): readonly SettingField[] {
  return SETTING_FIELDS.filter((f) => view.activeKeys.includes(f.key));
}

/** What a form control holds: checkboxes hold booleans, everything else text. */
export type DraftValue = string | boolean;

type ParseResult = { ok: true; value: unknown } | { ok: false; message: string };

/** `{sonnet: [a, b]}` → "sonnet: a, b" lines. */
function modelsToText(value: unknown): string {
  if (typeof value !== 'object' || value === null) return '';
  return Object.entries(value as Record<string, unknown>)
    .map(([alias, ids]) => `${alias}: ${Array.isArray(ids) ? ids.join(', ') : ''}`)
    .join('\n');
}

function parseModels(text: string): ParseResult {
  const models: Record<string, string[]> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const m = /^([\w.-]+)\s*:\s*(.*)$/.exec(line);
    const ids = (m?.[2] ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    if (!m?.[1] || ids.length === 0) return { ok: false, message: `"${line}" is not "alias: model-id, …"` };
    models[m[1]] = ids;
  }
  if (Object.keys(models).length === 0) return { ok: false, message: 'needs at least one "alias: model-id" line' };
  return { ok: true, value: models };
}

function draftFromValue(field: SettingField, value: unknown): DraftValue {
  switch (field.kind) {
    case 'bool':
      return value === true;
    case 'int':
    case 'usd':
    case 'number':
      return typeof value === 'number' ? String(value) : '';
    case 'models':
      return modelsToText(value);
    case 'enum':
    case 'string':
      return typeof value === 'string' ? value : '';
  }
}

export function currentDraft(field: SettingField, view: SettingsView): DraftValue {
  return draftFromValue(field, getPath(view.values, field.key));
}

/** @visibleForTesting */
export function parseDraft(field: SettingField, draft: DraftValue): ParseResult {
  if (field.nullable && typeof draft === 'string' && draft.trim() === '') return { ok: true, value: null };
  switch (field.kind) {
    case 'bool':
      return typeof draft === 'boolean' ? { ok: true, value: draft } : { ok: false, message: 'must be on or off' };
    case 'int': {
      const text = typeof draft === 'string' ? draft.trim().replace(/[_\s]/g, '') : '';
      if (!/^-?\d+$/.test(text)) return { ok: false, message: 'must be a whole number' };
      return { ok: true, value: Number(text) };
    }
    case 'usd': {
      const text = typeof draft === 'string' ? draft.trim().replace(/^\$/, '') : '';
      if (!/^\d+(\.\d+)?$/.test(text)) return { ok: false, message: 'must be an amount in USD, e.g. 5 or 2.50' };
      return { ok: true, value: Number(text) };
    }
    case 'models':
      return typeof draft === 'string' ? parseModels(draft) : { ok: false, message: 'must be text' };
    case 'number': {
      const text = typeof draft === 'string' ? draft.trim() : '';
      const n = Number(text);
      if (text === '' || !Number.isFinite(n)) return { ok: false, message: 'must be a number' };
      return { ok: true, value: n };
    }
    case 'enum':
      if (typeof draft === 'string' && (field.options ?? []).includes(draft)) return { ok: true, value: draft };
      return { ok: false, message: `must be one of ${(field.options ?? []).join(', ')}` };
    case 'string':
      return typeof draft === 'string'
        ? { ok: true, value: field.nullable ? draft.trim() : draft }
        : { ok: false, message: 'must be text' };
  }
}

/** 10000 → "10 000": a space groups thousands, as the field help does. */
function groupDigits(n: number): string {
  const [whole = '', frac] = String(Math.abs(n)).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${n < 0 ? '-' : ''}${grouped}${frac !== undefined ? `.${frac}` : ''}`;
}

/** 10000 → "10 s", 600000 → "10 min", 5400000 → "1.5 h". */
function readableDuration(ms: number): string {
  const round = (n: number): string => String(Math.round(n * 10) / 10);
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 60_000) return `${round(ms / 1_000)} s`;
  if (ms < 3_600_000) return `${round(ms / 60_000)} min`;
  return `${round(ms / 3_600_000)} h`;
}

/** A bound of a setting in words, with the unit of `…Ms` settings spelled out ("10 000 ms (10 s)"). */
function bound(key: SettingKey, n: number): string {
  return key.endsWith('Ms') ? `${groupDigits(n)} ms (${readableDuration(n)})` : groupDigits(n);
}

interface SchemaIssue {
  readonly code: string;
  readonly message: string;
  readonly minimum?: unknown;
  readonly maximum?: unknown;
  readonly inclusive?: boolean;
  readonly origin?: string;
}

/** A schema issue as a person would say it: number ranges in words; other issues keep the schema's own message. @visibleForTesting */
export function humanIssue(key: SettingKey, issue: SchemaIssue): string {
  const limit = issue.code === 'too_small' ? issue.minimum : issue.code === 'too_big' ? issue.maximum : undefined;
  if ((issue.origin === 'number' || issue.origin === undefined) && typeof limit === 'number') {
    const inclusive = issue.inclusive !== false;
    const word =
      issue.code === 'too_small' ? (inclusive ? 'at least' : 'more than') : inclusive ? 'at most' : 'less than';
    return `must be ${word} ${bound(key, limit)}`;
  }
  return issue.message;
}

/** The label of a field without its unit, for the summary next to Save ("Observer cooldown (ms)" → "Observer cooldown"). */
function shortLabel(key: SettingKey): string {
  const label = SETTING_FIELDS.find((f) => f.key === key)?.label ?? key;
  return label.replace(/\s*\([^)]*\)$/, '');
}

/** "1 setting needs fixing: Observer cooldown" — shown next to Save, which may be a screen away from the field. */
export function errorSummary(errors: Partial<Record<SettingKey, string>>): string | null {
  const keys = Object.keys(errors) as SettingKey[];
  if (keys.length === 0) return null;
  const names = keys.map(shortLabel).join(', ');
  return keys.length === 1 ? `1 setting needs fixing: ${names}` : `${keys.length} settings need fixing: ${names}`;
}

type PatchResult =
  { ok: true; patch: SettingsPatch; keys: SettingKey[] } | { ok: false; errors: Partial<Record<SettingKey, string>> };

/**
 * Builds the nested patch for the edited fields, validating each value with the shared schema so range errors show
 * next to the field before the round trip. Fields overridden by env/flag must not be passed in.
 */
export function buildSettingsPatch(
  fields: readonly SettingField[],
  drafts: Partial<Record<SettingKey, DraftValue>>,
): PatchResult {
  const errors: Partial<Record<SettingKey, string>> = {};
  const nested: Record<string, unknown> = {};
  const keys: SettingKey[] = [];
  for (const field of fields) {
    const draft = drafts[field.key];
    if (draft === undefined) continue;
    const parsed = parseDraft(field, draft);
    if (!parsed.ok) {
      errors[field.key] = parsed.message;
      continue;
    }
    setPath(nested, field.key, parsed.value);
    keys.push(field.key);
  }
  const checked = SettingsPatchSchema.safeParse(nested);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      // Leaf keys are at most two deep; a record setting's inner path (llm.models.sonnet) belongs to its field.
      const key = issue.path.slice(0, 2).map(String).join('.') as SettingKey;
      errors[key] ??= humanIssue(key, issue);
    }
  }
  if (Object.keys(errors).length > 0 || !checked.success) return { ok: false, errors };
  return { ok: true, patch: checked.data, keys };
}

export function overrideSource(view: SettingsView, key: SettingKey): 'env' | 'flag' | null {
  return view.overrides[key] ?? null;
}

export function overrideLabel(source: 'env' | 'flag'): string {
  return `set by ${source} (read-only)`;
}
