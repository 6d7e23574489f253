/**
 * Retrieval quality over the deterministic corpus (test/fixtures/retrieval-corpus.ts), through the
 * real pipeline: queue ingestion, FTS5, the VectorIndex stand-in with the hashing embedder.
 * Prints hit@5 and MRR per method (`npx vitest run --project workers test/api/retrieval-quality.test.ts`).
 */
import { describe, expect, it } from "vitest";
import { retrievalCorpus } from "../fixtures/retrieval-corpus";
import { call, createDatasetKeyAs, seedTenant } from "./harness";

describe("retrieval quality", () => {
  it("hybrid is at least as good as the better of keyword and vector search", async () => {
    const t = await seedTenant("quality");
    const key = (await createDatasetKeyAs(t.tokens.owner)).token;
    const dataset = (await call("POST", "/v1/datasets", { token: key, body: { name: "Quality corpus" } })).json;
    const { documents, queries } = retrievalCorpus();
    expect(documents.length).toBeGreaterThanOrEqual(200);
    expect(queries.length).toBeGreaterThanOrEqual(100);
    const created = await call("POST", `/v1/datasets/${dataset.id}/document/create-by-text`, {
      token: key,
      body: { name: "corpus.txt", text: documents.join("\n"), process_rule: { mode: "custom", rules: { pre_processing_rules: [], segmentation: { separator: "\n", max_tokens: 200, chunk_overlap: 0 } } } },
    });
    await expect
      .poll(async () => (await call("GET", `/v1/datasets/${dataset.id}/documents/${created.json.batch}/indexing-status`, { token: key })).json.data[0].indexing_status, { timeout: 60_000, interval: 500 })
      .toBe("completed");

    const methods: Record<string, Record<string, unknown>> = {
      keyword: { search_method: "full_text_search" },
      vector: { search_method: "semantic_search" },
      "hybrid (weighted 0.7/0.3)": { search_method: "hybrid_search", reranking_mode: "weighted_score" },
      "hybrid (weighted 0.5/0.5)": { search_method: "hybrid_search", reranking_mode: "weighted_score", weights: { vector_setting: { vector_weight: 0.5 }, keyword_setting: { keyword_weight: 0.5 } } },
      "hybrid (RRF)": { search_method: "hybrid_search", reranking_mode: "reciprocal_rank_fusion" },
    };
    const figures: Record<string, { hitAt5: number; mrr: number }> = {};
    for (const [label, model] of Object.entries(methods)) {
      let hits = 0;
      let reciprocal = 0;
      for (const { query, relevant } of queries) {
        const res = await call("POST", `/v1/datasets/${dataset.id}/retrieve`, { token: key, body: { query, retrieval_model: { ...model, top_k: 5 } } });
        const rank = res.json.records.findIndex((record: any) => record.segment.position === relevant + 1);
        if (rank >= 0) {
          hits++;
          reciprocal += 1 / (rank + 1);
        }
      }
      figures[label] = { hitAt5: hits / queries.length, mrr: reciprocal / queries.length };
    }
    console.log(`retrieval quality over ${documents.length} documents, ${queries.length} queries:\n${Object.entries(figures).map(([label, f]) => `  ${label.padEnd(26)} hit@5 ${f.hitAt5.toFixed(3)}  MRR ${f.mrr.toFixed(3)}`).join("\n")}`);
    // Weighted hybrid (Dify's default 0.7 / 0.3, and an even split) is not worse than the better of
    // the two searches on either figure. Keyword figures vary a little from run to run: many
    // candidates tie on bm25, and ties are broken by segment id, which is random.
    for (const label of ["hybrid (weighted 0.7/0.3)", "hybrid (weighted 0.5/0.5)"]) {
      const hybrid = figures[label]!;
      expect(hybrid.hitAt5, label).toBeGreaterThanOrEqual(Math.max(figures.keyword!.hitAt5, figures.vector!.hitAt5));
      expect(hybrid.mrr, label).toBeGreaterThanOrEqual(Math.max(figures.keyword!.mrr, figures.vector!.mrr));
    }
  }, 300_000);
});
