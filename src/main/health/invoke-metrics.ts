// Per-channel invoke counts and latency percentiles for app:health (bounded ring of recent samples).

/** Samples kept per channel: enough for stable p95 without growing with uptime. */
const SAMPLES_PER_CHANNEL = 512;

interface ChannelStats {
  count: number;
  errors: number;
  samples: number[];
  next: number;
}

export class InvokeMetrics {
  private readonly stats = new Map<string, ChannelStats>();

  record(channel: string, durationMs: number, ok: boolean): void {
    let s = this.stats.get(channel);
    if (!s) {
      s = { count: 0, errors: 0, samples: [], next: 0 };
      this.stats.set(channel, s);
    }
    s.count += 1;
    if (!ok) s.errors += 1;
    if (s.samples.length < SAMPLES_PER_CHANNEL) s.samples.push(durationMs);
    else s.samples[s.next] = durationMs;
    s.next = (s.next + 1) % SAMPLES_PER_CHANNEL;
  }

  snapshot(): Record<string, { count: number; errors: number; p50Ms: number; p95Ms: number }> {
    const out: Record<string, { count: number; errors: number; p50Ms: number; p95Ms: number }> = {};
    for (const [channel, s] of this.stats) {
      const sorted = [...s.samples].sort((a, b) => a - b);
      out[channel] = {
        count: s.count,
        errors: s.errors,
        p50Ms: percentile(sorted, 0.5),
        p95Ms: percentile(sorted, 0.95),
      };
    }
    return out;
  }
}

function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return Math.round((sorted[idx] ?? 0) * 1000) / 1000;
}
