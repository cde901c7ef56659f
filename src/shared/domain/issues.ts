// The learner's GitHub issues: what is in progress and the open issues ranked for them (the dashboard:* issue
// events, docs/issues.md).
import { z } from 'zod';

export const IssueDifficultySchema = z.enum(['low', 'medium', 'high', 'very_high', 'extreme']);
export const IssueSuitabilitySchema = z.enum(['excellent', 'good', 'fair', 'poor']);

/** A label as GitHub shows it; `color` is hex without `#`. */
const IssueLabelSchema = z.object({ name: z.string(), color: z.string().nullable() });
export type IssueLabel = z.infer<typeof IssueLabelSchema>;

const GitHubUserSchema = z.object({ login: z.string(), avatarUrl: z.string() });

/** An open issue with its score and, when the model could assess it, Paige's summary and ratings. */
const ScoredIssueSchema = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  body: z.string(),
  summary: z.string(),
  difficulty: IssueDifficultySchema.nullable(),
  suitability: IssueSuitabilitySchema.nullable(),
  recommendedFocus: z.string().nullable(),
  labels: z.array(IssueLabelSchema),
  author: GitHubUserSchema,
  assignees: z.array(GitHubUserSchema),
  commentCount: z.number().int().min(0),
  updatedAt: z.string(),
  createdAt: z.string(),
  htmlUrl: z.string(),
  score: z.number(),
});
export type ScoredIssue = z.infer<typeof ScoredIssueSchema>;

/**
 * Something the learner already works on: the active session's issue, an issue whose plan is unfinished, or one of
 * their open pull requests (`prStatus`).
 */
const InProgressItemSchema = z.object({
  type: z.enum(['issue', 'pr']),
  number: z.number().int().positive(),
  title: z.string(),
  labels: z.array(IssueLabelSchema),
  author: GitHubUserSchema.nullable(),
  updatedAt: z.string(),
  createdAt: z.string(),
  htmlUrl: z.string().nullable(),
  difficulty: IssueDifficultySchema.optional(),
  summary: z.string().optional(),
  prStatus: z.enum(['open', 'draft']).optional(),
  /** Issues only: `active` while a session works on it, `unfinished_plan` when its plan has phases left. */
  sessionState: z.enum(['active', 'unfinished_plan']).optional(),
});
export type InProgressItem = z.infer<typeof InProgressItemSchema>;

const IssuesErrorCodeSchema = z.enum(['GH_UNAVAILABLE', 'GH_AUTH', 'GH_NO_REPO']);

export const InProgressEventSchema = z.object({
  requestId: z.string(),
  items: z.array(InProgressItemSchema),
  done: z.boolean(),
});
/** One ranked issue per event as its assessment completes; the last carries `done: true`. */
export const IssuesEventSchema = z.object({
  requestId: z.string(),
  issues: z.array(ScoredIssueSchema),
  /** How many issues this request sends in all. */
  total: z.number().int().min(0),
  /** How many open issues were ranked to choose them (gh lists at most 100; in-progress issues not counted). */
  openCount: z.number().int().min(0),
  /** The model layer's state (capability `llm`): only when `ready` were the issues rated by the model. */
  llm: z.enum(['ready', 'no_key', 'invalid_key']),
  done: z.boolean(),
});
export const IssuesErrorEventSchema = z.object({
  requestId: z.string(),
  code: IssuesErrorCodeSchema,
  message: z.string(),
});
