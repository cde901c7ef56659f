// First paint of the Home view in Chromium through the bridge: `paige serve` (built) serves the renderer, a fresh
// headless Chromium page opens the bridge URL, and we time DOMContentLoaded and the first "Paige" heading on screen.
// With PAIGE_BENCH_BASELINE_RENDERER=<dir> a second renderer build (e.g. one from before a change) is served by the
// same backend build and measured interleaved in the same run, so the two columns share the machine's load.
// Also reports the entry chunk and the IDE chunk sizes of each renderer build (raw and gzip).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawn } from 'node:child_process';
import { chromium } from '@playwright/test';
import { median } from './stats';

const ROOT = path.resolve(__dirname, '..');
const RUNS = Number(process.env.PAIGE_BENCH_PAINT_RUNS ?? 9);
const CHROMIUM = process.env.PAIGE_CHROMIUM ?? '/usr/bin/chromium';

const tmp = (p: string): string => fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), p)));

interface Serve {
  url: string;
  stop(): Promise<void>;
}

async function serve(rendererDir: string): Promise<Serve> {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'out/main/cli.js'), 'serve', '--project', tmp('fp-p-'), '--data-dir', tmp('fp-d-')],
    { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, PAIGE_RENDERER_DIR: rendererDir } },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { bridgeUrl: string }).bridgeUrl);
    });
    child.once('exit', (c) => reject(new Error(`paige serve exited ${c}`)));
  });
  return {
    url,
    stop: () =>
      new Promise((r) => {
        child.once('exit', () => r());
        child.kill('SIGTERM');
      }),
  };
}

/** Entry chunk = the script index.html loads; IDE chunk = the largest other JS chunk (Monaco lives there). */
function chunkSizes(rendererDir: string): { entry: string; ide: string } {
  const html = fs.readFileSync(path.join(rendererDir, 'index.html'), 'utf8');
  const entryRel = /<script[^>]+src="\.?\/?([^"]+\.js)"/.exec(html)?.[1];
  const assets = path.join(rendererDir, 'assets');
  const size = (file: string): string => {
    const buf = fs.readFileSync(file);
    return `${(buf.length / 1024).toFixed(0)} KB (gzip ${(zlib.gzipSync(buf).length / 1024).toFixed(0)} KB)`;
  };
  const entryFile = entryRel ? path.join(rendererDir, entryRel) : '';
  const others = fs
    .readdirSync(assets)
    .filter((f) => f.endsWith('.js') && path.join(assets, f) !== entryFile && !f.startsWith('editor.worker'))
    .map((f) => path.join(assets, f))
    .sort((a, b) => fs.statSync(b).size - fs.statSync(a).size);
  return {
    entry: entryFile ? size(entryFile) : '?',
    ide: others[0] && fs.statSync(others[0]).size > 500 * 1024 ? size(others[0]) : 'none (in the entry)',
  };
}

export async function runFirstPaintBench(): Promise<void> {
  const builds: { label: string; dir: string }[] = [{ label: 'current', dir: path.join(ROOT, 'out/renderer') }];
  const baseline = process.env.PAIGE_BENCH_BASELINE_RENDERER;
  if (baseline) builds.unshift({ label: 'baseline', dir: path.resolve(baseline) });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  const results = new Map(builds.map((b) => [b.label, { dcl: [] as number[], paint: [] as number[] }]));
  try {
    for (let i = 0; i < RUNS; i++) {
      for (const b of builds) {
        const s = await serve(b.dir);
        const context = await browser.newContext();
        const page = await context.newPage();
        const t0 = Date.now();
        await page.goto(s.url, { waitUntil: 'domcontentloaded' });
        const dcl = Date.now() - t0;
        await page.getByRole('heading', { name: 'Paige' }).waitFor({ state: 'visible' });
        const paint = Date.now() - t0;
        const r = results.get(b.label);
        r?.dcl.push(dcl);
        r?.paint.push(paint);
        await context.close();
        await s.stop();
      }
    }
  } finally {
    await browser.close();
  }
  for (const b of builds) {
    const r = results.get(b.label);
    if (!r) continue;
    const sizes = chunkSizes(b.dir);
    console.log(
      `first paint (${b.label}, n=${RUNS}): DOMContentLoaded median ${median(r.dcl)} ms, "Paige" on screen median ` +
        `${median(r.paint)} ms (runs ${r.paint.join(', ')}); entry ${sizes.entry}, IDE chunk ${sizes.ide}`,
    );
  }
}

if (require.main === module) {
  runFirstPaintBench().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
