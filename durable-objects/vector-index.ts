import { DurableObject } from "cloudflare:workers";
import type { Env } from "../workers/env";

interface StoredVector {
  id: string;
  values: number[];
  namespace?: string;
  metadata?: Record<string, unknown>;
}

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * (b[i] ?? 0);
    na += a[i]! * a[i]!;
    nb += (b[i] ?? 0) * (b[i] ?? 0);
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

/** Vectorize's metadata filter subset: equality, `$eq`, `$ne`, `$in`, `$nin`. */
function matchesFilter(metadata: Record<string, unknown> | undefined, filter: Record<string, unknown> | undefined): boolean {
  if (!filter) return true;
  for (const [key, condition] of Object.entries(filter)) {
    const value = metadata?.[key];
    if (condition !== null && typeof condition === "object" && !Array.isArray(condition)) {
      const ops = condition as Record<string, unknown>;
      if ("$eq" in ops && value !== ops.$eq) return false;
      if ("$ne" in ops && value === ops.$ne) return false;
      if ("$in" in ops && !(ops.$in as unknown[]).includes(value)) return false;
      if ("$nin" in ops && (ops.$nin as unknown[]).includes(value)) return false;
    } else if (value !== condition) {
      return false;
    }
  }
  return true;
}

/**
 * Local stand-in for Vectorize (no local simulator exists): the same subset of the
 * `VectorizeIndex` API over this object's SQLite storage, brute-force cosine similarity.
 * Used when the `VECTORIZE` binding is absent (`npm start`, tests).
 */
export class VectorIndex extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS vectors (id TEXT PRIMARY KEY, namespace TEXT, vec TEXT NOT NULL, metadata TEXT)");
  }

  async upsert(vectors: StoredVector[]): Promise<{ count: number }> {
    for (const v of vectors) {
      this.ctx.storage.sql.exec(
        "INSERT INTO vectors (id, namespace, vec, metadata) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET namespace = excluded.namespace, vec = excluded.vec, metadata = excluded.metadata",
        v.id,
        v.namespace ?? null,
        JSON.stringify(v.values),
        v.metadata ? JSON.stringify(v.metadata) : null,
      );
    }
    return { count: vectors.length };
  }

  async query(vector: number[], options: { topK?: number; namespace?: string; filter?: Record<string, unknown>; returnMetadata?: boolean | string; returnValues?: boolean }) {
    const rows = options.namespace
      ? this.ctx.storage.sql.exec<{ id: string; vec: string; metadata: string | null }>("SELECT id, vec, metadata FROM vectors WHERE namespace = ?", options.namespace).toArray()
      : this.ctx.storage.sql.exec<{ id: string; vec: string; metadata: string | null }>("SELECT id, vec, metadata FROM vectors").toArray();
    const wantMetadata = options.returnMetadata !== undefined && options.returnMetadata !== false && options.returnMetadata !== "none";
    const scored = [];
    for (const row of rows) {
      const metadata = row.metadata ? (JSON.parse(row.metadata) as Record<string, unknown>) : undefined;
      if (!matchesFilter(metadata, options.filter)) continue;
      const values = JSON.parse(row.vec) as number[];
      scored.push({ id: row.id, score: cosine(vector, values), ...(wantMetadata && metadata ? { metadata } : {}), ...(options.returnValues ? { values } : {}) });
    }
    scored.sort((a, b) => b.score - a.score);
    const matches = scored.slice(0, Math.min(options.topK ?? 5, 100));
    return { matches, count: matches.length };
  }

  async getByIds(ids: string[]) {
    const out = [];
    for (const id of ids) {
      const row = this.ctx.storage.sql.exec<{ id: string; vec: string; namespace: string | null; metadata: string | null }>("SELECT * FROM vectors WHERE id = ?", id).toArray()[0];
      if (row) out.push({ id: row.id, values: JSON.parse(row.vec) as number[], namespace: row.namespace ?? undefined, metadata: row.metadata ? JSON.parse(row.metadata) : undefined });
    }
    return out;
  }

  async deleteByIds(ids: string[]): Promise<{ count: number }> {
    let count = 0;
    for (const id of ids) count += this.ctx.storage.sql.exec("DELETE FROM vectors WHERE id = ?", id).rowsWritten;
    return { count };
  }
}
