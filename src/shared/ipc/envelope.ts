// The invoke result envelope and the bridge's WebSocket frames (docs/ipc.md).
import { z } from 'zod';
import { ErrorShapeSchema, type ErrorShape } from './errors';

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorShape };

/** Bridge protocol version; bumped when frames change shape. */
export const BRIDGE_PROTOCOL_VERSION = 1;

/** WebSocket close codes used by the bridge. */
export const BRIDGE_CLOSE = {
  unauthorized: 4401,
  /**
   * The socket opened but no auth frame came in time (a page busy on a loaded machine): unlike 4401 the client
   * reconnects, since its token may be fine.
   */
  authTimeout: 4400,
  forbidden: 4403,
  tooManyConnections: 4429,
  pingTimeout: 4408,
  shuttingDown: 4503,
} as const;

export const ClientFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auth'), token: z.string().max(512) }),
  z.object({
    type: z.literal('invoke'),
    id: z.number().int().nonnegative(),
    channel: z.string().max(128),
    payload: z.unknown().optional(),
    cid: z.string().max(128).optional(),
  }),
  z.object({ type: z.literal('ping') }),
  z.object({ type: z.literal('pong') }),
]);
export type ClientFrame = z.infer<typeof ClientFrameSchema>;

export const ServerFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auth_ok'), protocolVersion: z.number().int(), connectionId: z.string() }),
  z.object({
    type: z.literal('result'),
    id: z.number().int(),
    ok: z.boolean(),
    value: z.unknown().optional(),
    error: ErrorShapeSchema.optional(),
  }),
  z.object({
    type: z.literal('event'),
    channel: z.string(),
    payload: z.unknown(),
    cid: z.string().optional(),
  }),
  z.object({ type: z.literal('ping') }),
  z.object({ type: z.literal('pong') }),
]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;
