// Settings schema, defaults, env/flag map (docs/data.md). Pure: main loads files, the renderer renders the same shape.
import { z } from 'zod';
import { HintLevelSchema } from '../domain/session';

const port = z
  .number()
  .int()
  .refine((p) => p === 0 || (p >= 1024 && p <= 65535), { message: 'port must be 0 or 1024–65535' });

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

const httpUrl = z.string().refine(
  (s) => {
    try {
      const u = new URL(s);
      if (u.protocol === 'https:') return true;
      return u.protocol === 'http:' && LOOPBACK_HOSTS.has(u.hostname);
    } catch {
      return false;
    }
  },
  { message: 'must be an https URL, or http on a loopback host' },
);

const modelList = z.array(z.string().min(1)).min(1).max(4);

export const LogLevelSchema = z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);
export type LogLevel = z.infer<typeof LogLevelSchema>;

const PricingSchema = z.object({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  cacheRead: z.number().nonnegative().optional(),
  cacheWrite: z.number().nonnegative().optional(),
});

export const SettingsSchema = z.object({
  projectDir: z.string().min(1).nullable(),
  mcp: z.object({ port }),
  bridge: z.object({ port }),
  llm: z.object({
    baseUrl: httpUrl.nullable(),
    models: z.record(z.string().min(1), modelList),
    pricing: z.record(z.string().min(1), PricingSchema),
    structuredOutput: z.enum(['native', 'tool']),
    timeoutMs: z.number().int().min(5_000).max(600_000),
    /** Spend limits in USD over the current UTC day / month; null is off. */
    budgetDailyUsd: z.number().positive().nullable(),
    budgetMonthlyUsd: z.number().positive().nullable(),
  }),
  memory: z.object({
    mode: z.enum(['auto', 'embedded', 'url', 'fts']),
    chromaUrl: httpUrl.nullable(),
    embedder: z.enum(['hash-384', 'local-transformers']),
    modelDir: z.string().min(1).nullable(),
  }),
  logging: z.object({ level: LogLevelSchema, format: z.enum(['json', 'pretty']) }),
  observer: z.object({
    enabled: z.boolean(),
    cooldownMs: z.number().int().min(10_000).max(3_600_000),
    flowThreshold: z.number().int().min(1),
    flowWindowMs: z.number().int().min(5_000).max(600_000),
    confidence: z.number().min(0).max(1),
    bufferTrigger: z.number().int().min(1).max(100),
    explainTrigger: z.number().int().min(1).max(100),
    idleMs: z.number().int().min(30_000),
    idleCheckMs: z.number().int().min(1_000).max(300_000),
    nudgeDelivery: z.enum(['pty', 'channel', 'auto']),
  }),
  hints: z.object({ defaultLevel: HintLevelSchema }),
  terminal: z.object({
    command: z.string().min(1),
    args: z.array(z.string()),
    scrollback: z.number().int().min(1_000).max(50_000),
  }),
  fs: z.object({ extraIgnores: z.array(z.string().min(1)) }),
  safety: z.object({ mode: z.enum(['read_only', 'standard']) }),
  practice: z.object({ localTests: z.boolean(), seedStarterKatas: z.boolean() }),
  materials: z.object({ webSearch: z.boolean() }),
  session: z.object({ orphanAfterMs: z.number().int().min(60_000).max(86_400_000) }),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  projectDir: null,
  mcp: { port: 0 },
  bridge: { port: 0 },
  llm: {
    baseUrl: null,
    models: {
      // claude-sonnet-4-5 reached end-of-life on 2026-11-30; Haiku is the fallback when Sonnet is unavailable.
      sonnet: ['claude-sonnet-4-6', 'claude-haiku-4-5-20251001'],
      haiku: ['claude-haiku-4-5-20251001'],
    },
    pricing: {},
    structuredOutput: 'native',
    timeoutMs: 60_000,
    budgetDailyUsd: null,
    budgetMonthlyUsd: null,
  },
  memory: { mode: 'auto', chromaUrl: null, embedder: 'hash-384', modelDir: null },
  logging: { level: 'info', format: 'json' },
  observer: {
    enabled: true,
    cooldownMs: 120_000,
    flowThreshold: 10,
    flowWindowMs: 60_000,
    confidence: 0.7,
    bufferTrigger: 5,
    explainTrigger: 3,
    idleMs: 300_000,
    idleCheckMs: 30_000,
    nudgeDelivery: 'pty',
  },
  hints: { defaultLevel: 'low' },
  terminal: { command: 'claude', args: [], scrollback: 5_000 },
  fs: { extraIgnores: [] },
  safety: { mode: 'read_only' },
  practice: { localTests: false, seedStarterKatas: true },
  materials: { webSearch: false },
  session: { orphanAfterMs: 900_000 },
};

/** Dotted key of every leaf setting ("observer.cooldownMs"). */
export type SettingKey =
  | 'projectDir'
  | 'mcp.port'
  | 'bridge.port'
  | `llm.${keyof Settings['llm']}`
  | `memory.${keyof Settings['memory']}`
  | `logging.${keyof Settings['logging']}`
  | `observer.${keyof Settings['observer']}`
  | `hints.${keyof Settings['hints']}`
  | `terminal.${keyof Settings['terminal']}`
  | `fs.${keyof Settings['fs']}`
  | `safety.${keyof Settings['safety']}`
  | `practice.${keyof Settings['practice']}`
  | `materials.${keyof Settings['materials']}`
  | `session.${keyof Settings['session']}`;

/** Settings that take effect only after a restart. */
export const RESTART_REQUIRED_KEYS: readonly SettingKey[] = ['mcp.port', 'bridge.port'];

/** The settings file: any subset of the settings; unknown top-level keys are an error so typos surface. */
export const SettingsFileSchema = z
  .object({
    projectDir: SettingsSchema.shape.projectDir.optional(),
    mcp: SettingsSchema.shape.mcp.partial().optional(),
    bridge: SettingsSchema.shape.bridge.partial().optional(),
    llm: SettingsSchema.shape.llm.partial().optional(),
    memory: SettingsSchema.shape.memory.partial().optional(),
    logging: SettingsSchema.shape.logging.partial().optional(),
    observer: SettingsSchema.shape.observer.partial().optional(),
    hints: SettingsSchema.shape.hints.partial().optional(),
    terminal: SettingsSchema.shape.terminal.partial().optional(),
    fs: SettingsSchema.shape.fs.partial().optional(),
    safety: SettingsSchema.shape.safety.partial().optional(),
    practice: SettingsSchema.shape.practice.partial().optional(),
    materials: SettingsSchema.shape.materials.partial().optional(),
    session: SettingsSchema.shape.session.partial().optional(),
  })
  .strict();
export type SettingsPatch = z.infer<typeof SettingsFileSchema>;

/** Same shape as the file; used for `settings:update`. */
export const SettingsPatchSchema = SettingsFileSchema;

type EnvKind = 'string' | 'int' | 'number' | 'bool' | 'json' | 'modelList';

interface EnvBinding {
  key: SettingKey;
  env: readonly string[];
  kind: EnvKind;
}

/** Environment variables (first name wins; later names are legacy aliases). */
const ENV_BINDINGS: readonly EnvBinding[] = [
  { key: 'projectDir', env: ['PAIGE_PROJECT_DIR', 'PROJECT_DIR'], kind: 'string' },
  { key: 'mcp.port', env: ['PAIGE_MCP_PORT'], kind: 'int' },
  { key: 'bridge.port', env: ['PAIGE_BRIDGE_PORT'], kind: 'int' },
  { key: 'llm.baseUrl', env: ['ANTHROPIC_BASE_URL'], kind: 'string' },
  { key: 'llm.structuredOutput', env: ['PAIGE_STRUCTURED_OUTPUT'], kind: 'string' },
  { key: 'memory.mode', env: ['PAIGE_MEMORY_MODE'], kind: 'string' },
  { key: 'memory.chromaUrl', env: ['PAIGE_CHROMA_URL', 'CHROMADB_URL'], kind: 'string' },
  { key: 'memory.embedder', env: ['PAIGE_EMBEDDER'], kind: 'string' },
  { key: 'logging.level', env: ['PAIGE_LOG_LEVEL'], kind: 'string' },
  { key: 'logging.format', env: ['PAIGE_LOG_FORMAT'], kind: 'string' },
  { key: 'observer.enabled', env: ['PAIGE_OBSERVER_ENABLED'], kind: 'bool' },
  { key: 'observer.cooldownMs', env: ['PAIGE_OBSERVER_COOLDOWN_MS'], kind: 'int' },
  { key: 'observer.flowThreshold', env: ['PAIGE_OBSERVER_FLOW_THRESHOLD'], kind: 'int' },
  { key: 'observer.flowWindowMs', env: ['PAIGE_OBSERVER_FLOW_WINDOW_MS'], kind: 'int' },
  { key: 'observer.confidence', env: ['PAIGE_OBSERVER_CONFIDENCE'], kind: 'number' },
  { key: 'observer.bufferTrigger', env: ['PAIGE_OBSERVER_BUFFER_TRIGGER'], kind: 'int' },
  { key: 'observer.explainTrigger', env: ['PAIGE_OBSERVER_EXPLAIN_TRIGGER'], kind: 'int' },
  { key: 'observer.idleMs', env: ['PAIGE_OBSERVER_IDLE_MS'], kind: 'int' },
  { key: 'observer.nudgeDelivery', env: ['PAIGE_NUDGE_DELIVERY'], kind: 'string' },
  { key: 'hints.defaultLevel', env: ['PAIGE_HINT_LEVEL_DEFAULT'], kind: 'string' },
  { key: 'terminal.command', env: ['PAIGE_TERMINAL_COMMAND'], kind: 'string' },
  { key: 'terminal.args', env: ['PAIGE_TERMINAL_ARGS'], kind: 'json' },
  { key: 'safety.mode', env: ['PAIGE_SAFETY_MODE'], kind: 'string' },
  { key: 'materials.webSearch', env: ['PAIGE_MATERIALS_WEB_SEARCH'], kind: 'bool' },
];

/** Model-list env vars: PAIGE_MODEL_SONNET / PAIGE_MODEL_HAIKU, and the whole map. */
const MODEL_ENV: readonly { alias: string; env: string }[] = [
  { alias: 'sonnet', env: 'PAIGE_MODEL_SONNET' },
  { alias: 'haiku', env: 'PAIGE_MODEL_HAIKU' },
];
const MODEL_MAP_ENV = ['PAIGE_MODEL_MAPPING', 'CLAUDE_MODEL_MAPPING'] as const;

interface SettingsLayer {
  /** Partial nested settings contributed by this layer. */
  values: Record<string, unknown>;
  /** Leaf keys this layer set. */
  keys: SettingKey[];
  /** Problems found while reading the layer (variable name and reason). */
  problems: { source: string; message: string }[];
}

function parseEnvValue(raw: string, kind: EnvKind): unknown {
  switch (kind) {
    case 'string':
      return raw;
    case 'int':
    case 'number': {
      const n = Number(raw.trim());
      if (raw.trim() === '' || !Number.isFinite(n)) throw new Error(`"${raw}" is not a number`);
      return n;
    }
    case 'bool': {
      const v = raw.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(v)) return true;
      if (['0', 'false', 'no', 'off'].includes(v)) return false;
      throw new Error(`"${raw}" is not a boolean (true/false)`);
    }
    case 'json':
      return JSON.parse(raw) as unknown;
    case 'modelList': {
      const t = raw.trim();
      if (t.startsWith('[')) return JSON.parse(t) as unknown;
      return t
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    }
  }
}

export function setPath(target: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) {
      node[part] = {};
    }
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1] as string] = value;
}

export function getPath(source: unknown, key: string): unknown {
  let node: unknown = source;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** Reads the settings that environment variables set. Each value is validated later with the full schema. */
export function settingsFromEnv(env: Readonly<Record<string, string | undefined>>): SettingsLayer {
  const layer: SettingsLayer = { values: {}, keys: [], problems: [] };
  for (const binding of ENV_BINDINGS) {
    const name = binding.env.find((n) => env[n] !== undefined && env[n] !== '');
    if (!name) continue;
    try {
      setPath(layer.values, binding.key, parseEnvValue(env[name] as string, binding.kind));
      layer.keys.push(binding.key);
    } catch (err) {
      layer.problems.push({ source: name, message: (err as Error).message });
    }
  }
  const models: Record<string, unknown> = {};
  const mapName = MODEL_MAP_ENV.find((n) => env[n] !== undefined && env[n] !== '');
  if (mapName) {
    try {
      const parsed = JSON.parse(env[mapName] as string) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      for (const [alias, ids] of Object.entries(parsed as Record<string, unknown>)) {
        models[alias] = typeof ids === 'string' ? [ids] : ids;
      }
    } catch (err) {
      layer.problems.push({
        source: mapName,
        message: `must be a JSON object {alias: id | id[]}: ${(err as Error).message}`,
      });
    }
  }
  for (const { alias, env: name } of MODEL_ENV) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    try {
      models[alias] = parseEnvValue(raw, 'modelList');
    } catch (err) {
      layer.problems.push({ source: name, message: (err as Error).message });
    }
  }
  if (Object.keys(models).length > 0) {
    setPath(layer.values, 'llm.models', models);
    layer.keys.push('llm.models');
  }
  return layer;
}

/** Deep-merges plain objects; arrays and scalars replace. `llm.models` and `llm.pricing` merge by key. */
export function mergeSettings(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    const current = out[k];
    if (isPlainObject(v) && isPlainObject(current)) {
      out[k] = mergeSettings(current, v);
    } else {
      out[k] = v;
    }
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Lists the leaf keys a nested patch touches (records like llm.models count as one leaf). */
export function leafKeys(patch: Record<string, unknown>): SettingKey[] {
  const keys: SettingKey[] = [];
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    if (k === 'projectDir' || !isPlainObject(v)) {
      keys.push(k as SettingKey);
      continue;
    }
    for (const [leaf, lv] of Object.entries(v)) {
      if (lv !== undefined) keys.push(`${k}.${leaf}` as SettingKey);
    }
  }
  return keys;
}

export const SettingsViewSchema = z.object({
  values: SettingsSchema,
  overrides: z.record(z.string(), z.enum(['env', 'flag'])),
  restartRequired: z.array(z.string()),
  apiKey: z.object({ present: z.boolean(), source: z.enum(['env', 'store', 'none']) }),
  /** Settings read by a feature present in this build: the Settings UI shows only these. */
  activeKeys: z.array(z.string()),
});
export type SettingsView = z.infer<typeof SettingsViewSchema>;
