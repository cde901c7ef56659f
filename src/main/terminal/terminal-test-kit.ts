// Test helpers for the terminal host: a service on real node-pty and a consumer that behaves like a renderer.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EventChannel, EventPayload } from '../../shared/ipc/contract';
import { Logger, MemorySink } from '../logging/logger';
import { loadNodePty } from './pty-backend';
import { TerminalService, type TerminalSettings } from './terminal-service';
import { ACK_UNIT_CHARS } from './flow-control';

interface Emitted {
  channel: EventChannel;
  payload: unknown;
}

export function makeTerminalService(
  opts: {
    settings?: Partial<TerminalSettings>;
    env?: Record<string, string | undefined>;
    projectDir?: string | null;
    pluginDir?: string;
  } = {},
) {
  const pty = loadNodePty();
  if (!pty.ok) throw new Error(`node-pty did not load: ${pty.error}`);
  const listeners = new Set<(e: Emitted) => void>();
  const events: Emitted[] = [];
  let projectDir =
    opts.projectDir !== undefined
      ? opts.projectDir
      : fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'paige-term-')));
  const service = new TerminalService({
    backend: pty.backend,
    emit: <E extends EventChannel>(channel: E, payload: EventPayload<E>) => {
      const e = { channel, payload };
      if (channel !== 'terminal:data') events.push(e);
      for (const l of [...listeners]) l(e);
    },
    logger: new Logger([new MemorySink()], 'warn', { component: 'terminal-test' }),
    settings: () => ({ command: '/bin/sh', args: [], scrollback: 1_000, safetyMode: 'read_only', ...opts.settings }),
    projectDir: () => projectDir,
    env: opts.env ?? { PATH: process.env.PATH, HOME: process.env.HOME },
    pluginDir: opts.pluginDir ?? path.join(os.tmpdir(), 'paige-no-plugin-here'),
  });
  return {
    service,
    /** The temp project folder (tests that pass `projectDir: null` must not use it). */
    projectDir: projectDir ?? '',
    /** Switches the open project the way ProjectService would (AppCore forwards the change). */
    setProject(dir: string | null): void {
      projectDir = dir;
      service.projectChanged(dir);
    },
    events,
    onEvent(l: (e: Emitted) => void): () => void {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}

/** Records one pty's output like a renderer would and acks it in units of 5 000 (unless told to stop). */
export class FakeRenderer {
  text = '';
  chars = 0;
  lastDataAt = 0;
  acking = true;
  private owed = 0;
  private readonly off: () => void;

  constructor(
    private readonly kit: ReturnType<typeof makeTerminalService>,
    readonly clientId: string,
    public ptyId: string,
    private readonly keepText = true,
  ) {
    this.off = kit.onEvent((e) => {
      if (e.channel !== 'terminal:data') return;
      const p = e.payload as EventPayload<'terminal:data'>;
      if (p.ptyId !== this.ptyId) return;
      if (this.keepText) this.text += p.data;
      this.chars += p.data.length;
      this.lastDataAt = performance.now();
      this.owed += p.data.length;
      if (this.acking) this.flushAcks();
    });
  }

  /** Acks what it owes in whole units, as the renderer does from xterm's write callback. */
  flushAcks(all = false): void {
    const units = all ? this.owed : Math.floor(this.owed / ACK_UNIT_CHARS) * ACK_UNIT_CHARS;
    if (units <= 0) return;
    this.owed -= units;
    this.kit.service.ack(this.clientId, this.ptyId, units);
  }

  dispose(): void {
    this.off();
  }
}

export async function waitFor(predicate: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
