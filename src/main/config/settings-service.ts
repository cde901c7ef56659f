// Settings: defaults → {dataDir}/settings.json → environment → CLI flags, validated by the shared schema.
import fs from 'node:fs';
import path from 'node:path';
import {
  DEFAULT_SETTINGS,
  RESTART_REQUIRED_KEYS,
  SettingsFileSchema,
  SettingsSchema,
  getPath,
  leafKeys,
  mergeSettings,
  setPath,
  settingsFromEnv,
  type SettingKey,
  type Settings,
  type SettingsPatch,
  type SettingsView,
} from '../../shared/settings/schema';
import { PaigeError } from '../../shared/ipc/errors';
import { Emitter, type Event } from '../../shared/lifecycle';
import { writeFileAtomic } from '../fs/atomic-write';
import { dataDirProblem } from './data-dir';
import type { Logger } from '../logging/logger';

interface SettingsProblem {
  code: 'SETTINGS_INVALID';
  message: string;
  context: Record<string, unknown>;
}

interface SettingsChange {
  changedKeys: SettingKey[];
  restartRequired: SettingKey[];
}

interface SettingsServiceOptions {
  dataDir: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Nested partial settings given as CLI flags. */
  flags: SettingsPatch;
  logger: Logger;
  now?: () => Date;
}

export class SettingsService {
  readonly file: string;
  readonly problems: SettingsProblem[] = [];
  private fileValues: Record<string, unknown> = {};
  private envLayer: Record<string, unknown> = {};
  private flagLayer: Record<string, unknown> = {};
  private readonly overrides = new Map<SettingKey, 'env' | 'flag'>();
  private readonly pendingRestart = new Set<SettingKey>();
  private effective: Settings = DEFAULT_SETTINGS;
  private readonly changeEmitter: Emitter<SettingsChange>;
  /** Fires after every successful update or reset, with what changed. */
  readonly onDidChange: Event<SettingsChange>;
  private readonly now: () => Date;

  constructor(private readonly opts: SettingsServiceOptions) {
    this.file = path.join(opts.dataDir, 'settings.json');
    this.now = opts.now ?? (() => new Date());
    this.changeEmitter = new Emitter({
      onListenerError: (err) => opts.logger.error('a settings listener threw', { err }),
    });
    this.onDidChange = this.changeEmitter.event;
    this.fileValues = this.readFile();
    this.envLayer = this.acceptLayer(settingsFromEnv(opts.env), 'env');
    const flagKeys = leafKeys(opts.flags as Record<string, unknown>);
    this.flagLayer = this.acceptLayer(
      { values: opts.flags as Record<string, unknown>, keys: flagKeys, problems: [] },
      'flag',
    );
    this.effective = this.compute();
  }

  get values(): Settings {
    return this.effective;
  }

  /** The view without `activeKeys`, which only the app (knowing its modules) can add. */
  view(): Omit<SettingsView, 'activeKeys'> {
    const apiKeyFromEnv = (this.opts.env.ANTHROPIC_API_KEY ?? '') !== '';
    return {
      values: this.effective,
      overrides: Object.fromEntries(this.overrides),
      restartRequired: [...this.pendingRestart],
      apiKey: { present: apiKeyFromEnv, source: apiKeyFromEnv ? 'env' : 'none' },
    };
  }

  /** Applies a patch to the file layer. Keys set by env or flags are read-only; an invalid result changes nothing. */
  update(patch: SettingsPatch): SettingsChange {
    const keys = leafKeys(patch as Record<string, unknown>);
    const locked = keys.filter((k) => this.overrides.has(k));
    if (locked.length > 0) {
      throw new PaigeError(
        'VALIDATION_FAILED',
        `Read-only: ${locked.map((k) => `${k} (set by ${this.overrides.get(k)})`).join(', ')}. Change it where it is set, or unset it.`,
        { readOnly: locked },
      );
    }
    const nextFile = mergeSettings(this.fileValues, patch as Record<string, unknown>);
    this.commit(nextFile, keys);
    return this.lastChange(keys);
  }

  /** Removes keys from the settings file (all when none are given), falling back to lower layers. */
  reset(keys?: string[]): SettingsChange {
    const targets = (keys ?? leafKeys(this.fileValues)) as SettingKey[];
    const nextFile = structuredClone(this.fileValues);
    for (const key of targets) {
      if (getPath(DEFAULT_SETTINGS, key) === undefined) {
        throw new PaigeError('VALIDATION_FAILED', `Unknown setting "${key}".`);
      }
      const parts = key.split('.');
      const parent = parts.length === 1 ? nextFile : getPath(nextFile, parts.slice(0, -1).join('.'));
      if (parent && typeof parent === 'object')
        delete (parent as Record<string, unknown>)[parts[parts.length - 1] as string];
    }
    this.commit(nextFile, targets);
    return this.lastChange(targets);
  }

  private lastChange(keys: SettingKey[]): SettingsChange {
    return { changedKeys: keys, restartRequired: keys.filter((k) => RESTART_REQUIRED_KEYS.includes(k)) };
  }

  private commit(nextFile: Record<string, unknown>, keys: SettingKey[]): void {
    const fileCheck = SettingsFileSchema.safeParse(nextFile);
    if (!fileCheck.success) {
      throw new PaigeError('VALIDATION_FAILED', 'Those settings are not valid.', { issues: fileCheck.error.issues });
    }
    const merged = SettingsSchema.safeParse(this.mergeLayers(nextFile));
    if (!merged.success) {
      throw new PaigeError('VALIDATION_FAILED', 'Those settings are not valid.', { issues: merged.error.issues });
    }
    fs.mkdirSync(this.opts.dataDir, { recursive: true, mode: 0o700 });
    writeFileAtomic(this.file, JSON.stringify(nextFile, null, 2) + '\n', 0o600);
    this.fileValues = nextFile;
    this.effective = merged.data;
    for (const k of keys) if (RESTART_REQUIRED_KEYS.includes(k)) this.pendingRestart.add(k);
    const change = this.lastChange(keys);
    this.changeEmitter.fire(change);
  }

  private readFile(): Record<string, unknown> {
    let text: string | null;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return {};
      // Anything else that has the name (a folder, a socket) is quarantined like an invalid file.
      if (code !== 'EISDIR' && code !== 'EINVAL') throw dataDirProblem(err, this.opts.dataDir) ?? err;
      text = null;
    }
    let reason: string;
    if (text === null) {
      reason = 'not a file';
    } else {
      try {
        const parsed = SettingsFileSchema.safeParse(JSON.parse(text));
        if (parsed.success) return parsed.data as Record<string, unknown>;
        reason = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      } catch (err) {
        reason = `not valid JSON (${(err as Error).message})`;
      }
    }
    const stamp = this.now().toISOString().replace(/[:.]/g, '-');
    const quarantined = path.join(this.opts.dataDir, `settings.invalid-${stamp}.json`);
    fs.renameSync(this.file, quarantined);
    const message = `settings.json was invalid (${reason}); it was moved to ${path.basename(quarantined)} and defaults are in use.`;
    this.problems.push({ code: 'SETTINGS_INVALID', message, context: { file: quarantined } });
    this.opts.logger.warn('settings file quarantined', { file: quarantined, reason });
    return {};
  }

  /** Keeps each override key only if it validates on its own; a bad env value is reported, not fatal. */
  private acceptLayer(
    layer: { values: Record<string, unknown>; keys: SettingKey[]; problems: { source: string; message: string }[] },
    source: 'env' | 'flag',
  ): Record<string, unknown> {
    for (const p of layer.problems) {
      this.problems.push({
        code: 'SETTINGS_INVALID',
        message: `${p.source}: ${p.message} (ignored)`,
        context: { source: p.source },
      });
    }
    const accepted: Record<string, unknown> = {};
    for (const key of layer.keys) {
      const value = getPath(layer.values, key);
      const probe: Record<string, unknown> = {};
      setPath(probe, key, value);
      const check = SettingsSchema.safeParse(
        mergeSettings(DEFAULT_SETTINGS as unknown as Record<string, unknown>, probe),
      );
      if (!check.success) {
        const msg = check.error.issues.map((i) => i.message).join('; ');
        this.problems.push({
          code: 'SETTINGS_INVALID',
          message: `${key} from ${source}: ${msg} (ignored)`,
          context: { key, source },
        });
        continue;
      }
      setPath(accepted, key, value);
      this.overrides.set(key, source);
    }
    return accepted;
  }

  private mergeLayers(fileValues: Record<string, unknown>): Record<string, unknown> {
    let merged = mergeSettings(DEFAULT_SETTINGS as unknown as Record<string, unknown>, fileValues);
    merged = mergeSettings(merged, this.envLayer);
    return mergeSettings(merged, this.flagLayer);
  }

  private compute(): Settings {
    const parsed = SettingsSchema.safeParse(this.mergeLayers(this.fileValues));
    if (parsed.success) return parsed.data;
    // Each layer validated alone; a combination can still fail only through a schema bug. Fall back loudly.
    this.opts.logger.error('merged settings failed validation; using defaults', { issues: parsed.error.issues });
    return DEFAULT_SETTINGS;
  }
}
