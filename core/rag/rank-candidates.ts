import { cosineSimilarity, DEFAULT_WEIGHTS, keywordScores, reciprocalRankFusion, RRF_K, weightedScore } from "./fuse-scores";
import type { RetrievalModel } from "./retrieval-model";

/** One searchable unit found by vector or keyword search (a segment, or a child chunk). */
export interface Candidate {
  id: string;
  content: string;
  /** Cosine similarity from the vector index, when vector search found it. */
  vectorScore?: number;
  /** Rank score from full-text search (normalised to [0, 1]), when keyword search found it. */
  keywordScore?: number;
  /** The stored vector, so a candidate only full-text search found gets a vector score too. */
  vector?: number[];
}

export interface Ranked {
  id: string;
  score: number;
}

/** Scores a list of texts against the query with a rerank model (best first is not required). */
export type Rerank = (query: string, documents: string[]) => Promise<number[]>;

export interface RankOptions {
  query: string;
  queryVector?: number[];
  model: RetrievalModel;
  rerank?: Rerank;
}

/** BM25 from FTS5 (negative, lower is better) mapped into [0, 1) so thresholds apply to it. */
export function normaliseBm25(bm25: number): number {
  const magnitude = Math.abs(bm25);
  return magnitude / (1 + magnitude);
}

/**
 * Orders candidates as Dify's retrieval does: semantic by vector score, full-text by keyword
 * score, hybrid by weighted score (vector weight × cosine + keyword weight × the IDF-weighted share
 * of query terms found, every candidate scored both ways), reciprocal-rank fusion, or a rerank model when
 * `reranking_mode: reranking_model`; then the score threshold and `top_k`.
 *
 * @example
 * await rankCandidates(candidates, { query, queryVector, model: { search_method: "hybrid_search", top_k: 4 } })
 */
export async function rankCandidates(candidates: Candidate[], options: RankOptions): Promise<Ranked[]> {
  const { model } = options;
  const unique = dedupe(candidates);
  let ranked: Ranked[];
  const useRerankModel = model.reranking_mode === "reranking_model" && (model.reranking_enable ?? true) && options.rerank !== undefined;
  if (useRerankModel && unique.length > 0) {
    const scores = await options.rerank!(options.query, unique.map((candidate) => candidate.content));
    ranked = unique.map((candidate, i) => ({ id: candidate.id, score: scores[i] ?? 0 }));
  } else if (model.search_method === "semantic_search") {
    ranked = unique.filter((candidate) => candidate.vectorScore !== undefined).map((candidate) => ({ id: candidate.id, score: candidate.vectorScore! }));
  } else if (model.search_method === "full_text_search" || model.search_method === "keyword_search") {
    ranked = unique.filter((candidate) => candidate.keywordScore !== undefined).map((candidate) => ({ id: candidate.id, score: candidate.keywordScore! }));
  } else if (model.reranking_mode === "reciprocal_rank_fusion") {
    const byVector = unique.filter((c) => c.vectorScore !== undefined).sort((a, b) => b.vectorScore! - a.vectorScore!).map((c) => c.id);
    const byKeyword = unique.filter((c) => c.keywordScore !== undefined).sort((a, b) => b.keywordScore! - a.keywordScore!).map((c) => c.id);
    // Scaled so that first place in both lists scores 1 and thresholds stay meaningful.
    const best = 2 / (RRF_K + 1);
    ranked = reciprocalRankFusion([byVector, byKeyword]).map(({ id, score }) => ({ id, score: score / best }));
  } else {
    const weights = {
      vector: model.weights?.vector_setting?.vector_weight ?? DEFAULT_WEIGHTS.vector,
      keyword: model.weights?.keyword_setting?.keyword_weight ?? DEFAULT_WEIGHTS.keyword,
    };
    const lexical = keywordScores(options.query, unique.map((candidate) => candidate.content));
    ranked = unique.map((candidate, i) => {
      const vector = candidate.vectorScore ?? (candidate.vector && options.queryVector ? cosineSimilarity(options.queryVector, candidate.vector) : 0);
      return { id: candidate.id, score: weightedScore({ vector: Math.max(0, vector), keyword: lexical[i]! }, weights) };
    });
  }
  ranked.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const threshold = model.score_threshold_enabled ? (model.score_threshold ?? 0) : undefined;
  return (threshold === undefined ? ranked : ranked.filter((item) => item.score >= threshold)).slice(0, model.top_k);
}

/** Merges a candidate found by both searches into one, keeping both scores. */
function dedupe(candidates: Candidate[]): Candidate[] {
  const byId = new Map<string, Candidate>();
  for (const candidate of candidates) {
    const existing = byId.get(candidate.id);
    if (!existing) {
      byId.set(candidate.id, { ...candidate });
      continue;
    }
    existing.vectorScore = Math.max(existing.vectorScore ?? -Infinity, candidate.vectorScore ?? -Infinity);
    if (existing.vectorScore === -Infinity) existing.vectorScore = undefined;
    existing.keywordScore = Math.max(existing.keywordScore ?? -Infinity, candidate.keywordScore ?? -Infinity);
    if (existing.keywordScore === -Infinity) existing.keywordScore = undefined;
    existing.vector ??= candidate.vector;
  }
  return [...byId.values()];
}
