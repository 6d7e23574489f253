import { describe, expect, it } from "vitest";
import { chunkDocument } from "./chunk-document";
import { countTokens } from "./count-tokens";
import { resolveChunkingPlan } from "./process-rule";
import { RagConfigError } from "./rag-errors";

describe("resolveChunkingPlan", () => {
  it("automatic mode uses Dify's AUTOMATIC_RULES", () => {
    expect(resolveChunkingPlan("text_model", { mode: "automatic" })).toEqual({
      kind: "general",
      preProcessing: [
        { id: "remove_extra_spaces", enabled: true },
        { id: "remove_urls_emails", enabled: false },
      ],
      segmentation: { separator: "\n", maxTokens: 500, chunkOverlap: 50 },
    });
  });

  it("custom mode takes the given segmentation and unescapes the separator", () => {
    const plan = resolveChunkingPlan("text_model", { mode: "custom", rules: { pre_processing_rules: [], segmentation: { separator: "\\n\\n", max_tokens: 200, chunk_overlap: 10 } } });
    expect(plan).toMatchObject({ kind: "general", segmentation: { separator: "\n\n", maxTokens: 200, chunkOverlap: 10 } });
  });

  it("refuses what Dify refuses, saying why", () => {
    expect(() => resolveChunkingPlan("text_model", { mode: "custom", rules: { segmentation: { max_tokens: 5000 } } })).toThrow(/between 50 and 4000/);
    expect(() => resolveChunkingPlan("text_model", { mode: "custom", rules: { segmentation: { max_tokens: 100, chunk_overlap: 100 } } })).toThrow(/smaller than max_tokens/);
    expect(() => resolveChunkingPlan("paragraph_model", null)).toThrow(RagConfigError);
    expect(() => resolveChunkingPlan("paragraph_model", null)).toThrow(/doc_form must be one of text_model, hierarchical_model, qa_model/);
    expect(() => resolveChunkingPlan("qa_model", null)).toThrow(/not supported/);
    expect(() => resolveChunkingPlan("text_model", { mode: "hierarchical" })).toThrow(/needs doc_form hierarchical_model/);
  });
});

describe("chunkDocument", () => {
  it("general: cleans, then splits by the separator", () => {
    const plan = resolveChunkingPlan("text_model", { mode: "custom", rules: { pre_processing_rules: [{ id: "remove_extra_spaces", enabled: true }], segmentation: { separator: "\n", max_tokens: 100, chunk_overlap: 0 } } });
    const chunks = chunkDocument("first   line\nsecond line", plan);
    expect(chunks.map((chunk) => chunk.content)).toEqual(["first line", "second line"]);
    expect(chunks[0]).toMatchObject({ tokens: countTokens("first line"), wordCount: "first line".length });
  });

  it("parent-child, paragraph mode: paragraphs are parents, lines are children", () => {
    const plan = resolveChunkingPlan("hierarchical_model", { mode: "hierarchical", rules: { parent_mode: "paragraph", segmentation: { separator: "\n\n", max_tokens: 500 }, subchunk_segmentation: { separator: "\n", max_tokens: 50 } } });
    const chunks = chunkDocument("Refunds\nWithin 30 days.\n\nShipping\nTwo to five days.", plan);
    expect(chunks.map((chunk) => chunk.content)).toEqual(["Refunds\nWithin 30 days.", "Shipping\nTwo to five days."]);
    expect(chunks[1]!.children!.map((child) => child.content)).toEqual(["Shipping", "Two to five days."]);
  });

  it("parent-child, full-doc mode: the whole document is the one parent", () => {
    const plan = resolveChunkingPlan("hierarchical_model", { mode: "hierarchical", rules: { parent_mode: "full-doc", subchunk_segmentation: { separator: "\n", max_tokens: 50 } } });
    const chunks = chunkDocument("a\n\nb\n\nc", plan);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.content).toBe("a\n\nb\n\nc");
    expect(chunks[0]!.children!.map((child) => child.content)).toEqual(["a", "b", "c"]);
  });
});
