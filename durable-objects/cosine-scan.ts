/** A stored vector as the scan reads it: its values and their precomputed L2 norm. */
export interface ScanEntry {
  values: Float32Array;
  norm: number;
}

export interface Scored<T> {
  entry: T;
  score: number;
}

/** Below this share of non-zero query components, the dot product walks only those components. */
const SPARSE_SHARE = 0.5;

/**
 * The `limit` entries most similar to `query` by cosine similarity, best first — exactly what
 * scoring every accepted entry and stable-sorting them all would give (equal scores keep the
 * entries' order), without sorting them all: the best `limit` are kept as the scan goes.
 *
 * The dot product skips the query's zero components when they are the majority, as they are for
 * sparse embeddings such as the built-in hashing embedder's (a short query touches a few dozen of
 * 512 dimensions). The skipped terms are exact zeros and the others are summed in the same order,
 * so every score is bit-for-bit the one the full loop computes.
 *
 * @example
 * topByCosine(entries, Float32Array.from(queryVector), 20, (entry) => entry.namespace === "docs")
 */
export function topByCosine<T extends ScanEntry>(entries: Iterable<T>, query: Float32Array, limit: number, accept?: (entry: T) => boolean): Array<Scored<T>> {
  const best: Array<Scored<T>> = [];
  if (limit <= 0) return best;
  let queryNorm = 0;
  let nonZeroCount = 0;
  for (let i = 0; i < query.length; i++) {
    const value = query[i]!;
    queryNorm += value * value;
    if (value !== 0) nonZeroCount++;
  }
  queryNorm = Math.sqrt(queryNorm);
  const sparse = nonZeroCount < query.length * SPARSE_SHARE;
  const indices = new Int32Array(sparse ? nonZeroCount : 0);
  const weights = new Float64Array(sparse ? nonZeroCount : 0);
  if (sparse) {
    for (let i = 0, k = 0; i < query.length; i++) {
      if (query[i] !== 0) {
        indices[k] = i;
        weights[k++] = query[i]!;
      }
    }
  }
  for (const entry of entries) {
    if (accept && !accept(entry)) continue;
    const values = entry.values;
    let dot = 0;
    if (sparse) {
      for (let k = 0; k < indices.length; k++) {
        const i = indices[k]!;
        if (i >= values.length) break;
        dot += values[i]! * weights[k]!;
      }
    } else {
      const length = Math.min(values.length, query.length);
      for (let i = 0; i < length; i++) dot += values[i]! * query[i]!;
    }
    const score = queryNorm && entry.norm ? dot / (queryNorm * entry.norm) : 0;
    // Only a strictly better score displaces the last kept one: an equal score came later.
    if (best.length === limit && !(score > best[limit - 1]!.score)) continue;
    let at = best.length;
    while (at > 0 && best[at - 1]!.score < score) at--;
    best.splice(at, 0, { entry, score });
    if (best.length > limit) best.pop();
  }
  return best;
}
