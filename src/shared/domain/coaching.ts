// Payloads of the UI effects Claude Code drives through MCP: the editor:, explorer:, coaching: and session: events.
import { z } from 'zod';
import {
  HintStyleSchema,
  IssueContextSchema,
  PhaseStatusSchema,
  SessionStatusSchema,
  WrapUpAgentSchema,
} from './session';

export const HighlightStyleSchema = z.enum(['info', 'warning', 'error']);
export const MessageTypeSchema = z.enum(['info', 'success', 'warning', 'error', 'hint']);

const HighlightRangeSchema = z.object({
  start: z.number().int().min(1),
  end: z.number().int().min(1),
  style: HighlightStyleSchema,
  hoverText: z.string().optional(),
});

/** `editor:open_file`: Claude Code opened a file (`paige_open_file`); the editor opens or focuses its tab. */
export const OpenFileEventSchema = z.object({
  path: z.string(),
  content: z.string(),
  language: z.string(),
  lineCount: z.number().int(),
  source: z.literal('mcp'),
});

/**
 * `fromPlan`: the active phase's own hints, sent when a phase starts. A renderer holding the plan may draw them from
 * the plan instead, where each hint carries the hint level it needs.
 */
export const HighlightLinesEventSchema = z.object({
  path: z.string(),
  ranges: z.array(HighlightRangeSchema),
  fromPlan: z.boolean().optional(),
});
export const ClearHighlightsEventSchema = z.object({ path: z.string().optional() });
export const HintFilesEventSchema = z.object({
  paths: z.array(z.string()),
  style: HintStyleSchema,
  directories: z.array(z.string()).optional(),
  fromPlan: z.boolean().optional(),
});
export const ClearHintsEventSchema = z.object({});

export const CoachingMessageEventSchema = z.object({
  messageId: z.string(),
  message: z.string(),
  type: MessageTypeSchema,
  anchor: z.object({ path: z.string(), startLine: z.number().int(), endLine: z.number().int() }).optional(),
  source: z.enum(['coaching', 'explain', 'observer', 'review']),
});

/** `coaching:clear`: the feed drops these messages (all of them without ids), in every window. */
export const CoachingClearEventSchema = z.object({ messageIds: z.array(z.string()).optional() });
/** Message ids are UUIDs; bounded generously. */
export const MessageIdSchema = z.string().min(1).max(100);

/** `coaching:issue_context`: the issue card, the same shape the session snapshot carries. */
export const IssueContextEventSchema = IssueContextSchema;

export const PhaseUpdateEventSchema = z.object({
  planId: z.number().int(),
  phase: z.object({
    id: z.number().int(),
    number: z.number().int(),
    title: z.string(),
    status: PhaseStatusSchema,
    startedAt: z.string().nullable(),
    completedAt: z.string().nullable(),
  }),
});

export const SessionCompletedEventSchema = z.object({
  sessionId: z.number().int(),
  status: SessionStatusSchema,
  memoriesAdded: z.number().int(),
  gapsIdentified: z.number().int(),
  katasGenerated: z.number().int(),
  assessmentsUpdated: z.number().int(),
  errors: z.array(z.object({ agent: WrapUpAgentSchema, message: z.string() })),
});
