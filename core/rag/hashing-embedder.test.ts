import { describe, expect, it } from "vitest";
import { cosineSimilarity } from "./fuse-scores";
import { HASHING_EMBEDDER_LABEL, hashingEmbedder, hashingEmbedding, lexicalTerms } from "./hashing-embedder";

describe("hashing embedder", () => {
  it("is deterministic, unit length and 512-dimensional", () => {
    const a = hashingEmbedding("How do I reset my password?");
    expect(a).toEqual(hashingEmbedding("How do I reset my password?"));
    expect(a).toHaveLength(512);
    expect(Math.sqrt(a.reduce((sum, x) => sum + x * x, 0))).toBeCloseTo(1, 10);
    expect(hashingEmbedding("the of and").every((x) => x === 0)).toBe(true);
  });

  it("places texts that share words closer than texts that do not", () => {
    const query = hashingEmbedding("resetting a forgotten password");
    const related = hashingEmbedding("To reset your password, open Settings and choose Forgot password.");
    const unrelated = hashingEmbedding("Shipping takes two to five business days within the country.");
    expect(cosineSimilarity(query, related)).toBeGreaterThan(cosineSimilarity(query, unrelated) + 0.2);
  });

  it("is lexical, and says so: synonyms without shared words do not match", () => {
    expect(hashingEmbedder.lexical).toBe(true);
    expect(HASHING_EMBEDDER_LABEL).toMatch(/lexical, not semantic/);
    expect(cosineSimilarity(hashingEmbedding("automobile"), hashingEmbedding("car"))).toBeLessThan(0.2);
  });

  it("stems, drops stopwords and treats CJK characters as terms", () => {
    expect(lexicalTerms("The indexing of indexed Documents")).toEqual(["index", "index", "document"]);
    expect(lexicalTerms("知识库")).toEqual(["知", "识", "库"]);
  });
});
