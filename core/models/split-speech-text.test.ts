import { describe, expect, it } from "vitest";
import { splitSpeechText } from "./split-speech-text";

describe("splitSpeechText", () => {
  it("keeps short text whole and gives nothing for blank text", () => {
    expect(splitSpeechText("  Hello there.  ")).toEqual(["Hello there."]);
    expect(splitSpeechText("   ")).toEqual([]);
  });

  it("cuts long text at sentence ends, in order, each piece within the limit", () => {
    const sentences = Array.from({ length: 40 }, (_, index) => `Sentence number ${index} is here.`);
    const pieces = splitSpeechText(sentences.join(" "), 200);
    expect(pieces.every((piece) => piece.length <= 200 && piece.endsWith("."))).toBe(true);
    expect(pieces.join(" ")).toBe(sentences.join(" "));
  });

  it("falls back to spaces, then to a hard cut", () => {
    expect(splitSpeechText("aaaa bbbb cccc", 9)).toEqual(["aaaa bbbb", "cccc"]);
    expect(splitSpeechText("abcdefghij", 4)).toEqual(["abcd", "efgh", "ij"]);
  });
});
