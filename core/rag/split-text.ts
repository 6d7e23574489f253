import { countTokens } from "./count-tokens";
import type { Segmentation } from "./process-rule";

/** The separators tried, in order, when a piece is longer than `max_tokens` (Dify's list). */
const RECURSIVE_SEPARATORS = ["\n\n", "\n", "。", ". ", " ", ""];

/**
 * Dify's `FixedRecursiveCharacterTextSplitter`: the text is cut at the fixed separator; each piece
 * that fits in `max_tokens` is a chunk of its own, and a longer piece is split recursively
 * (paragraphs, lines, sentences, words, characters) and merged back up to `max_tokens` with about
 * `chunk_overlap` tokens repeated between neighbours. Lengths are counted in tokens. Chunks are
 * trimmed, a leading "." or "。" is dropped and empty chunks are removed, as Dify does.
 *
 * @example
 * splitText("a\nb", { separator: "\n", maxTokens: 500, chunkOverlap: 0 }) // ["a", "b"]
 */
export function splitText(text: string, segmentation: Segmentation, length: (text: string) => number = countTokens): string[] {
  const splitter = new RecursiveSplitter(segmentation.maxTokens, segmentation.chunkOverlap, length);
  const pieces = segmentation.separator ? text.split(segmentation.separator) : [text];
  const chunks: string[] = [];
  for (const piece of pieces) {
    if (length(piece) > segmentation.maxTokens) chunks.push(...splitter.split(piece, RECURSIVE_SEPARATORS));
    else chunks.push(piece);
  }
  const out: string[] = [];
  for (const chunk of chunks) {
    let content = chunk.trim();
    if (content.startsWith(".") || content.startsWith("。")) content = content.slice(1).trim();
    if (content) out.push(content);
  }
  return out;
}

class RecursiveSplitter {
  constructor(
    private readonly size: number,
    private readonly overlap: number,
    private readonly length: (text: string) => number,
  ) {}

  split(text: string, separators: string[]): string[] {
    let separator = "";
    let rest: string[] = [];
    for (let i = 0; i < separators.length; i++) {
      const candidate = separators[i]!;
      if (candidate === "" || text.includes(candidate)) {
        separator = candidate;
        rest = separators.slice(i + 1);
        break;
      }
    }
    const splits = (separator === " " ? text.split(/\s+/) : separator ? text.split(separator) : Array.from(text)).filter((s) => s !== "" && s !== "\n");
    const lengths = splits.map((s) => this.length(s));
    const chunks: string[] = [];
    if (separator === "") {
      // Characters: fill up to the size, carrying the characters past `size - overlap` over.
      let current = "";
      let currentLength = 0;
      let carry = "";
      let carryLength = 0;
      splits.forEach((s, i) => {
        const len = lengths[i]!;
        if (currentLength + len <= this.size - this.overlap) {
          current += s;
          currentLength += len;
        } else if (currentLength + len <= this.size) {
          current += s;
          currentLength += len;
          carry += s;
          carryLength += len;
        } else {
          chunks.push(current);
          current = carry + s;
          currentLength = carryLength + len;
          carry = "";
          carryLength = 0;
        }
      });
      if (current) chunks.push(current);
      return chunks;
    }
    let good: string[] = [];
    let goodLengths: number[] = [];
    const flush = () => {
      if (good.length) chunks.push(...this.merge(good, separator, goodLengths));
      good = [];
      goodLengths = [];
    };
    splits.forEach((s, i) => {
      const len = lengths[i]!;
      if (len < this.size) {
        good.push(s);
        goodLengths.push(len);
      } else {
        flush();
        if (rest.length === 0) chunks.push(s);
        else chunks.push(...this.split(s, rest));
      }
    });
    flush();
    return chunks;
  }

  /** LangChain's `_merge_splits`, which Dify inherits: greedy packing with a token overlap. */
  private merge(splits: string[], separator: string, lengths: number[]): string[] {
    const separatorLength = this.length(separator);
    const docs: string[] = [];
    let current: string[] = [];
    let currentLengths: number[] = [];
    let total = 0;
    splits.forEach((piece, i) => {
      const len = lengths[i]!;
      if (total + len + (current.length > 0 ? separatorLength : 0) > this.size) {
        if (current.length > 0) {
          const doc = current.join(separator).trim();
          if (doc) docs.push(doc);
          while (total > this.overlap || (total + len + (current.length > 0 ? separatorLength : 0) > this.size && total > 0)) {
            total -= currentLengths[0]! + (current.length > 1 ? separatorLength : 0);
            current = current.slice(1);
            currentLengths = currentLengths.slice(1);
          }
        }
      }
      current.push(piece);
      currentLengths.push(len);
      total += len + (current.length > 1 ? separatorLength : 0);
    });
    const doc = current.join(separator).trim();
    if (doc) docs.push(doc);
    return docs;
  }
}
