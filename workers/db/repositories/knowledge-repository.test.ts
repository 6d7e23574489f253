import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../client";
import { KnowledgeRepository, vocabularyKey } from "./knowledge-repository";

const tenantId = crypto.randomUUID();
const datasetId = crypto.randomUUID();
const otherTenant = crypto.randomUUID();

/** Full-text rows: every one says "record"; a few also name a rarer word. */
const rows = [
  ...Array.from({ length: 30 }, (_, i) => ({ id: `plain-${i}`, content: `Record ${i} of the ledger${i % 3 === 0 ? ", record kept" : ""}.` })),
  { id: "zebra-1", content: "Record of a zebra crossing the river." },
  { id: "zebra-2", content: "Record: zebra, zebra and zebra again." },
  { id: "cafe", content: "Record of the Café Zürich opening." },
];

async function insert(tenant: string, dataset: string, list: Array<{ id: string; content: string }>) {
  await env.DB.batch(list.map((row) => env.DB.prepare("INSERT INTO segments_fts (content, segment_id, dataset_id, tenant_id) VALUES (?, ?, ?, ?)").bind(row.content, row.id, dataset, tenant)));
}

/** bm25 ranking of the whole query, as FTS5 gives it with no term left out. */
async function fullRanking(query: string, limit: number) {
  const match = query.split(" ").map((word) => `"${word}"`).join(" OR ");
  const { results } = await env.DB.prepare("SELECT segment_id FROM segments_fts WHERE segments_fts MATCH ? AND tenant_id = ? AND dataset_id = ? ORDER BY rank LIMIT ?").bind(match, tenantId, datasetId, limit).all<{ segment_id: string }>();
  return results.map((row) => row.segment_id);
}

describe("KnowledgeRepository.keywordSearch", () => {
  const repo = () => new KnowledgeRepository(createDb(env.DB), tenantId);

  beforeAll(async () => {
    await insert(tenantId, datasetId, rows);
    // Another tenant's rows with the same words are never returned.
    await insert(otherTenant, datasetId, [{ id: "foreign-zebra", content: "Record zebra zebra zebra zebra." }]);
  });

  it("the index's vocabulary counts 'record' in half its rows or more, so searches leave it out", async () => {
    const counted = await env.DB.prepare("SELECT doc, (SELECT max(rowid) FROM segments_fts) AS bound FROM segments_fts_vocab WHERE term = 'record'").first<{ doc: number; bound: number }>();
    expect(counted!.doc * 2).toBeGreaterThanOrEqual(counted!.bound);
    const zebra = await env.DB.prepare("SELECT doc FROM segments_fts_vocab WHERE term = 'zebra'").first<{ doc: number }>();
    expect(zebra!.doc).toBe(3);
  });

  it("ranks the rows with the rarer word first, as bm25 over the whole query does", async () => {
    const hits = await repo().keywordSearch([datasetId], "zebra record", 2);
    expect(hits.map((hit) => hit.segmentId)).toEqual(["zebra-2", "zebra-1"]);
    expect(hits.map((hit) => hit.segmentId)).toEqual(await fullRanking("zebra record", 2));
    expect(hits[0]!.bm25).toBeLessThan(hits[1]!.bm25);
  });

  it("when the rarer words find fewer rows than asked, the rows found only by the common word follow", async () => {
    const hits = await repo().keywordSearch([datasetId], "zebra record", 6);
    expect(hits).toHaveLength(6);
    expect(hits.slice(0, 2).map((hit) => hit.segmentId)).toEqual(["zebra-2", "zebra-1"]);
    expect(hits.map((hit) => hit.segmentId)).toEqual(await fullRanking("zebra record", 6));
  });

  it("a query of common words only is still searched", async () => {
    const hits = await repo().keywordSearch([datasetId], "the record", 4);
    expect(hits).toHaveLength(4);
    expect(hits.map((hit) => hit.segmentId)).toEqual(await fullRanking("the record", 4));
  });

  it("folds case and accents as the index does, and finds nothing for words it does not hold", async () => {
    expect(vocabularyKey("Café")).toBe("cafe");
    expect(vocabularyKey("ZÜRICH")).toBe("zurich");
    expect((await repo().keywordSearch([datasetId], "CAFE zurich", 3)).map((hit) => hit.segmentId)).toEqual(["cafe"]);
    expect(await repo().keywordSearch([datasetId], "okapi", 3)).toEqual([]);
    expect(await repo().keywordSearch([datasetId], "!!! ???", 3)).toEqual([]);
  });

  it("quotes every word, so FTS5 operators in a query are plain words", async () => {
    const hits = await repo().keywordSearch([datasetId], 'zebra" OR NEAR(record', 2);
    expect(hits.map((hit) => hit.segmentId)).toEqual(["zebra-2", "zebra-1"]);
  });
});
