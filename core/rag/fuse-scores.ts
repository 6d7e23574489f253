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
 * Dify's keyword score for `weighted_score` reranking (`WeightRerankRunner`): TF-IDF vectors of
 * the query's and each candidate's terms, IDF over the candidates, cosine similarity. Scores are
 * in [0, 1] and comparable with vector similarities, unlike raw BM25.
 *
 * @example
 * keywordScores("refund policy", ["Our refund policy...", "Shipping times..."]) // [0.8…, 0]
 */
export function keywordScores(query: string, documents: string[]): number[] {
  const queryTerms = lexicalTerms(query);
  if (queryTerms.length === 0) return documents.map(() => 0);
  const documentTerms = documents.map((document) => lexicalTerms(document));
  const queryVocabulary = new Set(queryTerms);
  const documentFrequency = new Map<string, number>();
  for (const terms of documentTerms) for (const term of new Set(terms)) if (queryVocabulary.has(term)) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  const idf = (term: string) => Math.log((documents.length + 1) / ((documentFrequency.get(term) ?? 0) + 1)) + 1;
  const tf = (terms: string[]) => {
    const counts = new Map<string, number>();
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    return counts;
  };
  const queryCounts = tf(queryTerms);
  const queryVector = new Map([...queryCounts].map(([term, count]) => [term, (count / queryTerms.length) * idf(term)]));
  let queryNorm = 0;
  for (const value of queryVector.values()) queryNorm += value * value;
  return documentTerms.map((terms) => {
    if (terms.length === 0) return 0;
    const counts = tf(terms);
    let dot = 0;
    let norm = 0;
    for (const [term, count] of counts) {
      const weight = (count / terms.length) * idf(term);
      norm += weight * weight;
      const q = queryVector.get(term);
      if (q) dot += q * weight;
    }
    return norm && queryNorm ? dot / Math.sqrt(norm * queryNorm) : 0;
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
