// The few Chroma v2 REST calls the memory index needs, over fetch: heartbeat, get-or-create a collection (cosine
// space, no embedding function: Paige always sends its own embeddings), upsert and query. Every call has a timeout;
// any failure is an Error the memory service turns into the full-text fallback.
import { z } from 'zod';

const TENANT_PATH = '/api/v2/tenants/default_tenant/databases/default_database';
const CALL_TIMEOUT_MS = 5_000;

/** True when the server answers its v2 heartbeat within `timeoutMs`. */
export async function heartbeat(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const res = await fetch(`${url}/api/v2/heartbeat`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

async function post<T>(url: string, path: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`chroma ${path.split('/').pop() ?? ''} answered ${res.status}: ${text.slice(0, 300)}`);
  return schema.parse(JSON.parse(text));
}

const CollectionSchema = z.object({ id: z.string().min(1), name: z.string() }).loose();

const QueryResultSchema = z.object({
  ids: z.array(z.array(z.string())),
  distances: z.array(z.array(z.number().nullable())).nullable(),
});

type ChromaMetadata = Record<string, string | number | boolean>;

/** One collection of a Chroma server, by id. */
export class ChromaCollection {
  private constructor(
    readonly url: string,
    readonly id: string,
    readonly name: string,
  ) {}

  static async open(url: string, name: string, metadata: ChromaMetadata): Promise<ChromaCollection> {
    const c = await post(
      url,
      `${TENANT_PATH}/collections`,
      { name, get_or_create: true, metadata, configuration: { hnsw: { space: 'cosine' } } },
      CollectionSchema,
    );
    return new ChromaCollection(url, c.id, name);
  }

  async upsert(rows: { id: string; embedding: number[]; document: string; metadata: ChromaMetadata }[]): Promise<void> {
    if (rows.length === 0) return;
    await post(
      this.url,
      `${TENANT_PATH}/collections/${this.id}/upsert`,
      {
        ids: rows.map((r) => r.id),
        embeddings: rows.map((r) => r.embedding),
        documents: rows.map((r) => r.document),
        metadatas: rows.map((r) => r.metadata),
      },
      z.unknown(),
    );
  }

  /** Nearest ids with their cosine distances, optionally only where metadata equals the given values. */
  async query(
    embedding: number[],
    limit: number,
    where: ChromaMetadata | null,
  ): Promise<{ id: string; distance: number }[]> {
    const r = await post(
      this.url,
      `${TENANT_PATH}/collections/${this.id}/query`,
      { query_embeddings: [embedding], n_results: limit, include: ['distances'], ...(where ? { where } : {}) },
      QueryResultSchema,
    );
    const ids = r.ids[0] ?? [];
    const distances = r.distances?.[0] ?? [];
    return ids.map((id, i) => ({ id, distance: distances[i] ?? 1 }));
  }
}
