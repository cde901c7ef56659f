// What this machine can do right now: tools on PATH and the API key (docs/reliability.md). Cheap synchronous checks.
import fs from 'node:fs';
import path from 'node:path';
import type { Capabilities } from '../../shared/ipc/contract';

export function findOnPath(command: string, env: Readonly<Record<string, string | undefined>>): string | null {
  if (path.isAbsolute(command)) return isExecutable(command) ? command : null;
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, command + ext);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return null;
}

function isExecutable(file: string): boolean {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function detectCapabilities(
  env: Readonly<Record<string, string | undefined>>,
  claudeCommand: string,
): Capabilities {
  return {
    llm: (env.ANTHROPIC_API_KEY ?? '') !== '' ? 'ready' : 'no_key',
    memory: 'none',
    gh: findOnPath('gh', env) !== null,
    git: findOnPath('git', env) !== null,
    claude: findOnPath(claudeCommand, env) !== null,
    pty: false,
    channels: false,
  };
}
