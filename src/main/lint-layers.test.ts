// The layering rules (who may import what) fail the lint (checked through ESLint's API with the project's config).
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

async function restrictedImportErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer lint rules', () => {
  it("fails an 'electron' import in src/shared", async () => {
    const errs = await restrictedImportErrors(
      'src/shared/fixture.ts',
      "import { app } from 'electron';\nexport const a = app;\n",
    );
    expect(errs.join('\n')).toMatch(/Only src\/main\/electron/);
  });

  it('fails node:* and bare Node built-ins in src/shared and src/renderer', async () => {
    expect(
      await restrictedImportErrors('src/shared/fixture.ts', "import fs from 'node:fs';\nexport const a = fs;\n"),
    ).toHaveLength(1);
    expect(
      await restrictedImportErrors('src/renderer/fixture.ts', "import path from 'path';\nexport const a = path;\n"),
    ).toHaveLength(1);
  });

  it('fails a renderer import of main', async () => {
    const errs = await restrictedImportErrors(
      'src/renderer/fixture.ts',
      "import { AppCore } from '../main/app';\nexport const a = AppCore;\n",
    );
    expect(errs.join('\n')).toMatch(/renderer imports src\/shared/);
  });

  it("fails 'electron' elsewhere in src/main but allows it in src/main/electron", async () => {
    expect(
      await restrictedImportErrors('src/main/fixture.ts', "import { app } from 'electron';\nexport const a = app;\n"),
    ).toHaveLength(1);
    expect(
      await restrictedImportErrors(
        'src/main/electron/fixture.ts',
        "import { app } from 'electron';\nexport const a = app;\n",
      ),
    ).toHaveLength(0);
  });
});
