import { lexicalTerms } from "./hashing-embedder";

/** Dify's default weights for hybrid search (`semantic_first`). */
export const DEFAULT_WEIGHTS = { vector: 0.7, keyword: 0.3 };
/** The constant of reciprocal-rank fusion (Cormack et al.; also Elasticsearch's default). */
export const RRF_K = 60;

export function cosineSimilarity(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

/**
 * The keyword score for `weighted_score` hybrid search: the IDF-weighted share of the query's terms
 * that a candidate contains, with Dify's IDF over the candidates (`ln((n + 1) / (df + 1)) + 1`, as
 * in its `WeightRerankRunner`). Scores are in [0, 1] and comparable with vector similarities,
 * unlike raw BM25.
 *
 * Dify scores the TF-IDF cosine between query and candidate instead. A cosine divides by the
 * candidate's whole TF-IDF norm, so a chunk that contains every query term but also says more
 * scores below a shorter one; measured on generated corpora, that length penalty pulled the hybrid
 * ranking below vector search alone (see core/rag/README.md). The share asks only what keyword
 * search adds to vectors: which of the query's words, rare ones counting most, the chunk contains.
 *
 * @example
 * keywordScores("refund policy", ["Our refund policy...", "Refunds take...", "Shipping times..."]) // [1, 0.43…, 0]
 */
export function keywordScores(query: string, documents: string[]): number[] {
  const queryTerms = [...new Set(lexicalTerms(query))];
  if (queryTerms.length === 0) return documents.map(() => 0);
  const documentTerms = documents.map((document) => new Set(lexicalTerms(document)));
  const documentFrequency = queryTerms.map((term) => documentTerms.filter((terms) => terms.has(term)).length);
  const weights = documentFrequency.map((frequency) => Math.log((documents.length + 1) / (frequency + 1)) + 1);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return documentTerms.map((terms) => {
    let found = 0;
    for (let i = 0; i < queryTerms.length; i++) if (terms.has(queryTerms[i]!)) found += weights[i]!;
    return found / total;
  });
}

/**
 * Weighted fusion (Dify's `weighted_score`): `vector_weight · vector + keyword_weight · keyword`.
 *
 * @example
 * weightedScore({ vector: 0.5, keyword: 1 }, { vector: 0.7, keyword: 0.3 }) // 0.65
 */
export function weightedScore(scores: { vector: number; keyword: number }, weights: { vector: number; keyword: number }): number {
  return weights.vector * scores.vector + weights.keyword * scores.keyword;
}

/**
 * Reciprocal-rank fusion: each ranked list contributes `1 / (k + rank)` (rank from 1) to an id's
 * score. Returns ids best first with their fused scores.
 *
 * @example
 * reciprocalRankFusion([["a", "b"], ["b", "c"]]) // b first (in both lists)
 */
export function reciprocalRankFusion(lists: string[][], k = RRF_K): Array<{ id: string; score: number }> {
  const scores = new Map<string, number>();
  for (const list of lists) list.forEach((id, index) => scores.set(id, (scores.get(id) ?? 0) + 1 / (k + index + 1)));
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
}
