import { describe, expect, it } from "vitest";
import { VectorColumns } from "./vector-columns";

interface Entry {
  id: string;
  namespace: string | null;
  group: number;
  values: Float32Array;
  norm: number;
}

function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A vector with `share` of its components non-zero. */
function vector(next: () => number, dimensions: number, share: number): Float32Array {
  return Float32Array.from({ length: dimensions }, () => (next() < share ? next() * 2 - 1 : 0));
}

function entry(id: string, values: Float32Array, group = 0): Entry {
  let sum = 0;
  for (const value of values) sum += value * value;
  return { id, namespace: null, group, values, norm: Math.sqrt(sum) };
}

function columnsOf(entries: Entry[]): VectorColumns<Entry> {
  const columns = new VectorColumns<Entry>();
  for (const e of entries) columns.set(e, e.values);
  return columns;
}

/** `top` over the entries given in this order. */
function topByCosine(entries: Entry[], query: Float32Array, limit: number, accept?: (entry: Entry) => boolean) {
  return columnsOf(entries).top(query, limit, accept);
}

/** What the index did before: score every entry with the full loop, stable-sort them all, cut. */
function reference(entries: Entry[], query: Float32Array, limit: number, accept: (entry: Entry) => boolean = () => true) {
  let queryNorm = 0;
  for (const value of query) queryNorm += value * value;
  queryNorm = Math.sqrt(queryNorm);
  const scored = entries.filter(accept).map((e) => {
    let dot = 0;
    for (let i = 0; i < Math.min(e.values.length, query.length); i++) dot += e.values[i]! * query[i]!;
    return { id: e.id, score: queryNorm && e.norm ? dot / (queryNorm * e.norm) : 0 };
  });
  return scored.sort((a, b) => b.score - a.score).slice(0, limit);
}

const ids = (scored: Array<{ entry: Entry; score: number }>) => scored.map(({ entry, score }) => ({ id: entry.id, score }));

describe("VectorColumns.top", () => {
  const next = random(11);
  const dimensions = 64;
  // Sparse and dense stored vectors, some repeated so that equal scores occur.
  const base = Array.from({ length: 300 }, (_, i) => entry(`v${i}`, vector(next, dimensions, i % 3 === 0 ? 0.9 : 0.15), i % 4));
  const entries = [...base, ...base.slice(0, 40).map((e, i) => entry(`copy${i}`, e.values.slice(), e.group))];

  it("returns exactly the scores and order of scoring and sorting every entry, for sparse and dense queries", () => {
    for (const share of [0.05, 0.2, 0.6, 1]) {
      for (let round = 0; round < 5; round++) {
        const query = vector(next, dimensions, share);
        for (const limit of [1, 5, 20, 100, 1000]) expect(ids(topByCosine(entries, query, limit))).toEqual(reference(entries, query, limit));
      }
    }
  });

  it("keeps entries with equal scores in their given order", () => {
    const query = base[0]!.values;
    const top = ids(topByCosine(entries, query, 2));
    expect(top.map((t) => t.id)).toEqual(["v0", "copy0"]);
    expect(top[0]!.score).toBe(top[1]!.score);
  });

  it("scores only accepted entries, and a zero query scores 0 everywhere in the given order", () => {
    const query = vector(next, dimensions, 0.1);
    const accept = (e: Entry) => e.group === 2;
    expect(ids(topByCosine(entries, query, 10, accept))).toEqual(reference(entries, query, 10, accept));
    expect(ids(topByCosine(entries, new Float32Array(dimensions), 3))).toEqual([{ id: "v0", score: 0 }, { id: "v1", score: 0 }, { id: "v2", score: 0 }]);
    expect(topByCosine(entries, query, 0)).toEqual([]);
  });

  it("compares vectors of different lengths over their common components", () => {
    const short = entry("short", Float32Array.from([1, 0, 0]));
    const long = entry("long", Float32Array.from([0, 1, 0, 0, 0, 5]));
    for (const query of [Float32Array.from([1, 1, 0, 0, 0, 0]), Float32Array.from([1, 1])]) {
      expect(ids(topByCosine([short, long], query, 2))).toEqual(reference([short, long], query, 2));
    }
  });

  it("stays exact across blocks while vectors are added, replaced and deleted (freed slots are reused)", () => {
    const rnd = random(7);
    const columns = new VectorColumns<Entry>();
    const live = new Map<string, Entry>();
    for (let i = 0; i < 2600; i++) {
      const e = entry(`n${i}`, vector(rnd, 24, 0.3), i % 2);
      columns.set(e, e.values);
      live.set(e.id, e);
      if (i % 5 === 4) {
        const gone = `n${i - 3}`;
        expect(columns.delete(gone)).toBe(true);
        live.delete(gone);
      }
      if (i % 7 === 6) {
        const replaced = entry(`n${i - 1}`, vector(rnd, 24, 0.6), 1);
        columns.set(replaced, replaced.values);
        live.set(replaced.id, replaced);
      }
    }
    expect(columns.delete("n1")).toBe(false);
    expect(columns.size).toBe(live.size);
    for (let round = 0; round < 5; round++) {
      const query = vector(rnd, 24, round === 0 ? 1 : 0.25);
      const accept = (e: Entry) => e.group === 1;
      // Random vectors: no two scores tie, so the order does not depend on the slots.
      expect(ids(columns.top(query, 50))).toEqual(reference([...live.values()], query, 50));
      expect(ids(columns.top(query, 7, accept))).toEqual(reference([...live.values()], query, 7, accept));
    }
    const kept = live.get("n2598") ?? live.get("n2599")!;
    expect(columns.get(kept.id)!.values).toEqual(kept.values);
    expect(columns.get("n1")).toBeUndefined();
  });

  it("gives back each vector as long as it was stored, after longer ones widened the others", () => {
    const columns = new VectorColumns();
    columns.set({ id: "a", namespace: "x" }, [1, 2]);
    columns.set({ id: "b", namespace: null, metadata: { k: 1 } }, [0, 0, 3, 4]);
    expect(columns.get("a")).toEqual({ entry: { id: "a", namespace: "x" }, values: Float32Array.from([1, 2]) });
    expect(columns.get("b")!.values).toEqual(Float32Array.from([0, 0, 3, 4]));
    expect(columns.top([0, 0, 1], 2).map((s) => [s.entry.id, s.score])).toEqual([["b", 0.6], ["a", 0]]);
  });
});
