import { DurableObject } from "cloudflare:workers";
import type { Env } from "../workers/env";

interface StoredVector {
  id: string;
  values: number[];
  namespace?: string;
  metadata?: Record<string, unknown>;
}

interface CachedVector {
  id: string;
  values: Float32Array;
  norm: number;
  namespace: string | null;
  metadata?: Record<string, unknown>;
}

function norm(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]! * values[i]!;
  return Math.sqrt(sum);
}

type Scalar = string | number | boolean | null;

/** Vectorize's metadata filter: implicit `$eq`, `$eq`, `$ne`, `$in`, `$nin`, `$lt`, `$lte`, `$gt`, `$gte`; all keys must hold. */
export function matchesFilter(metadata: Record<string, unknown> | undefined, filter: Record<string, unknown> | undefined): boolean {
  if (!filter) return true;
  for (const [key, condition] of Object.entries(filter)) {
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
}

/**
 * Local stand-in for Vectorize (no local simulator exists): the same subset of the
 * `VectorizeIndex` API over this object's SQLite storage, brute-force cosine similarity over an
 * in-memory copy (Float32, loaded on first query and kept in step with every write).
 * Used when the `VECTORIZE` binding is absent (`npm start`, tests); one object per dataset.
 */
export class VectorIndex extends DurableObject<Env> {
  private cache: Map<string, CachedVector> | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS vectors (id TEXT PRIMARY KEY, namespace TEXT, vec TEXT NOT NULL, metadata TEXT)");
  }

  private loaded(): Map<string, CachedVector> {
    if (!this.cache) {
      this.cache = new Map();
      for (const row of this.ctx.storage.sql.exec<{ id: string; namespace: string | null; vec: string; metadata: string | null }>("SELECT id, namespace, vec, metadata FROM vectors")) {
        const values = Float32Array.from(JSON.parse(row.vec) as number[]);
        this.cache.set(row.id, { id: row.id, values, norm: norm(values), namespace: row.namespace, metadata: row.metadata ? (JSON.parse(row.metadata) as Record<string, unknown>) : undefined });
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
      if (cache) {
        const values = Float32Array.from(v.values);
        cache.set(v.id, { id: v.id, values, norm: norm(values), namespace: v.namespace ?? null, metadata: v.metadata });
      }
    }
    return { count: vectors.length };
  }

  async query(vector: number[], options: { topK?: number; namespace?: string; filter?: Record<string, unknown>; returnMetadata?: boolean | string; returnValues?: boolean }) {
    const wantMetadata = options.returnMetadata !== undefined && options.returnMetadata !== false && options.returnMetadata !== "none";
    const query = Float32Array.from(vector);
    const queryNorm = norm(query);
    const scored: Array<{ id: string; score: number; entry: CachedVector }> = [];
    for (const entry of this.loaded().values()) {
      if (options.namespace !== undefined && entry.namespace !== options.namespace) continue;
      if (!matchesFilter(entry.metadata, options.filter)) continue;
      let dot = 0;
      const values = entry.values;
      const length = Math.min(values.length, query.length);
      for (let i = 0; i < length; i++) dot += values[i]! * query[i]!;
      scored.push({ id: entry.id, score: queryNorm && entry.norm ? dot / (queryNorm * entry.norm) : 0, entry });
    }
    scored.sort((a, b) => b.score - a.score);
    // Vectorize's limits: topK ≤ 20 with metadata or values, ≤ 100 without.
    const limit = Math.min(options.topK ?? 5, wantMetadata || options.returnValues ? 20 : 100);
    const matches = scored.slice(0, limit).map(({ id, score, entry }) => ({
      id,
      score,
      ...(wantMetadata && entry.metadata ? { metadata: entry.metadata } : {}),
      ...(options.returnValues ? { values: Array.from(entry.values) } : {}),
    }));
    return { matches, count: matches.length };
  }

  async getByIds(ids: string[]) {
    const cache = this.loaded();
    const out = [];
    for (const id of ids) {
      const entry = cache.get(id);
      if (entry) out.push({ id, values: Array.from(entry.values), namespace: entry.namespace ?? undefined, metadata: entry.metadata });
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
