// What this machine can do right now, as far as the core knows: tools on PATH (docs/reliability.md). Cheap checks.
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

/**
 * What the core reports before any module adds its part: the tools on PATH it does not own. `claude` and `pty` belong
 * to the terminal module, `llm` to the model layer, `memory` to a memory module; absent, they stay off.
 */
export function detectCapabilities(env: Readonly<Record<string, string | undefined>>): Capabilities {
  return {
    llm: 'no_key',
    memory: 'none',
    gh: findOnPath('gh', env) !== null,
    git: findOnPath('git', env) !== null,
    claude: false,
    pty: false,
    channels: false,
  };
}
