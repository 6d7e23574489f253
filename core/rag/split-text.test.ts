import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countTokens } from "./count-tokens";
import { splitText } from "./split-text";

describe("splitText (Dify's fixed-separator recursive splitter)", () => {
  it("gives each separator-delimited piece its own chunk when it fits, trimmed, empty ones dropped", () => {
    expect(splitText("alpha\n\n beta \n\n\n\ngamma", { separator: "\n\n", maxTokens: 50, chunkOverlap: 0 })).toEqual(["alpha", "beta", "gamma"]);
  });

  it("unescaped custom separators work and a leading full stop is dropped", () => {
    expect(splitText("one***. two***three", { separator: "***", maxTokens: 50, chunkOverlap: 0 })).toEqual(["one", "two", "three"]);
  });

  it("splits a long piece into chunks of at most max_tokens, with overlap counted in tokens", () => {
    const words = Array.from({ length: 300 }, (_, i) => `word${i}`);
    const chunks = splitText(words.join(" "), { separator: "\n\n", maxTokens: 60, chunkOverlap: 20 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) expect(countTokens(chunk)).toBeLessThanOrEqual(60);
    // Neighbours share their boundary words (the overlap), and no word is lost.
    for (let i = 1; i < chunks.length; i++) {
      const previous = chunks[i - 1]!.split(" ");
      expect(chunks[i]!.split(" ")[0]).toBe(previous[previous.length - countShared(previous, chunks[i]!.split(" "))]);
    }
    expect(new Set(chunks.flatMap((chunk) => chunk.split(" ")))).toEqual(new Set(words));
  });

  it("without overlap, chunks partition the words in order", () => {
    const text = Array.from({ length: 200 }, (_, i) => `w${i}`).join(" ");
    const chunks = splitText(text, { separator: "\n", maxTokens: 50, chunkOverlap: 0 });
    expect(chunks.join(" ")).toBe(text);
  });

  it("property: every chunk fits in max_tokens and the words keep their order", () => {
    const word = fc.stringMatching(/^[a-z]{1,12}$/);
    const paragraph = fc.array(word, { minLength: 1, maxLength: 80 }).map((ws) => ws.join(" "));
    fc.assert(
      fc.property(fc.array(paragraph, { minLength: 1, maxLength: 12 }), fc.integer({ min: 50, max: 120 }), fc.integer({ min: 0, max: 40 }), (paragraphs, maxTokens, overlap) => {
        const text = paragraphs.join("\n\n");
        const chunks = splitText(text, { separator: "\n\n", maxTokens, chunkOverlap: overlap });
        for (const chunk of chunks) expect(countTokens(chunk)).toBeLessThanOrEqual(maxTokens);
        // Every word of the input appears, in order, in the concatenated chunks.
        const input = text.split(/\s+/).filter(Boolean);
        const output = chunks.join(" ").split(/\s+/);
        let j = 0;
        for (const w of output) if (w === input[j]) j++;
        expect(j).toBe(input.length);
      }),
      { numRuns: 150 },
    );
  });
});

function countShared(previous: string[], next: string[]): number {
  for (let n = Math.min(previous.length, next.length); n > 0; n--) {
    if (previous.slice(previous.length - n).join(" ") === next.slice(0, n).join(" ")) return n;
  }
  return 0;
}
