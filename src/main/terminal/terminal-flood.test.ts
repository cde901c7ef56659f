// A 5 s `yes` flood through the host to an acking consumer: memory stays flat, the unacked bound holds, and Ctrl-C
// stops the output promptly. Numbers are printed for BENCHMARKS.md/reporting; timing is asserted loosely.
import { afterEach, describe, expect, it } from 'vitest';
import { FakeRenderer, makeTerminalService, sleep, waitFor } from './terminal-test-kit';
import { HIGH_WATER_CHARS } from './flow-control';

const FLOOD_MS = 5_000;
const MAX_RSS_GROWTH_BYTES = 64 * 1024 * 1024;
/** The spec's 1 s, with room for a loaded 2-core CI machine; the measured value is printed. */
const LOOSE_INTERRUPT_MS = 3_000;
/** Output silent this long counts as stopped. */
const SETTLE_MS = 1_000;

let k: ReturnType<typeof makeTerminalService> | null = null;
afterEach(async () => {
  await k?.service.shutdown();
  k = null;
});

describe('terminal flood', () => {
  it('`yes` for 5 s: RSS growth < 64 MB, unacked ≤ 100 000 + one batch, Ctrl-C stops output', async () => {
    k = makeTerminalService();
    const res = await k.service.attach('window', 120, 40);
    const r = new FakeRenderer(k, 'window', res.ptyId, false);
    await sleep(200);
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 100);
    const started = performance.now();
    k.service.input(res.ptyId, 'yes\r');
    await sleep(FLOOD_MS);
    const floodChars = r.chars;
    const floodS = (performance.now() - started) / 1000;
    const t0 = performance.now();
    k.service.input(res.ptyId, '\x03');
    await waitFor(() => performance.now() - r.lastDataAt >= SETTLE_MS, 10_000, 'output to stop');
    clearInterval(sampler);
    const interruptMs = Math.max(0, r.lastDataAt - t0);
    const stats = k.service.session?.stats;
    const growth = rssPeak - rssBefore;
    console.log(
      `[terminal flood] ${(floodChars / 1e6 / floodS).toFixed(1)} M chars/s for ${floodS.toFixed(1)} s; ` +
        `RSS growth ${(growth / 1e6).toFixed(1)} MB; max unacked ${stats?.maxUnacked} (largest batch ${stats?.maxBatchChars}); ` +
        `Ctrl-C → last data ${interruptMs.toFixed(0)} ms`,
    );
    expect(floodChars).toBeGreaterThan(HIGH_WATER_CHARS);
    expect(growth).toBeLessThan(MAX_RSS_GROWTH_BYTES);
    expect(stats?.maxUnacked ?? Infinity).toBeLessThanOrEqual(HIGH_WATER_CHARS + (stats?.maxBatchChars ?? 0));
    expect(interruptMs).toBeLessThan(LOOSE_INTERRUPT_MS);
    r.dispose();
  });
});
