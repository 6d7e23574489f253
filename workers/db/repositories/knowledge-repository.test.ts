import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../client";
import { ftsQuery, KnowledgeRepository } from "./knowledge-repository";

const tenantId = "tenant-fts";
const datasetId = "dataset-fts";
const words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"];

/** The plain statement: every term OR-ed, every chunk holding any of them scored. */
async function plainSearch(query: string, topK: number) {
  const { results } = await env.DB.prepare(
    "SELECT segment_id, rank AS score FROM segments_fts WHERE segments_fts MATCH ? AND tenant_id = ? AND dataset_id IN (?) ORDER BY rank, segment_id LIMIT ?",
  )
    .bind(ftsQuery(query), tenantId, datasetId, topK)
    .all<{ segment_id: string; score: number }>();
  return results.map((row) => ({ segmentId: row.segment_id, bm25: row.score }));
}

describe("KnowledgeRepository.keywordSearch", () => {
  const repo = new KnowledgeRepository(createDb(env.DB), tenantId);

  beforeAll(async () => {
    // Every chunk says "record"; each names two of eight words, and one in three says "report".
    const rows = Array.from({ length: 60 }, (_, i) => {
      const text = `Record ${i}: ${words[i % 8]} ${words[(i * 3 + 1) % 8]}${i % 3 === 0 ? " report" : ""}${i % 5 === 0 ? " record" : ""}`;
      return env.DB.prepare("INSERT INTO segments_fts (content, segment_id, dataset_id, tenant_id) VALUES (?, ?, ?, ?)").bind(text, `s${String(i).padStart(2, "0")}`, datasetId, tenantId);
    });
    rows.push(env.DB.prepare("INSERT INTO segments_fts (content, segment_id, dataset_id, tenant_id) VALUES ('alpha record', 'other', ?, 'another-tenant')").bind(datasetId));
    await env.DB.batch(rows);
  });

  const sorted = (hits: Array<{ segmentId: string; bm25: number }>) => [...hits].sort((a, b) => a.bm25 - b.bm25 || a.segmentId.localeCompare(b.segmentId));

  it("leaves a term found in every chunk out of the match, with the plain query's order and scores", async () => {
    const hits = sorted(await repo.keywordSearch([datasetId], "alpha record", 100));
    // Only chunks with "alpha" match; ties among them still favour the chunks that say "record" twice.
    const plain = (await plainSearch("alpha record", 100)).filter((hit) => hits.some((h) => h.segmentId === hit.segmentId));
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.length).toBeLessThan(60);
    expect(hits.map((hit) => hit.segmentId)).toEqual(plain.map((hit) => hit.segmentId));
    for (const [i, hit] of hits.entries()) expect(hit.bm25).toBeCloseTo(plain[i]!.bm25, 5);
    expect(hits.map((hit) => hit.segmentId)).not.toContain("other");
  });

  it("keeps the plain query when no term is common, when every term is, and when the rare one is not found", async () => {
    for (const query of ["alpha report", "record", "record zzzunknown", "alpha bravo"]) {
      const hits = sorted(await repo.keywordSearch([datasetId], query, 100));
      expect(hits, query).toEqual(await plainSearch(query, 100));
    }
    expect((await repo.keywordSearch([datasetId], "record zzzunknown", 100)).length).toBe(60);
  });

  it("answers the best topK only", async () => {
    const top = await repo.keywordSearch([datasetId], "alpha bravo record", 5);
    const all = sorted(await repo.keywordSearch([datasetId], "alpha bravo record", 100));
    expect(top.map((hit) => hit.bm25)).toEqual(all.slice(0, 5).map((hit) => hit.bm25));
  });
});
