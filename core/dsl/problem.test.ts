import { describe, expect, it } from "vitest";
import { z } from "zod";
import { fieldName, problemsFromZod } from "./problem";

const schema = z.object({
  iterator_selector: z.array(z.string()).min(2),
  title: z.string(),
  max_iterations: z.number().min(1).max(100),
  mode: z.enum(["parallel", "sequential"]),
});

const problems = (data: unknown) => {
  const parsed = schema.safeParse(data);
  if (parsed.success) return [];
  return problemsFromZod("n1", "data", parsed.error, data).map((p) => [p.field, p.message]);
};

describe("problemsFromZod", () => {
  it("says a missing or empty field is required, naming it as a person would", () => {
    expect(problems({ iterator_selector: [], max_iterations: 5, mode: "parallel" })).toEqual([
      ["data.iterator_selector", "Iterator selector is required"],
      ["data.title", "Title is required"],
    ]);
  });

  it("names limits, types and choices in words", () => {
    expect(problems({ iterator_selector: ["a"], title: 3, max_iterations: 500, mode: "fast" })).toEqual([
      ["data.iterator_selector", "Iterator selector needs at least 2 items"],
      ["data.title", "Title should be a string"],
      ["data.max_iterations", "Max iterations must be at most 100"],
      ["data.mode", 'Mode must be one of "parallel", "sequential"'],
    ]);
  });

  it("without the checked value, says what is expected rather than guessing it was left empty", () => {
    const parsed = schema.safeParse({});
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(problemsFromZod(null, "", parsed.error)[0]).toEqual({ node_id: null, field: "iterator_selector", message: "Iterator selector should be an array" });
  });
});

describe("fieldName", () => {
  it("names a field of node data by its top-level field, numbered inside a list", () => {
    expect(fieldName("data.iterator_selector")).toBe("Iterator selector");
    expect(fieldName("data.prompt_template.0.text")).toBe("Prompt template 1");
    expect(fieldName("data.outputs.2.value_selector")).toBe("Outputs 3");
    expect(fieldName("data.model.completion_params")).toBe("Model");
    expect(fieldName("query")).toBe("Query");
    expect(fieldName("data")).toBe("This value");
  });
});

