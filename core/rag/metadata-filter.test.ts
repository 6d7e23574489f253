import { describe, expect, it } from "vitest";
import { assertKnownMetadataFields, matchesMetadata, type MetadataConditions } from "./metadata-filter";

const doc = { author: "Ada Lovelace", year: 1843, tags: "math", published: 1700000000, empty: "" };
const check = (name: string, comparison_operator: MetadataConditions["conditions"][number]["comparison_operator"], value?: unknown) =>
  matchesMetadata(doc, { logical_operator: "and", conditions: [{ name, comparison_operator, value: value as string }] });

describe("metadata filter (Dify's manual conditions)", () => {
  it("string operators", () => {
    expect(check("author", "contains", "Love")).toBe(true);
    expect(check("author", "not contains", "Love")).toBe(false);
    expect(check("author", "start with", "Ada")).toBe(true);
    expect(check("author", "end with", "Ada")).toBe(false);
    expect(check("author", "is", "Ada Lovelace")).toBe(true);
    expect(check("author", "is not", "Ada Lovelace")).toBe(false);
    expect(check("tags", "in", ["math", "poetry"])).toBe(true);
    expect(check("tags", "not in", "math, poetry")).toBe(false);
    expect(check("empty", "empty")).toBe(true);
    expect(check("missing", "empty")).toBe(true);
    expect(check("author", "not empty")).toBe(true);
  });

  it("number and time operators", () => {
    expect(check("year", "=", 1843)).toBe(true);
    expect(check("year", "≠", "1843")).toBe(false);
    expect(check("year", ">", 1800)).toBe(true);
    expect(check("year", "<", 1800)).toBe(false);
    expect(check("year", "≥", 1843)).toBe(true);
    expect(check("year", "≤", 1842)).toBe(false);
    expect(check("published", "before", 1800000000)).toBe(true);
    expect(check("published", "after", 1800000000)).toBe(false);
    expect(check("missing", ">", 1)).toBe(false);
  });

  it("and / or combine conditions", () => {
    const conditions = [
      { name: "year", comparison_operator: "<" as const, value: 1800 },
      { name: "author", comparison_operator: "contains" as const, value: "Ada" },
    ];
    expect(matchesMetadata(doc, { logical_operator: "and", conditions })).toBe(false);
    expect(matchesMetadata(doc, { logical_operator: "or", conditions })).toBe(true);
    expect(matchesMetadata(doc, { logical_operator: "and", conditions: [] })).toBe(true);
  });

  it("an unknown field is an error naming the known ones", () => {
    expect(() => assertKnownMetadataFields({ logical_operator: "and", conditions: [{ name: "autor", comparison_operator: "is", value: "x" }] }, ["author"])).toThrow(
      /Unknown metadata field "autor".*author/,
    );
    expect(() => assertKnownMetadataFields({ logical_operator: "and", conditions: [{ name: "document_name", comparison_operator: "is", value: "x" }] }, [])).not.toThrow();
  });
});
