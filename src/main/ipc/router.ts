// Dispatches contract invokes from any transport: validates input, runs the handler in a correlation context,
// and always answers with the envelope. Transports never call services directly.
import {
  invokeChannels,
  isInvokeChannel,
  type InvokeChannel,
  type InvokeDef,
  type InvokeInput,
  type InvokeOutput,
} from '../../shared/ipc/contract';
import type { Envelope } from '../../shared/ipc/envelope';
import { PaigeError, isPaigeError } from '../../shared/ipc/errors';
import { newCid, runWithContext } from '../logging/context';
import type { Logger } from '../logging/logger';
import type { InvokeMetrics } from '../health/invoke-metrics';

type TransportKind = 'electron' | 'bridge';

/** @visibleForTesting */
export interface InvokeMeta {
  transport: TransportKind;
  clientId: string;
  cid?: string | undefined;
}

interface HandlerContext {
  cid: string;
  transport: TransportKind;
  clientId: string;
}

export type InvokeHandler<C extends InvokeChannel> = (
  input: InvokeInput<C>,
  ctx: HandlerContext,
) => InvokeOutput<C> | Promise<InvokeOutput<C>>;

/** A handler for every channel: the compiler refuses a registry with a channel left out. */
export type HandlerMap = { [C in InvokeChannel]: InvokeHandler<C> };

/** A correlation id a client may supply; anything else gets a fresh one rather than being echoed back. */
export const CID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export class IpcRouter {
  private accepting = true;

  constructor(
    private readonly handlers: HandlerMap,
    private readonly logger: Logger,
    private readonly metrics: InvokeMetrics,
    private readonly validateOutput: boolean,
  ) {}

  /** Step 1 of shutdown: new invokes get SHUTTING_DOWN. */
  stopAccepting(): void {
    this.accepting = false;
  }

  hasHandler(channel: string): boolean {
    return isInvokeChannel(channel) && typeof this.handlers[channel] === 'function';
  }

  async dispatch(channel: string, payload: unknown, meta: InvokeMeta): Promise<Envelope<unknown>> {
    const cid = meta.cid !== undefined && CID_PATTERN.test(meta.cid) ? meta.cid : newCid();
    return runWithContext({ cid }, async () => {
      const started = performance.now();
      let envelope: Envelope<unknown>;
      try {
        const value = await this.run(channel, payload, { cid, transport: meta.transport, clientId: meta.clientId });
        envelope = { ok: true, value };
      } catch (err) {
        envelope = { ok: false, error: this.toError(err, channel).toShape(cid) };
      }
      const durationMs = performance.now() - started;
      if (isInvokeChannel(channel)) this.metrics.record(channel, durationMs, envelope.ok);
      this.logger.debug('invoke', {
        channel,
        transport: meta.transport,
        ok: envelope.ok,
        durationMs: Math.round(durationMs * 1000) / 1000,
        ...(envelope.ok ? {} : { code: envelope.error.code }),
      });
      return envelope;
    });
  }

  private async run(channel: string, payload: unknown, ctx: HandlerContext): Promise<unknown> {
    if (!this.accepting) throw new PaigeError('SHUTTING_DOWN', 'Paige is shutting down.');
    if (!isInvokeChannel(channel)) {
      throw new PaigeError('UNKNOWN_CHANNEL', `Unknown channel "${String(channel).slice(0, 128)}".`);
    }
    const def: InvokeDef = invokeChannels[channel];
    if (def.electronOnly && ctx.transport !== 'electron') {
      throw new PaigeError('NOT_SUPPORTED', `"${channel}" is only available in the desktop app.`);
    }
    const parsed = def.input.safeParse(payload);
    if (!parsed.success) {
      throw new PaigeError('VALIDATION_FAILED', `Invalid input for "${channel}".`, { issues: parsed.error.issues });
    }
    const handler = this.handlers[channel] as InvokeHandler<InvokeChannel>;
    const value = await handler(parsed.data as never, ctx);
    if (this.validateOutput) {
      const out = def.output.safeParse(value);
      if (!out.success) {
        this.logger.error('handler output failed its schema', { channel, issues: out.error.issues });
        throw new PaigeError('INTERNAL', `"${channel}" produced an invalid result.`);
      }
      return out.data;
    }
    return value;
  }

  private toError(err: unknown, channel: string): PaigeError {
    if (isPaigeError(err)) return err;
    this.logger.error('invoke handler failed', { channel, err });
    return new PaigeError('INTERNAL', `"${channel}" failed unexpectedly. See the Paige log for details.`);
  }
}
