import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PaigeClient } from '../../shared/ipc/client';
import { BridgeServer } from '../bridge/bridge-server';
import { NodeBridgeTransport } from '../testing/bridge-client';
import { startTestCore, type TestCore } from '../testing/harness';

const TOKEN = 'workspace-test-token-0123456789abcdefghijkl';

let t: TestCore;
let transport: NodeBridgeTransport;
let client: PaigeClient;

beforeEach(async () => {
  t = await startTestCore();
  fs.mkdirSync(path.join(t.projectDir, 'src'));
  fs.writeFileSync(path.join(t.projectDir, 'src', 'app.ts'), 'const a = 1;\nconst b = 2;\n');
  const bridge = await BridgeServer.listen({
    port: 0,
    token: TOKEN,
    rendererDir: null,
    router: t.core.router,
    events: t.core.events,
    logger: t.core.logger,
  });
  t.core.registerTransport('bridge', { stopAccepting: () => bridge.stopAccepting(), close: () => bridge.close() });
  transport = await NodeBridgeTransport.connect({ url: `ws://127.0.0.1:${bridge.port}/bridge`, token: TOKEN });
  client = new PaigeClient(transport);
  await t.core.get('workspace').watcherReady();
});

afterEach(async () => {
  await transport.close();
  await t.core.shutdown('test end');
});

function actions(): { action_type: string; data: unknown }[] {
  const db = t.core.db;
  return db
    .all(db.qb.selectFrom('action_log').select(['action_type', 'data']).orderBy('id'))
    .map((r) => ({ action_type: r.action_type, data: r.data === null ? null : JSON.parse(String(r.data)) }));
}

function startSession(): number {
  return t.core.get('sessions').start({ projectDir: t.projectDir, hintLevel: 'medium' }).id;
}

describe('files over IPC', () => {
  it('opens with language and line count, saves with line counts logged, and reports binary files without content', async () => {
    startSession();
    const opened = await client.invoke('file:open', { path: 'src/app.ts' });
    expect(opened).toMatchObject({ path: 'src/app.ts', language: 'typescript', lineCount: 3, binary: false });
    const saved = await client.invoke('file:save', {
      path: 'src/app.ts',
      content: 'const a = 1;\nconst c = 3;\nconst d = 4;\n',
      expectedMtimeMs: opened.mtimeMs,
    });
    expect(saved.charCount).toBe(39);
    expect(fs.readFileSync(path.join(t.projectDir, 'src/app.ts'), 'utf8')).toContain('const d = 4;');
    fs.writeFileSync(path.join(t.projectDir, 'img.png'), Buffer.from([0x89, 0x50, 0, 1]));
    fs.writeFileSync(path.join(t.projectDir, 'data.bin2'), Buffer.from([0x41, 0, 0x42]));
    expect(await client.invoke('file:open', { path: 'img.png' })).toMatchObject({ binary: true, content: '' });
    expect(await client.invoke('file:open', { path: 'data.bin2' })).toMatchObject({ binary: true, content: '' });
    t.core.get('actionLog').flushAll();
    expect(actions().find((a) => a.action_type === 'file_save')?.data).toEqual({
      path: 'src/app.ts',
      charCount: 39,
      linesAdded: 2,
      linesRemoved: 1,
      language: 'typescript',
    });
    expect(actions()[0]).toEqual({ action_type: 'file_open', data: { path: 'src/app.ts', source: 'ui' } });
    // Re-reading an already open file (an editor reload) is not logged as another open.
    await client.invoke('file:open', { path: 'src/app.ts' });
    t.core.get('actionLog').flushAll();
    expect(actions().filter((a) => a.action_type === 'file_open')).toHaveLength(3);
  });

  it('refuses files over 5 MiB, missing files and folders with the spec codes', async () => {
    fs.writeFileSync(path.join(t.projectDir, 'big.txt'), Buffer.alloc(5 * 1024 * 1024 + 1, 0x61));
    await expect(client.invoke('file:open', { path: 'big.txt' })).rejects.toMatchObject({ code: 'FILE_TOO_LARGE' });
    await expect(client.invoke('file:open', { path: 'nope.ts' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(client.invoke('file:open', { path: 'src' })).rejects.toMatchObject({ code: 'INVALID_PATH' });
  });

  it('a save over a file changed on disk is a CONFLICT unless forced', async () => {
    const opened = await client.invoke('file:open', { path: 'src/app.ts' });
    fs.writeFileSync(path.join(t.projectDir, 'src/app.ts'), 'changed elsewhere\n');
    fs.utimesSync(path.join(t.projectDir, 'src/app.ts'), new Date(), new Date(Date.now() + 5_000));
    await expect(
      client.invoke('file:save', { path: 'src/app.ts', content: 'mine\n', expectedMtimeMs: opened.mtimeMs }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(fs.readFileSync(path.join(t.projectDir, 'src/app.ts'), 'utf8')).toBe('changed elsewhere\n');
    await client.invoke('file:save', {
      path: 'src/app.ts',
      content: 'mine\n',
      expectedMtimeMs: opened.mtimeMs,
      force: true,
    });
    expect(fs.readFileSync(path.join(t.projectDir, 'src/app.ts'), 'utf8')).toBe('mine\n');
  });

  it('saves keep the file mode, write through an inside symlink to its target, and create parent folders', async () => {
    const script = path.join(t.projectDir, 'run.sh');
    fs.writeFileSync(script, '#!/bin/sh\necho hi\n');
    fs.chmodSync(script, 0o751);
    await client.invoke('file:save', { path: 'run.sh', content: '#!/bin/sh\necho bye\n' });
    expect(fs.statSync(script).mode & 0o7777).toBe(0o751);
    fs.symlinkSync(script, path.join(t.projectDir, 'run-link'));
    await client.invoke('file:save', { path: 'run-link', content: 'via link\n' });
    expect(fs.lstatSync(path.join(t.projectDir, 'run-link')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(script, 'utf8')).toBe('via link\n');
    await client.invoke('file:save', { path: 'new/deep/file.ts', content: 'x\n' });
    expect(fs.readFileSync(path.join(t.projectDir, 'new/deep/file.ts'), 'utf8')).toBe('x\n');
    // No temp files are left behind.
    expect(fs.readdirSync(t.projectDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a concurrent reader never sees a partial file while saves replace it', async () => {
    const file = path.join(t.projectDir, 'big.ts');
    const A = 'a'.repeat(2 * 1024 * 1024);
    const B = 'b'.repeat(3 * 1024 * 1024);
    fs.writeFileSync(file, A);
    // A separate process reads as fast as it can and reports any content that is neither A nor B.
    const reader = spawn(
      process.execPath,
      [
        '-e',
        `const fs=require('fs');let bad=0,n=0;const end=Date.now()+1500;
         while(Date.now()<end){const s=fs.readFileSync(process.argv[1],'utf8');n++;
           if(!((s.length===${A.length}&&/^a+$/.test(s))||(s.length===${B.length}&&/^b+$/.test(s))))bad++;}
         process.stdout.write(JSON.stringify({bad,n}));`,
        file,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    reader.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const done = new Promise((r) => reader.once('exit', r));
    let saves = 0;
    const stopAt = Date.now() + 1_200;
    while (Date.now() < stopAt) {
      await client.invoke('file:save', { path: 'big.ts', content: saves % 2 === 0 ? B : A });
      saves++;
    }
    await done;
    const result = JSON.parse(out) as { bad: number; n: number };
    expect(saves).toBeGreaterThan(2);
    expect(result.n).toBeGreaterThan(2);
    expect(result.bad).toBe(0);
  }, 20_000);

  it('create fails on an existing file; delete unlinks; close drops the buffer', async () => {
    startSession();
    expect(await client.invoke('file:create', { path: 'notes/todo.md', content: '# todo\n' })).toEqual({
      path: 'notes/todo.md',
    });
    await expect(client.invoke('file:create', { path: 'notes/todo.md' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await client.invoke('file:open', { path: 'notes/todo.md' });
    expect(t.core.get('workspace').getBuffer('notes/todo.md')).not.toBeNull();
    await client.invoke('file:close', { path: 'notes/todo.md' });
    expect(t.core.get('workspace').getBuffer('notes/todo.md')).toBeNull();
    expect(await client.invoke('file:delete', { path: 'notes/todo.md' })).toEqual({ path: 'notes/todo.md' });
    expect(fs.existsSync(path.join(t.projectDir, 'notes/todo.md'))).toBe(false);
    await expect(client.invoke('file:delete', { path: 'notes/todo.md' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    t.core.get('actionLog').flushAll();
    expect(actions().map((a) => a.action_type)).toEqual(['file_create', 'file_open', 'file_close', 'file_delete']);
  });
});

describe('buffers, diffs and external changes', () => {
  it('a repeated diff is reused, and recomputed when the buffer or the file on disk changes', () => {
    const ws = t.core.get('workspace');
    const edit = (content: string): void => {
      ws.updateBuffer({ path: 'src/app.ts', content, cursorPosition: { line: 1, column: 1 }, selections: [] });
    };
    edit('const a = 1;\nconst b = 3;\n');
    const first = ws.diff('src/app.ts');
    expect(first).toContain('+const b = 3;');
    expect(ws.diff('src/app.ts')).toBe(first);
    // A second edit in the same millisecond still gives a new diff.
    edit('const a = 1;\nconst b = 4;\n');
    expect(ws.diff('src/app.ts')).toContain('+const b = 4;');
    // The disk catching up with the buffer (same size, new content) leaves nothing to diff.
    fs.writeFileSync(path.join(t.projectDir, 'src', 'app.ts'), 'const a = 1;\nconst b = 4;\n');
    expect(ws.diff('src/app.ts')).toBe('');
    // Closing drops the buffer and its diff.
    edit('changed\n');
    expect(ws.diff('src/app.ts')).not.toBe('');
    ws.close('src/app.ts');
    expect(ws.diff('src/app.ts')).toBe('');
  });

  it('buffer:update marks dirty, diffs against disk, logs a significant change, and tab/selection are logged', async () => {
    startSession();
    await client.invoke('file:open', { path: 'src/app.ts' });
    await client.invoke('buffer:update', {
      path: 'src/app.ts',
      content: 'const a = 1;\nconst b = 22;\n',
      cursorPosition: { line: 2, column: 12 },
      selections: [],
    });
    expect(t.core.get('workspace').getBuffer('src/app.ts')).toMatchObject({
      dirty: true,
      cursor: { line: 2, column: 12 },
    });
    expect(t.core.get('workspace').diff('src/app.ts')).toBe(
      [
        '===================================================================',
        '--- a/src/app.ts',
        '+++ b/src/app.ts',
        '@@ -1,2 +1,2 @@',
        ' const a = 1;',
        '-const b = 2;',
        '+const b = 22;',
        '',
      ].join('\n'),
    );
    await client.invoke('buffer:update', {
      path: 'src/app.ts',
      content: 'x'.repeat(800),
      cursorPosition: { line: 1, column: 1 },
      selections: [{ startLine: 1, startColumn: 1, endLine: 1, endColumn: 5 }],
    });
    await client.invoke('editor:tab_switch', { fromPath: null, toPath: 'src/app.ts' });
    await client.invoke('editor:selection', {
      path: 'src/app.ts',
      range: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 5 },
      selectedText: 'xxxx',
    });
    t.core.get('actionLog').flushAll();
    expect(actions().slice(1)).toEqual([
      {
        action_type: 'buffer_significant_change',
        data: { path: 'src/app.ts', previousCharCount: 26, newCharCount: 800, delta: 774 },
      },
      { action_type: 'editor_tab_switch', data: { fromPath: null, toPath: 'src/app.ts' } },
      {
        action_type: 'editor_selection',
        data: { path: 'src/app.ts', range: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 5 }, textLength: 4 },
      },
    ]);
  });

  it('endSession logs the final summaries to the ending session and clears the buffers', async () => {
    const id = startSession();
    await client.invoke('file:open', { path: 'src/app.ts' });
    await client.invoke('buffer:update', {
      path: 'src/app.ts',
      content: 'const a = 1;\nconst b = 3;\n',
      cursorPosition: { line: 1, column: 1 },
      selections: [],
    });
    t.core.get('workspace').endSession();
    t.core.get('actionLog').flushAll();
    expect(actions().at(-1)).toEqual({
      action_type: 'buffer_summary',
      data: { path: 'src/app.ts', editCount: 1, charDelta: 0, charCount: 26 },
    });
    expect(t.core.get('workspace').openFileList()).toEqual([]);
    expect(id).toBeGreaterThan(0);
  });

  it('without an active session actions are dropped with a warning', async () => {
    await client.invoke('file:open', { path: 'src/app.ts' });
    t.core.get('actionLog').flushAll();
    expect(actions()).toEqual([]);
    expect(t.logs.lines.some((l) => l.includes('no active session'))).toBe(true);
  });

  it('a disk change under a dirty buffer emits buffer:external_change; a clean buffer follows the disk', async () => {
    await client.invoke('file:open', { path: 'src/app.ts' });
    fs.writeFileSync(path.join(t.projectDir, 'README.md'), 'readme\n');
    await client.invoke('file:open', { path: 'README.md' });
    await client.invoke('buffer:update', {
      path: 'src/app.ts',
      content: 'mine',
      cursorPosition: { line: 1, column: 1 },
      selections: [],
    });
    fs.writeFileSync(path.join(t.projectDir, 'src/app.ts'), 'theirs\n');
    fs.writeFileSync(path.join(t.projectDir, 'README.md'), 'readme v2\n');
    await waitForEvent('buffer:external_change', (p) => (p as { path: string }).path === 'src/app.ts');
    await waitForEvent('fs:tree_update', (p) =>
      (p as { changes: { path: string }[] }).changes.some((c) => c.path === 'README.md'),
    );
    expect(t.core.get('workspace').getBuffer('src/app.ts')).toMatchObject({ content: 'mine', dirty: true });
    expect(t.core.get('workspace').getBuffer('README.md')).toMatchObject({ content: 'readme v2\n', dirty: false });
    fs.rmSync(path.join(t.projectDir, 'src/app.ts'));
    await waitForEvent(
      'buffer:external_change',
      (p) => (p as { deleted: boolean; path: string }).deleted && (p as { path: string }).path === 'src/app.ts',
    );
    // Diff against empty content once deleted; saving recreates it.
    expect(t.core.get('workspace').diff('src/app.ts')).toContain('+mine');
    await client.invoke('file:save', { path: 'src/app.ts', content: 'mine' });
    expect(fs.readFileSync(path.join(t.projectDir, 'src/app.ts'), 'utf8')).toBe('mine');
  });

  it('our own save does not come back as an external change', async () => {
    await client.invoke('file:open', { path: 'src/app.ts' });
    await client.invoke('file:save', { path: 'src/app.ts', content: 'saved by paige\n' });
    await client.invoke('buffer:update', {
      path: 'src/app.ts',
      content: 'typing again',
      cursorPosition: { line: 1, column: 1 },
      selections: [],
    });
    await waitForEvent('fs:tree_update', (p) =>
      (p as { changes: { path: string }[] }).changes.some((c) => c.path === 'src/app.ts'),
    );
    expect(transport.events.filter((e) => e.channel === 'buffer:external_change')).toEqual([]);
  });
});

describe('search:query', () => {
  it('finds actions with snippets and highlights, pages with a cursor, filters by session, rejects an empty query', async () => {
    const s1 = startSession();
    for (let i = 0; i < 5; i++) {
      await client.invoke('file:create', { path: `widgets/gizmo-${i}.ts` });
    }
    t.core.get('actionLog').flushAll();
    const page1 = await client.invoke('search:query', { query: 'gizmo', limit: 3 });
    expect(page1.results).toHaveLength(3);
    expect(page1.hasMore).toBe(true);
    const first = page1.results[0];
    expect(first?.kind).toBe('action');
    expect(first?.sessionId).toBe(s1);
    const [start, end] = first?.highlights[0] ?? [0, 0];
    expect(first?.snippet.slice(start, end).toLowerCase()).toBe('gizmo');
    const page2 = await client.invoke('search:query', { query: 'gizmo', limit: 3, cursor: page1.nextCursor ?? '' });
    expect(page2.results).toHaveLength(2);
    expect(page2.hasMore).toBe(false);
    const ids = [...page1.results, ...page2.results].map((r) => r.id);
    expect(new Set(ids).size).toBe(5);
    expect((await client.invoke('search:query', { query: 'giz*' })).results).toHaveLength(5);
    expect((await client.invoke('search:query', { query: '"file create" gizmo' })).results).toHaveLength(5);
    expect((await client.invoke('search:query', { query: 'gizmo', sessionId: s1 + 1 })).results).toEqual([]);
    expect((await client.invoke('search:query', { query: 'NEAR( gizmo OR "' })).results).toHaveLength(5);
    await expect(client.invoke('search:query', { query: ' ()*" ' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});

async function waitForEvent(channel: string, match: (payload: unknown) => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    if (transport.events.some((e) => e.channel === channel && match(e.payload))) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no ${channel} event matched; got ${JSON.stringify(transport.events.map((e) => e.channel))}`);
}
