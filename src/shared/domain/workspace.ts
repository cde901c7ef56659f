// Files, buffers, the project tree and search results as they cross IPC (fs:*, file:*, buffer:*, search:*).
import { z } from 'zod';

/** Largest file Paige opens or saves (5 MiB). */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
/** Paths are bounded generously here so an over-long one reaches the path gate and gets INVALID_PATH. */
const MAX_WIRE_PATH = 16_384;
/** `editor:selection` carries at most this much selected text. */
export const MAX_SELECTED_TEXT = 10_000;

export const WirePathSchema = z.string().max(MAX_WIRE_PATH);

export interface TreeNode {
  name: string;
  path: string;
  type: 'file' | 'directory';
  symlink?: boolean;
  children?: TreeNode[];
}

export const TreeNodeSchema: z.ZodType<TreeNode> = z.lazy(() =>
  z.object({
    name: z.string(),
    path: z.string(),
    type: z.enum(['file', 'directory']),
    symlink: z.boolean().optional(),
    children: z.array(TreeNodeSchema).optional(),
  }),
);

export const TreeChangeSchema = z.object({
  action: z.enum(['add', 'change', 'unlink', 'addDir', 'unlinkDir']),
  path: z.string(),
});
export type TreeChange = z.infer<typeof TreeChangeSchema>;

const PositionSchema = z.object({ line: z.number().int().min(1), column: z.number().int().min(1) });
export const RangeSchema = z.object({
  startLine: z.number().int().min(1),
  startColumn: z.number().int().min(1),
  endLine: z.number().int().min(1),
  endColumn: z.number().int().min(1),
});
export type EditorRange = z.infer<typeof RangeSchema>;

export const OpenedFileSchema = z.object({
  path: z.string(),
  content: z.string(),
  language: z.string(),
  lineCount: z.number().int(),
  binary: z.boolean(),
  sizeBytes: z.number().int(),
  mtimeMs: z.number(),
});
export type OpenedFile = z.infer<typeof OpenedFileSchema>;

export const SaveInputSchema = z.object({
  path: WirePathSchema,
  content: z.string().max(MAX_FILE_BYTES),
  expectedMtimeMs: z.number().optional(),
  force: z.boolean().optional(),
});

export const SaveResultSchema = z.object({
  path: z.string(),
  savedAt: z.string(),
  mtimeMs: z.number(),
  charCount: z.number().int(),
});
export type SaveResult = z.infer<typeof SaveResultSchema>;

export const BufferUpdateSchema = z.object({
  path: WirePathSchema,
  content: z.string().max(MAX_FILE_BYTES),
  cursorPosition: PositionSchema,
  selections: z.array(RangeSchema).max(100),
});
export type BufferUpdate = z.infer<typeof BufferUpdateSchema>;

const SearchKindSchema = z.enum(['action', 'chat', 'memory']);
export type SearchKind = z.infer<typeof SearchKindSchema>;

export const SearchQuerySchema = z.object({
  query: z.string().max(1_000),
  kinds: z.array(SearchKindSchema).max(3).optional(),
  sessionId: z.number().int().optional(),
  limit: z.number().int().min(1).max(100).optional(),
  cursor: z.string().max(256).optional(),
});
export type SearchQuery = z.infer<typeof SearchQuerySchema>;

const SearchResultSchema = z.object({
  kind: SearchKindSchema,
  id: z.string(),
  sessionId: z.number().int().nullable(),
  snippet: z.string(),
  highlights: z.array(z.tuple([z.number().int(), z.number().int()])),
  createdAt: z.string(),
  rank: z.number(),
});
export type SearchResult = z.infer<typeof SearchResultSchema>;

export const SearchPageSchema = z.object({
  results: z.array(SearchResultSchema),
  nextCursor: z.string().nullable(),
  hasMore: z.boolean(),
});
export type SearchPage = z.infer<typeof SearchPageSchema>;
