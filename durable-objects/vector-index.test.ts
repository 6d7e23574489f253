import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { VectorIndex } from "./vector-index";

type Methods = Pick<VectorIndex, "upsert" | "query" | "getByIds" | "deleteByIds">;

/** The object's stub, and the same stub typed with its RPC methods. */
function stubFor(name: string) {
  const stub = env.VECTOR_INDEX.get(env.VECTOR_INDEX.idFromName(name));
  return { stub, index: stub as unknown as Methods };
}

describe("VectorIndex (the local Vectorize stand-in)", () => {
  it("upserts, queries with namespace, filter and topK, reads by id and deletes, as Vectorize does", async () => {
    const { index } = stubFor(`test:${crypto.randomUUID()}`);
    await index.upsert([
      { id: "a", values: [1, 0, 0], namespace: "docs", metadata: { tenant_id: "t1", page: 1 } },
      { id: "b", values: [0.9, 0.1, 0], namespace: "docs", metadata: { tenant_id: "t1", page: 2 } },
      { id: "c", values: [0, 1, 0], namespace: "docs", metadata: { tenant_id: "t2", page: 3 } },
      { id: "d", values: [1, 0, 0], namespace: "other", metadata: { tenant_id: "t1", page: 4 } },
    ]);
    const all = await index.query([1, 0, 0], { topK: 10, namespace: "docs" });
    expect(all.matches.map((m) => m.id)).toEqual(["a", "b", "c"]);
    expect(all.matches[0]!.score).toBeCloseTo(1, 6);
    expect(all.matches[0]).not.toHaveProperty("metadata");

    const filtered = await index.query([1, 0, 0], { topK: 10, namespace: "docs", filter: { tenant_id: "t1", page: { $gte: 2 } }, returnMetadata: "all", returnValues: true });
    expect(filtered.matches).toEqual([{ id: "b", score: expect.any(Number), metadata: { tenant_id: "t1", page: 2 }, values: [expect.closeTo(0.9, 6), expect.closeTo(0.1, 6), 0] }]);
    expect((await index.query([1, 0, 0], { topK: 1 })).matches.map((m) => m.id)).toEqual(["a"]);

    // A replaced vector moves; a deleted one is gone from queries and reads.
    await index.upsert([{ id: "a", values: [0, 0, 1], namespace: "docs", metadata: { tenant_id: "t1", page: 1 } }]);
    expect((await index.query([1, 0, 0], { topK: 1, namespace: "docs" })).matches.map((m) => m.id)).toEqual(["b"]);
    expect(await index.deleteByIds(["b", "missing"])).toEqual({ count: 1 });
    expect((await index.getByIds(["a", "b", "c"])).map((v) => [v.id, v.values])).toEqual([["a", [0, 0, 1]], ["c", [0, 1, 0]]]);
    expect((await index.query([1, 0, 0], { topK: 5, namespace: "docs" })).matches.map((m) => m.id)).toEqual(["a", "c"]);
  });

  it("a fresh instance loads what was stored and answers the same", async () => {
    const { stub, index } = stubFor(`test:${crypto.randomUUID()}`);
    const vectors = Array.from({ length: 1500 }, (_, i) => ({ id: `v${i}`, values: [Math.sin(i), Math.cos(i), (i % 7) / 7, i % 2], metadata: { n: i } }));
    await index.upsert(vectors);
    await index.deleteByIds(["v3", "v4"]);
    const before = await index.query([0.3, 0.5, 0.2, 1], { topK: 20, returnMetadata: "all" });
    const after = await runInDurableObject(stub, async (_instance, state) => new VectorIndex(state, env).query([0.3, 0.5, 0.2, 1], { topK: 20, returnMetadata: "all" }));
    expect(after).toEqual(before);
    expect(before.matches.some((m) => m.id === "v3" || m.id === "v4")).toBe(false);
  });
});
