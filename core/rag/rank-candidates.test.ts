import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cosineSimilarity, keywordScores, reciprocalRankFusion, weightedScore } from "./fuse-scores";
import { hashingEmbedding } from "./hashing-embedder";
import { normaliseBm25, rankCandidates, type Candidate } from "./rank-candidates";

const candidates: Candidate[] = [
  { id: "a", content: "refund policy for orders", vectorScore: 0.9 },
  { id: "b", content: "shipping times", vectorScore: 0.5, keywordScore: 0.2 },
  { id: "c", content: "refund refund policy details", keywordScore: 0.8, vector: hashingEmbedding("refund refund policy details") },
];

describe("score fusion", () => {
  it("keyword scores are the IDF-weighted share of the query's terms a candidate contains, in [0, 1]", () => {
    const scores = keywordScores("refund policy", ["Our refund policy", "Shipping times", "refund", "policy"]);
    expect(scores[0]).toBe(1);
    expect(scores[1]).toBe(0);
    expect(scores[2]).toBeGreaterThan(0);
    expect(scores[2]! + scores[3]!).toBeCloseTo(1);
    // The rarer term among the candidates counts for more.
    expect(keywordScores("refund policy", ["refund", "refund policy", "refund terms"])[0]).toBeLessThan(0.5);
  });

  it("a chunk that says more besides the query's terms is not scored below a shorter one", () => {
    const [short, long] = keywordScores("charcoal scooter quito", ["olive scooter from Quito", "walnut scooter from Quito that keeps drinks hot for twelve hours"]);
    expect(long).toBe(short);
  });

  it("weighted score and reciprocal-rank fusion follow their formulas", () => {
    expect(weightedScore({ vector: 0.5, keyword: 1 }, { vector: 0.7, keyword: 0.3 })).toBeCloseTo(0.65);
    const fused = reciprocalRankFusion([["a", "b"], ["b", "c"]]);
    expect(fused[0]).toEqual({ id: "b", score: 1 / 62 + 1 / 61 });
    expect(fused.map((item) => item.id)).toEqual(["b", "a", "c"]);
  });

  it("bm25 normalisation is monotonic in the match strength", () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), (x, y) => {
      if (x < y) expect(normaliseBm25(-x)).toBeLessThanOrEqual(normaliseBm25(-y));
    }));
  });
});

describe("rankCandidates", () => {
  it("semantic and full-text use their own scores; top_k and the threshold cut", async () => {
    expect(await rankCandidates(candidates, { query: "refund", model: { search_method: "semantic_search", top_k: 5 } })).toEqual([
      { id: "a", score: 0.9 },
      { id: "b", score: 0.5 },
    ]);
    expect(await rankCandidates(candidates, { query: "refund", model: { search_method: "full_text_search", top_k: 1 } })).toEqual([{ id: "c", score: 0.8 }]);
    expect(await rankCandidates(candidates, { query: "refund", model: { search_method: "semantic_search", top_k: 5, score_threshold_enabled: true, score_threshold: 0.6 } })).toEqual([{ id: "a", score: 0.9 }]);
  });

  it("hybrid weighted scores every candidate both ways, using the stored vector when only keyword search found it", async () => {
    const query = "refund policy";
    const ranked = await rankCandidates(candidates, { query, queryVector: hashingEmbedding(query), model: { search_method: "hybrid_search", top_k: 3, weights: { vector_setting: { vector_weight: 0.5 }, keyword_setting: { keyword_weight: 0.5 } } } });
    const keyword = keywordScores(query, candidates.map((c) => c.content));
    const score = (id: string) => ranked.find((item) => item.id === id)!.score;
    expect(score("a")).toBeCloseTo(0.5 * 0.9 + 0.5 * keyword[0]!);
    // "c" came from full-text search only: its vector score is the cosine of its stored vector.
    expect(score("c")).toBeCloseTo(0.5 * cosineSimilarity(hashingEmbedding(query), candidates[2]!.vector!) + 0.5 * keyword[2]!);
    // Both contain every query term, so the closer vector ("a", 0.9) decides; "b" shares no term.
    expect(keyword[0]).toBe(keyword[2]);
    expect(ranked.map((item) => item.id)).toEqual(["a", "c", "b"]);
  });

  it("a rerank model replaces the scores when reranking_mode is reranking_model", async () => {
    const ranked = await rankCandidates(candidates, {
      query: "shipping",
      model: { search_method: "hybrid_search", top_k: 2, reranking_enable: true, reranking_mode: "reranking_model" },
      rerank: async (_query, documents) => documents.map((document) => (document.includes("shipping") ? 0.99 : 0.1)),
    });
    expect(ranked).toEqual([{ id: "b", score: 0.99 }, { id: "a", score: 0.1 }]);
  });

  it("reciprocal-rank fusion scores 1 for a candidate first in both lists", async () => {
    const ranked = await rankCandidates(
      [{ id: "x", content: "", vectorScore: 0.9, keywordScore: 0.9 }, { id: "y", content: "", vectorScore: 0.1 }],
      { query: "q", model: { search_method: "hybrid_search", top_k: 2, reranking_mode: "reciprocal_rank_fusion" } },
    );
    expect(ranked[0]).toEqual({ id: "x", score: 1 });
    expect(ranked[1]!.id).toBe("y");
  });
});
