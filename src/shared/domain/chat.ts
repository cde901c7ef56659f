// Coach chat: chat sessions, messages, turns and the `chat:event` stream (docs/chat.md).
import { z } from 'zod';

/** Longest message a learner can send. */
export const CHAT_TEXT_MAX = 20_000;
/** Messages waiting behind a streaming turn; one more is refused with QUEUE_FULL. */
export const CHAT_QUEUE_MAX = 10;

const ChatIdSchema = z.string().min(1).max(64);

const ChatSessionSchema = z.object({
  id: z.string(),
  title: z.string(),
  coachingSessionId: z.number().int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastSeq: z.number().int().nonnegative(),
});
export type ChatSession = z.infer<typeof ChatSessionSchema>;

const ChatMessageSchema = z.object({
  id: z.string(),
  chatSessionId: z.string(),
  turnId: z.string().nullable(),
  seq: z.number().int().positive(),
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  status: z.enum(['queued', 'sent', 'cancelled', 'streaming', 'complete', 'partial', 'failed']),
  createdAt: z.string(),
});
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

const UsageSchema = z.object({ inputTokens: z.number().int(), outputTokens: z.number().int() });

/** Every event carries the chat session and its `seq` (strictly increasing per chat session, no gaps). */
const Base = z.object({ chatSessionId: z.string(), seq: z.number().int().positive() });

export const ChatEventSchema = z.discriminatedUnion('type', [
  Base.extend({
    type: z.literal('turn_started'),
    turnId: z.string(),
    userMessageId: z.string(),
    assistantMessageId: z.string(),
    /** So a window that did not send it can show the question. */
    userText: z.string(),
  }),
  Base.extend({ type: z.literal('delta'), turnId: z.string(), text: z.string() }),
  Base.extend({
    type: z.literal('turn_completed'),
    turnId: z.string(),
    reason: z.enum(['end_turn', 'max_tokens']),
    usage: UsageSchema,
  }),
  Base.extend({ type: z.literal('turn_interrupted'), turnId: z.string(), partialMessageId: z.string() }),
  Base.extend({
    type: z.literal('turn_failed'),
    turnId: z.string(),
    error: z.object({ code: z.string(), message: z.string() }),
  }),
  Base.extend({
    type: z.literal('queued'),
    messageId: z.string(),
    position: z.number().int().positive(),
    text: z.string(),
  }),
  Base.extend({
    type: z.literal('dequeued'),
    messageId: z.string(),
    /** `started`: its turn begins next; `removed`: chat:dequeue; `cancelled`: interrupt with clearQueue. */
    reason: z.enum(['started', 'removed', 'cancelled']),
  }),
  Base.extend({ type: z.literal('status'), state: z.enum(['idle', 'streaming']), queueLength: z.number().int() }),
  Base.extend({ type: z.literal('session_deleted') }),
]);
export type ChatEvent = z.infer<typeof ChatEventSchema>;

const ChatStateSchema = z.object({
  status: z.enum(['idle', 'streaming']),
  lastSeq: z.number().int().nonnegative(),
  activeTurn: z.object({ turnId: z.string(), messageId: z.string(), text: z.string() }).nullable(),
  queue: z.array(z.object({ messageId: z.string(), text: z.string() })),
});
export type ChatState = z.infer<typeof ChatStateSchema>;

const ChatTurnSchema = z.object({
  id: z.string(),
  status: z.enum(['streaming', 'completed', 'interrupted', 'failed']),
  reason: z.enum(['end_turn', 'max_tokens', 'interrupted', 'error', 'shutdown']).nullable(),
  startedAt: z.string(),
  completedAt: z.string().nullable(),
  model: z.string(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
});

const CursorSchema = z.string().min(1).max(64);
const LimitSchema = (max: number, dflt: number) => z.number().int().min(1).max(max).default(dflt);

export const chatSchemas = {
  sessionCreate: {
    input: z
      .object({ title: z.string().trim().min(1).max(200).optional(), linkCoachingSession: z.boolean().default(true) })
      .default({ linkCoachingSession: true }),
    output: ChatSessionSchema,
  },
  sessionList: {
    input: z.object({ limit: LimitSchema(100, 20), cursor: CursorSchema.optional() }).default({ limit: 20 }),
    output: z.object({ sessions: z.array(ChatSessionSchema), nextCursor: z.string().nullable(), hasMore: z.boolean() }),
  },
  sessionDelete: { input: z.object({ chatSessionId: ChatIdSchema }), output: z.object({ deleted: z.boolean() }) },
  send: {
    input: z.object({
      chatSessionId: ChatIdSchema,
      text: z.string().min(1).max(CHAT_TEXT_MAX),
      clientMessageId: z.string().min(1).max(64).optional(),
    }),
    output: z.object({
      messageId: z.string(),
      turnId: z.string().nullable(),
      queued: z.boolean(),
      position: z.number().int().positive().nullable(),
    }),
  },
  interrupt: {
    input: z.object({ chatSessionId: ChatIdSchema, clearQueue: z.boolean().default(false) }),
    output: z.object({
      interrupted: z.boolean(),
      turnId: z.string().nullable(),
      partialMessageId: z.string().nullable(),
    }),
  },
  dequeue: {
    input: z.object({ chatSessionId: ChatIdSchema, messageId: ChatIdSchema }),
    output: z.object({ removed: z.boolean() }),
  },
  history: {
    input: z
      .object({
        chatSessionId: ChatIdSchema,
        before: CursorSchema.optional(),
        after: CursorSchema.optional(),
        limit: LimitSchema(100, 50),
      })
      .refine((v) => v.before === undefined || v.after === undefined, { message: 'use before or after, not both' }),
    output: z.object({ messages: z.array(ChatMessageSchema), nextCursor: z.string().nullable(), hasMore: z.boolean() }),
  },
  state: { input: z.object({ chatSessionId: ChatIdSchema }), output: ChatStateSchema },
  turns: { input: z.object({ chatSessionId: ChatIdSchema }), output: z.object({ turns: z.array(ChatTurnSchema) }) },
} as const;
