import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SettingsService } from './settings-service';
import { Logger, MemorySink } from '../logging/logger';
import { tempDir } from '../testing/harness';
import { DEFAULT_SETTINGS } from '../../shared/settings/schema';
import { isPaigeError } from '../../shared/ipc/errors';

function service(dataDir: string, env: Record<string, string> = {}, flags = {}) {
  const logs = new MemorySink();
  return new SettingsService({ dataDir, env, flags, logger: new Logger([logs], 'debug') });
}

describe('SettingsService', () => {
  it('uses defaults when there is no file', () => {
    const s = service(tempDir());
    expect(s.values).toEqual(DEFAULT_SETTINGS);
    expect(s.problems).toEqual([]);
  });

  it('quarantines an invalid file, uses defaults, and reports SETTINGS_INVALID', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ logging: { level: 'loud' } }));
    const s = service(dir);
    expect(s.values.logging.level).toBe('info');
    expect(s.problems).toHaveLength(1);
    expect(s.problems[0]?.code).toBe('SETTINGS_INVALID');
    expect(fs.existsSync(path.join(dir, 'settings.json'))).toBe(false);
    const moved = fs.readdirSync(dir).filter((f) => f.startsWith('settings.invalid-'));
    expect(moved).toHaveLength(1);
    expect(JSON.parse(fs.readFileSync(path.join(dir, moved[0] as string), 'utf8'))).toEqual({
      logging: { level: 'loud' },
    });
  });

  it('quarantines a file that is not JSON', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'settings.json'), '{ nope');
    const s = service(dir);
    expect(s.problems[0]?.message).toMatch(/not valid JSON/);
  });

  it('layers defaults → file → env → flags and reports overrides', () => {
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, 'settings.json'),
      JSON.stringify({ observer: { cooldownMs: 20_000, flowThreshold: 4 }, hints: { defaultLevel: 'high' } }),
    );
    const s = service(
      dir,
      { PAIGE_OBSERVER_COOLDOWN_MS: '30000', PAIGE_LOG_LEVEL: 'warn' },
      { logging: { level: 'error' } },
    );
    expect(s.values.observer.cooldownMs).toBe(30_000);
    expect(s.values.observer.flowThreshold).toBe(4);
    expect(s.values.hints.defaultLevel).toBe('high');
    expect(s.values.logging.level).toBe('error');
    expect(s.view().overrides).toEqual({ 'observer.cooldownMs': 'env', 'logging.level': 'flag' });
  });

  it('legacy env aliases and model lists are read', () => {
    const s = service(tempDir(), { CHROMADB_URL: 'http://127.0.0.1:8000', PAIGE_MODEL_HAIKU: 'a,b' });
    expect(s.values.memory.chromaUrl).toBe('http://127.0.0.1:8000');
    expect(s.values.llm.models.haiku).toEqual(['a', 'b']);
    expect(s.values.llm.models.sonnet).toEqual(DEFAULT_SETTINGS.llm.models.sonnet);
  });

  it('ignores an invalid env value with a clear problem instead of failing', () => {
    const s = service(tempDir(), {
      PAIGE_OBSERVER_COOLDOWN_MS: '5',
      PAIGE_SAFETY_MODE: 'yolo',
      ANTHROPIC_BASE_URL: 'http://evil.example',
    });
    expect(s.values.observer.cooldownMs).toBe(120_000);
    expect(s.values.safety.mode).toBe('read_only');
    expect(s.values.llm.baseUrl).toBeNull();
    expect(s.problems.map((p) => p.message).join('\n')).toMatch(/observer\.cooldownMs from env/);
    expect(s.view().overrides).toEqual({});
  });

  it('rejects updating a key set by env, and changes nothing', () => {
    const dir = tempDir();
    const s = service(dir, { PAIGE_OBSERVER_COOLDOWN_MS: '30000' });
    let caught: unknown;
    try {
      s.update({ observer: { cooldownMs: 60_000 } });
    } catch (err) {
      caught = err;
    }
    expect(isPaigeError(caught) && caught.code).toBe('VALIDATION_FAILED');
    expect(String((caught as Error).message)).toMatch(/observer\.cooldownMs \(set by env\)/);
    expect(fs.existsSync(path.join(dir, 'settings.json'))).toBe(false);
    expect(s.values.observer.cooldownMs).toBe(30_000);
  });

  it('writes updates atomically with mode 0600 and reports restart-required keys', () => {
    const dir = tempDir();
    const s = service(dir);
    const changes: unknown[] = [];
    s.onDidChange((c) => changes.push(c));
    const change = s.update({ observer: { enabled: false }, mcp: { port: 4555 } });
    expect(change.restartRequired).toEqual(['mcp.port']);
    const file = path.join(dir, 'settings.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ observer: { enabled: false }, mcp: { port: 4555 } });
    expect(s.view().restartRequired).toEqual(['mcp.port']);
    expect(changes).toHaveLength(1);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('an invalid update changes nothing', () => {
    const dir = tempDir();
    const s = service(dir);
    s.update({ observer: { enabled: false } });
    const before = fs.readFileSync(path.join(dir, 'settings.json'), 'utf8');
    expect(() => s.update({ mcp: { port: 80 } })).toThrow();
    expect(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8')).toBe(before);
    expect(s.values.mcp.port).toBe(0);
  });

  it('reset removes keys from the file', () => {
    const dir = tempDir();
    const s = service(dir);
    s.update({ observer: { enabled: false, flowThreshold: 3 } });
    s.reset(['observer.enabled']);
    expect(s.values.observer.enabled).toBe(true);
    expect(s.values.observer.flowThreshold).toBe(3);
    s.reset();
    expect(s.values).toEqual(DEFAULT_SETTINGS);
  });
});
