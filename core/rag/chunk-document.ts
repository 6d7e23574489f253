import { cleanText } from "./clean-text";
import { countTokens, wordCount } from "./count-tokens";
import type { ChunkingPlan } from "./process-rule";
import { splitText } from "./split-text";

/** Dify keeps the first 10,000 tokens of a document as the single parent in full-doc mode. */
export const FULL_DOC_MAX_TOKENS = 10_000;

export interface ChildChunk {
  content: string;
  tokens: number;
  wordCount: number;
}

/** One segment: a general chunk, or a parent with the child chunks that are indexed for it. */
export interface Chunk {
  content: string;
  tokens: number;
  wordCount: number;
  /** Parent-child only: the chunks that are embedded and searched; the parent is what is returned. */
  children?: ChildChunk[];
}

function measured(content: string): ChildChunk {
  return { content, tokens: countTokens(content), wordCount: wordCount(content) };
}

function truncateTokens(text: string, maxTokens: number): string {
  if (countTokens(text) <= maxTokens) return text;
  // Binary search on characters: cheap enough once per document, exact in tokens.
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (countTokens(text.slice(0, middle)) <= maxTokens) low = middle;
    else high = middle - 1;
  }
  return text.slice(0, low);
}

/**
 * Cleans and chunks a document's text by the plan: general chunks, or parents (paragraphs, or the
 * whole document up to 10,000 tokens) each with child chunks.
 *
 * @example
 * chunkDocument("First.\n\nSecond.", resolveChunkingPlan("hierarchical_model", { mode: "automatic" }))
 * // [{ content: "First.", children: [{ content: "First." }] }, { content: "Second.", ... }]
 */
export function chunkDocument(text: string, plan: ChunkingPlan): Chunk[] {
  const cleaned = cleanText(text, plan.preProcessing);
  if (plan.kind === "general") return splitText(cleaned, plan.segmentation).map(measured);
  const parents = plan.parentMode === "full-doc" ? [truncateTokens(cleaned, FULL_DOC_MAX_TOKENS).trim()].filter(Boolean) : splitText(cleaned, plan.segmentation);
  const chunks: Chunk[] = [];
  for (const parent of parents) {
    const children = splitText(parent, plan.subchunk).map(measured);
    if (children.length === 0) continue;
    chunks.push({ ...measured(parent), children });
  }
  return chunks;
}
