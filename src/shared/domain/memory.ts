// Memory search: what `paige_search_memories` and `search:memories` take and answer (docs/memory.md).
import { z } from 'zod';

const MemoryBackendSchema = z.enum(['chroma', 'fts', 'none']);
export type MemoryBackend = z.infer<typeof MemoryBackendSchema>;

const MEMORY_QUERY_MAX_CHARS = 2_000;

export const SearchMemoriesInputSchema = z.object({
  query: z.string().trim().min(1).max(MEMORY_QUERY_MAX_CHARS),
  limit: z.number().int().min(1).max(20).optional(),
  /** `project` (default): memories of the open project only; `all`: every project. */
  scope: z.enum(['project', 'all']).optional(),
});
export type SearchMemoriesInput = z.infer<typeof SearchMemoriesInputSchema>;

const MemoryHitSchema = z.object({
  id: z.string(),
  content: z.string(),
  tags: z.array(z.string()),
  importance: z.enum(['low', 'medium', 'high']),
  created_at: z.string(),
  /** Higher is closer: cosine similarity from Chroma, a bm25-derived 0–1 value from full-text search. */
  score: z.number(),
});
export type MemoryHit = z.infer<typeof MemoryHitSchema>;

export const SearchMemoriesOutputSchema = z.object({
  backend: MemoryBackendSchema,
  results: z.array(MemoryHitSchema),
});
export type SearchMemoriesOutput = z.infer<typeof SearchMemoriesOutputSchema>;

/** `memory:status`: the configured mode and the live state of the memory index (the Settings status line). */
export const MemoryStatusSchema = z.object({
  mode: z.enum(['auto', 'embedded', 'url', 'fts']),
  backend: MemoryBackendSchema,
  chroma: z.enum(['embedded', 'url']).nullable(),
  embedder: z.string(),
  collection: z.string(),
  pending: z.number().int().nonnegative(),
  reason: z.string().nullable(),
});
