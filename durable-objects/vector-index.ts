import { DurableObject } from "cloudflare:workers";
import type { Env } from "../workers/env";
import { VectorColumns, type ColumnEntry } from "./vector-columns";

interface StoredVector {
  id: string;
  values: number[];
  namespace?: string;
  metadata?: Record<string, unknown>;
}

type Scalar = string | number | boolean | null;

/** Vectorize's metadata filter: implicit `$eq`, `$eq`, `$ne`, `$in`, `$nin`, `$lt`, `$lte`, `$gt`, `$gte`; all keys must hold. */
export function matchesFilter(metadata: Record<string, unknown> | undefined, filter: Record<string, unknown> | undefined): boolean {
  return metadataFilter(filter)(metadata);
}

/** `matchesFilter` with the filter read once, for testing every vector of a query against it. */
export function metadataFilter(filter: Record<string, unknown> | undefined): (metadata: Record<string, unknown> | undefined) => boolean {
  const conditions = filter ? Object.entries(filter) : [];
  if (conditions.length === 0) return () => true;
  return (metadata) => {
    for (const [key, condition] of conditions) {
      const value = metadata?.[key] as Scalar | undefined;
      if (condition !== null && typeof condition === "object" && !Array.isArray(condition)) {
        const ops = condition as Record<string, unknown>;
        if ("$eq" in ops && value !== ops.$eq) return false;
        if ("$ne" in ops && value === ops.$ne) return false;
        if ("$in" in ops && !(ops.$in as unknown[]).includes(value)) return false;
        if ("$nin" in ops && (ops.$nin as unknown[]).includes(value)) return false;
        const comparable = (bound: unknown) => value !== undefined && value !== null && typeof value === typeof bound;
        if ("$lt" in ops && !(comparable(ops.$lt) && (value as number) < (ops.$lt as number))) return false;
        if ("$lte" in ops && !(comparable(ops.$lte) && (value as number) <= (ops.$lte as number))) return false;
        if ("$gt" in ops && !(comparable(ops.$gt) && (value as number) > (ops.$gt as number))) return false;
        if ("$gte" in ops && !(comparable(ops.$gte) && (value as number) >= (ops.$gte as number))) return false;
      } else if (value !== condition) {
        return false;
      }
    }
    return true;
  };
}

function entryOf(id: string, namespace: string | null, metadata: Record<string, unknown> | undefined): ColumnEntry {
  return metadata ? { id, namespace, metadata } : { id, namespace };
}

/**
 * Local stand-in for Vectorize (no local simulator exists): the same subset of the
 * `VectorizeIndex` API over this object's SQLite storage, brute-force cosine similarity over an
 * in-memory copy (`VectorColumns`: Float32, dimension by dimension, with precomputed norms; loaded
 * on first use and kept in step with every write, so a query reads no storage and parses no JSON).
 * Used when the `VECTORIZE` binding is absent (`npm start`, tests); one object per dataset.
 */
export class VectorIndex extends DurableObject<Env> {
  private cache: VectorColumns | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS vectors (id TEXT PRIMARY KEY, namespace TEXT, vec TEXT NOT NULL, metadata TEXT)");
  }

  private loaded(): VectorColumns {
    if (!this.cache) {
      this.cache = new VectorColumns();
      for (const row of this.ctx.storage.sql.exec<{ id: string; namespace: string | null; vec: string; metadata: string | null }>("SELECT id, namespace, vec, metadata FROM vectors")) {
        this.cache.set(entryOf(row.id, row.namespace, row.metadata ? (JSON.parse(row.metadata) as Record<string, unknown>) : undefined), JSON.parse(row.vec) as number[]);
      }
    }
    return this.cache;
  }

  async upsert(vectors: StoredVector[]): Promise<{ count: number }> {
    const cache = this.cache;
    for (const v of vectors) {
      this.ctx.storage.sql.exec(
        "INSERT INTO vectors (id, namespace, vec, metadata) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET namespace = excluded.namespace, vec = excluded.vec, metadata = excluded.metadata",
        v.id,
        v.namespace ?? null,
        JSON.stringify(v.values),
        v.metadata ? JSON.stringify(v.metadata) : null,
      );
      cache?.set(entryOf(v.id, v.namespace ?? null, v.metadata), v.values);
    }
    return { count: vectors.length };
  }

  async query(vector: number[], options: { topK?: number; namespace?: string; filter?: Record<string, unknown>; returnMetadata?: boolean | string; returnValues?: boolean }) {
    const wantMetadata = options.returnMetadata !== undefined && options.returnMetadata !== false && options.returnMetadata !== "none";
    const accept = metadataFilter(options.filter);
    const namespace = options.namespace;
    // Vectorize's limits: topK ≤ 20 with metadata or values, ≤ 100 without.
    const limit = Math.min(options.topK ?? 5, wantMetadata || options.returnValues ? 20 : 100);
    const cache = this.loaded();
    const scored = cache.top(Float32Array.from(vector), limit, (entry) => (namespace === undefined || entry.namespace === namespace) && accept(entry.metadata));
    const matches = scored.map(({ score, entry }) => ({
      id: entry.id,
      score,
      ...(wantMetadata && entry.metadata ? { metadata: entry.metadata } : {}),
      ...(options.returnValues ? { values: Array.from(cache.get(entry.id)!.values) } : {}),
    }));
    return { matches, count: matches.length };
  }

  async getByIds(ids: string[]) {
    const cache = this.loaded();
    const out = [];
    for (const id of ids) {
      const found = cache.get(id);
      if (found) out.push({ id, values: Array.from(found.values), namespace: found.entry.namespace ?? undefined, metadata: found.entry.metadata });
    }
    return out;
  }

  async deleteByIds(ids: string[]): Promise<{ count: number }> {
    let count = 0;
    for (const id of ids) {
      count += this.ctx.storage.sql.exec("DELETE FROM vectors WHERE id = ?", id).rowsWritten;
      this.cache?.delete(id);
    }
    return { count };
  }
}
