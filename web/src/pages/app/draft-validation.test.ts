import { describe, expect, it } from "vitest";
import { environmentProblem, graphProblem } from "./draft-validation";

describe("graphProblem", () => {
  it("accepts Dify's graph shape", () => {
    const graph = { nodes: [{ id: "start" }, { id: "end" }], edges: [{ source: "start", target: "end" }], viewport: { x: 0, y: 0, zoom: 1 } };
    expect(graphProblem(graph)).toBeNull();
  });

  it("names what is wrong", () => {
    expect(graphProblem([])).toMatch(/JSON object/);
    expect(graphProblem({ nodes: [] })).toMatch(/"edges"/);
    expect(graphProblem({ nodes: [{ id: "a" }, { id: "a" }], edges: [] })).toBe('Two nodes share the id "a".');
    expect(graphProblem({ nodes: [{}], edges: [] })).toBe('Node 1 needs a string "id".');
    expect(graphProblem({ nodes: [], edges: [{ source: "a" }] })).toMatch(/Edge 1/);
  });
});

describe("environmentProblem", () => {
  it("accepts named variables of Dify's types", () => {
    expect(environmentProblem([{ name: "API_BASE", value: "x", value_type: "string" }, { name: "KEY", value: "s", value_type: "secret" }])).toBeNull();
  });

  it("rejects duplicates, bad names and unknown types", () => {
    expect(environmentProblem({})).toMatch(/array/);
    expect(environmentProblem([{ name: "A" }, { name: "A" }])).toMatch(/Two variables/);
    expect(environmentProblem([{ name: "1A" }])).toMatch(/not a valid variable name/);
    expect(environmentProblem([{ name: "A", value_type: "object" }])).toMatch(/value_type/);
  });
});
