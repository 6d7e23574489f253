/** What the index keeps beside a vector's values. */
export interface ColumnEntry {
  id: string;
  namespace: string | null;
  metadata?: Record<string, unknown>;
}

export interface Scored<T> {
  entry: T;
  score: number;
}

/** Vectors per block. A block holds its vectors' values dimension by dimension. */
const BLOCK = 1024;

/**
 * The stand-in index's vectors in memory, laid out for brute-force cosine search.
 *
 * Values are stored dimension-major in blocks of 1,024 vectors (component `d` of the vectors in a
 * block sits in one contiguous run), so a query adds `value × weight` down one run per non-zero
 * query component: a hashing-embedder query (a few dozen of 512 components non-zero) reads a few
 * dozen runs instead of visiting every vector's 2 KB of values, and a dense query streams through
 * memory in order. Growing adds a block; nothing is copied. A freed slot is reused by the next
 * new vector.
 *
 * `top` gives exactly what scoring every accepted vector with the full dot product and
 * stable-sorting by score would give: the same sums in the same order (skipped terms are exact
 * zeros), equal scores in slot order. Vectors of different lengths compare over their common
 * components (missing ones are zeros).
 */
export class VectorColumns<T extends ColumnEntry = ColumnEntry> {
  private readonly slots = new Map<string, number>();
  private entries: Array<T | undefined> = [];
  private blocks: Float32Array[] = [];
  private norms = new Float64Array(0);
  private lengths = new Int32Array(0);
  private readonly free: number[] = [];
  private dimensions = 0;
  private used = 0;
  private scores = new Float64Array(0);

  get size(): number {
    return this.slots.size;
  }

  has(id: string): boolean {
    return this.slots.has(id);
  }

  /** Adds the vector, or replaces the one with its id. */
  set(entry: T, values: ArrayLike<number>): void {
    let slot = this.slots.get(entry.id);
    if (slot === undefined) {
      slot = this.free.pop() ?? this.newSlot();
      this.slots.set(entry.id, slot);
    }
    if (values.length > this.dimensions) this.widen(values.length);
    const block = this.blocks[Math.floor(slot / BLOCK)]!;
    const offset = slot % BLOCK;
    let sum = 0;
    for (let d = 0; d < this.dimensions; d++) {
      const at = d * BLOCK + offset;
      block[at] = d < values.length ? values[d]! : 0;
      const stored = block[at]!;
      sum += stored * stored;
    }
    this.norms[slot] = Math.sqrt(sum);
    this.lengths[slot] = values.length;
    this.entries[slot] = entry;
  }

  delete(id: string): boolean {
    const slot = this.slots.get(id);
    if (slot === undefined) return false;
    this.slots.delete(id);
    this.entries[slot] = undefined;
    this.free.push(slot);
    return true;
  }

  /** The entry and its values (as long as they were given), or undefined. */
  get(id: string): { entry: T; values: Float32Array } | undefined {
    const slot = this.slots.get(id);
    if (slot === undefined) return undefined;
    const block = this.blocks[Math.floor(slot / BLOCK)]!;
    const offset = slot % BLOCK;
    const values = new Float32Array(this.lengths[slot]!);
    for (let d = 0; d < values.length; d++) values[d] = block[d * BLOCK + offset]!;
    return { entry: this.entries[slot]!, values };
  }

  /**
   * The `limit` vectors most similar to `query` by cosine similarity, best first, among those
   * `accept` lets through (asked only of vectors that would make the cut).
   */
  top(query: ArrayLike<number>, limit: number, accept?: (entry: T) => boolean): Array<Scored<T>> {
    const best: Array<Scored<T>> = [];
    if (limit <= 0 || this.used === 0) return best;
    let queryNorm = 0;
    for (let d = 0; d < query.length; d++) queryNorm += query[d]! * query[d]!;
    queryNorm = Math.sqrt(queryNorm);
    const scores = this.scores;
    scores.fill(0, 0, this.used);
    const shared = Math.min(query.length, this.dimensions);
    for (let b = 0; b < this.blocks.length; b++) {
      const block = this.blocks[b]!;
      const start = b * BLOCK;
      const count = Math.min(BLOCK, this.used - start);
      for (let d = 0; d < shared; d++) {
        const weight = query[d]!;
        if (weight === 0) continue;
        const base = d * BLOCK;
        for (let s = 0; s < count; s++) scores[start + s] += block[base + s]! * weight;
      }
    }
    for (let slot = 0; slot < this.used; slot++) {
      const entry = this.entries[slot];
      if (!entry) continue;
      const norm = this.norms[slot]!;
      const score = queryNorm && norm ? scores[slot]! / (queryNorm * norm) : 0;
      // Only a strictly better score displaces the last kept one: an equal score came later.
      if (best.length === limit && !(score > best[limit - 1]!.score)) continue;
      if (accept && !accept(entry)) continue;
      let at = best.length;
      while (at > 0 && best[at - 1]!.score < score) at--;
      best.splice(at, 0, { entry, score });
      if (best.length > limit) best.pop();
    }
    return best;
  }

  private newSlot(): number {
    const slot = this.used++;
    if (slot % BLOCK === 0) {
      this.blocks.push(new Float32Array(BLOCK * this.dimensions));
      const capacity = this.blocks.length * BLOCK;
      const grow = <A extends Float64Array | Int32Array>(from: A, to: A): A => (to.set(from), to);
      this.norms = grow(this.norms, new Float64Array(capacity));
      this.lengths = grow(this.lengths, new Int32Array(capacity));
      this.scores = new Float64Array(capacity);
    }
    return slot;
  }

  /** Re-lays every block for longer vectors: the new components of the stored ones are zeros. */
  private widen(dimensions: number): void {
    this.blocks = this.blocks.map((block) => {
      const wider = new Float32Array(BLOCK * dimensions);
      wider.set(block);
      return wider;
    });
    this.dimensions = dimensions;
  }
}
