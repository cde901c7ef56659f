// docs/architecture.md is the map a newcomer reads first: its module table must match the list the app runs.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { paigeModules } from './app-modules';
import { electronIpcModule } from './electron/ipc-module';

describe('the module list', () => {
  it('is the one docs/architecture.md describes, in the same order', () => {
    const doc = fs.readFileSync(path.resolve(__dirname, '../../docs/architecture.md'), 'utf8');
    const section = doc.slice(doc.indexOf('### The module list'), doc.indexOf('### Adding a feature'));
    const documented = [...section.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
    const ipc = electronIpcModule({
      ipcMain: { handle: () => undefined, removeHandler: () => undefined },
      allowedOrigins: [],
    });
    const actual = paigeModules({ bridge: { token: 'x', rendererDir: null }, extra: [ipc] }).map((m) => m.id);
    expect(documented).toEqual(actual);
  });
});
