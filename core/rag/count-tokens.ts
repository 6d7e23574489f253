import { encode } from "gpt-tokenizer";

/**
 * Token count used for chunk sizes (`max_tokens`, `chunk_overlap`). Dify counts with the embedding
 * model's tokenizer and falls back to GPT-2's; we use `gpt-tokenizer` (OpenAI's BPE) for every
 * model, so sizes are comparable across providers.
 *
 * @example
 * countTokens("hello world") // 2
 */
export function countTokens(text: string): number {
  if (!text) return 0;
  return encode(text).length;
}

/** Dify's `word_count`, which is the text's length in characters (`len(text)`), not a count of words. */
export function wordCount(text: string): number {
  return text.length;
}
