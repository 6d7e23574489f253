import type { Embedder } from "./embedder";

/** Provider and model names under which the built-in embedder appears in the API and console. */
export const HASHING_EMBEDDER_PROVIDER = "waggle";
export const HASHING_EMBEDDER_MODEL = "hashing-lexical-v1";
export const HASHING_EMBEDDER_LABEL = "Built-in hashing embedder (lexical, not semantic: matches shared words, not meaning)";
export const HASHING_EMBEDDER_DIMENSIONS = 512;

const STOPWORDS = new Set(
  "a an and are as at be but by for from has have how i in is it its of on or that the this to was were what when where which who why will with you your do does did can not no".split(" "),
);

function fnv1a(text: string, seed = 0x811c9dc5): number {
  let hash = seed;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Light, deterministic suffix stripping so "indexing", "indexed" and "indexes" share a feature. */
function stem(word: string): string {
  if (word.length <= 4) return word;
  for (const suffix of ["ingly", "edly", "ing", "ies", "ied", "ed", "es", "ly", "s"]) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3) return suffix === "ies" || suffix === "ied" ? `${word.slice(0, -3)}y` : word.slice(0, -suffix.length);
  }
  return word;
}

/** Lower-cased word terms with stopwords removed; each CJK character is a term of its own. */
export function lexicalTerms(text: string): string[] {
  const terms: string[] = [];
  for (const match of text.normalize("NFKC").toLowerCase().matchAll(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[\p{L}\p{N}]+/gu)) {
    const word = match[0];
    if (STOPWORDS.has(word)) continue;
    terms.push(stem(word));
  }
  return terms;
}

/**
 * A vector from the text's words by feature hashing: each stemmed word (weight 1) and its
 * character trigrams (weight 0.25, for spelling variants) add ±(1 + ln tf) to one of 512
 * dimensions; the vector is L2-normalised. Deterministic, offline and fast — but **lexical**:
 * texts are close only when they share words, never because they mean the same thing.
 *
 * @example
 * hashingEmbedding("Refund policy") // number[512], unit length
 */
export function hashingEmbedding(text: string, dimensions = HASHING_EMBEDDER_DIMENSIONS): number[] {
  const counts = new Map<string, number>();
  for (const term of lexicalTerms(text)) {
    counts.set(`w:${term}`, (counts.get(`w:${term}`) ?? 0) + 1);
    if (term.length > 3) {
      const padded = `^${term}$`;
      for (let i = 0; i + 3 <= padded.length; i++) {
        const gram = `g:${padded.slice(i, i + 3)}`;
        counts.set(gram, (counts.get(gram) ?? 0) + 0.25);
      }
    }
  }
  const vector = new Array<number>(dimensions).fill(0);
  for (const [feature, count] of counts) {
    const hash = fnv1a(feature);
    const sign = fnv1a(feature, 0x9747b28c) & 1 ? 1 : -1;
    const weight = feature.startsWith("w:") ? 1 + Math.log(count) : count;
    vector[hash % dimensions]! += sign * weight;
  }
  let norm = 0;
  for (const value of vector) norm += value * value;
  if (norm === 0) return vector;
  const scale = 1 / Math.sqrt(norm);
  return vector.map((value) => value * scale);
}

/** The built-in embedder as an `Embedder`. */
export const hashingEmbedder: Embedder = {
  provider: HASHING_EMBEDDER_PROVIDER,
  model: HASHING_EMBEDDER_MODEL,
  lexical: true,
  async embed(texts) {
    return texts.map((text) => hashingEmbedding(text));
  },
};
