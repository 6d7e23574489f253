/**
 * The effects that core code may use. Implementations live in `workers/adapters` (bindings) and in
 * tests (fakes); core code receives them by injection and never reads `env` or globals.
 */

/** Wall clock and monotonic time. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** Identifier generation (UUIDs by default; deterministic in tests). */
export interface Ids {
  uuid(): string;
}

/** A `fetch`-shaped function. Outbound HTTP from user configuration must go through the egress guard. */
export type FetchLike = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

/** Object storage for uploads and large payloads (R2 in Workers). */
export interface BlobStore {
  put(key: string, body: ArrayBuffer | Uint8Array | string, options?: { contentType?: string }): Promise<void>;
  get(key: string): Promise<{ body: ArrayBuffer; contentType?: string } | null>;
  delete(key: string): Promise<void>;
}

/** A vector match as returned by the index. */
export interface VectorMatch {
  id: string;
  score: number;
  metadata?: Record<string, unknown>;
}

/** The subset of Cloudflare Vectorize used by Waggle; the local stand-in implements the same. */
export interface VectorIndex {
  upsert(vectors: Array<{ id: string; values: number[]; namespace?: string; metadata?: Record<string, unknown> }>): Promise<{ count: number }>;
  query(
    vector: number[],
    options: { topK: number; namespace?: string; filter?: Record<string, unknown>; returnMetadata?: boolean | "all" | "indexed" | "none" },
  ): Promise<{ matches: VectorMatch[]; count: number }>;
  getByIds(ids: string[]): Promise<Array<{ id: string; values: number[]; metadata?: Record<string, unknown> }>>;
  deleteByIds(ids: string[]): Promise<{ count: number }>;
}

/** Full-text (keyword) search over segments (FTS5 in D1). */
export interface KeywordIndex {
  search(query: string, options: { datasetIds: string[]; topK: number }): Promise<Array<{ segmentId: string; score: number }>>;
}

export const systemClock: Clock = { now: () => Date.now() };
export const randomIds: Ids = { uuid: () => crypto.randomUUID() };

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Ids made later sort
 * later, so rows created in the same second (conversations, messages) still page in order.
 */
export function uuidV7(now = Date.now()): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let time = now;
  for (let index = 5; index >= 0; index--) {
    bytes[index] = time % 256;
    time = Math.floor(time / 256);
  }
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
