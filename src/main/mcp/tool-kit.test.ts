// runTool's output check: on in development and tests (it fails a result the schema would change), skipped in
// production builds (the result goes out as the handler built it).
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Logger, MemorySink } from '../logging/logger';
import { defineTool, runTool } from './tool-kit';

function setup(result: unknown) {
  const sink = new MemorySink();
  const actions: unknown[] = [];
  const tool = defineTool(
    {
      name: 'paige_probe',
      title: 'Probe',
      description: 'test tool',
      input: z.object({}),
      output: z.object({ files: z.array(z.object({ path: z.string(), dirty: z.boolean() })) }),
      readOnly: true,
    },
    () => result as { files: { path: string; dirty: boolean }[] },
  );
  const ctx = (validateOutput: boolean) => ({
    logger: new Logger([sink], 'debug'),
    record: (_type: string, data: unknown) => void actions.push(data),
    validateOutput,
  });
  return { tool, ctx, actions };
}

describe('runTool output check', () => {
  it('passes a result that matches its schema unchanged, with the check on or off', async () => {
    const value = { files: [{ dirty: false, path: 'src/a.ts' }] };
    const { tool, ctx } = setup(value);
    for (const validate of [true, false]) {
      const r = await runTool(tool, {}, ctx(validate));
      expect(r.isError).toBeUndefined();
      expect(r.structuredContent).toEqual(value);
      expect(JSON.parse((r.content[0] as { text: string }).text)).toEqual(value);
    }
  });

  it('with the check on, a field outside the schema or a wrong type is an internal error', async () => {
    for (const bad of [
      { files: [{ path: 'a', dirty: false, secret: 'x' }] },
      { files: [{ path: 'a', dirty: 'no' }] },
    ]) {
      const { tool, ctx, actions } = setup(bad);
      const r = await runTool(tool, {}, ctx(true));
      expect(r.isError).toBe(true);
      expect(r.structuredContent).toMatchObject({ error: { code: 'INTERNAL' } });
      expect(actions).toEqual([expect.objectContaining({ toolName: 'paige_probe', ok: false, errorCode: 'INTERNAL' })]);
    }
  });

  it('with the check off (production), the handler result is sent as built', async () => {
    const extra = { files: [{ path: 'a', dirty: false, secret: 'x' }] };
    const { tool, ctx } = setup(extra);
    const r = await runTool(tool, {}, ctx(false));
    expect(r.structuredContent).toEqual(extra);
  });
});
