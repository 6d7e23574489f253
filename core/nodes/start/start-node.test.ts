import { describe, expect, it } from "vitest";
import { InvalidParamError } from "../../errors";
import { buildGraph, runCollecting } from "../../engine/testing";
import { createNodeRegistry } from "..";
import { startVariableSchema } from "./schema";
import { validateStartInputs } from "./validate-inputs";

const variable = (fields: Record<string, unknown>) => startVariableSchema.parse({ label: "x", ...fields });

describe("validateStartInputs", () => {
  it("requires required inputs, naming the variable", () => {
    const form = [variable({ variable: "name", type: "text-input", required: true })];
    expect(() => validateStartInputs(form, {})).toThrow(new InvalidParamError("name is required in input form"));
    expect(() => validateStartInputs(form, { name: "" })).toThrow("name is required in input form");
  });

  it("fills defaults and sets missing optional inputs to null", () => {
    const form = [variable({ variable: "a", type: "text-input", default: "hi" }), variable({ variable: "b", type: "paragraph" }), variable({ variable: "files", type: "file-list" })];
    expect(validateStartInputs(form, {})).toEqual({ a: "hi", b: null, files: [] });
  });

  it("enforces max_length on text and paragraph and strips NUL bytes", () => {
    const form = [variable({ variable: "t", type: "paragraph", max_length: 5 })];
    expect(() => validateStartInputs(form, { t: "toolong" })).toThrow("t in input form must be less than 5 characters");
    expect(validateStartInputs(form, { t: "a\u0000b" })).toEqual({ t: "ab" });
    expect(() => validateStartInputs(form, { t: 3 })).toThrow("t in input form must be a string");
  });

  it("checks select options", () => {
    const form = [variable({ variable: "color", type: "select", options: ["red", "blue"] })];
    expect(validateStartInputs(form, { color: "red" })).toEqual({ color: "red" });
    expect(() => validateStartInputs(form, { color: "green" })).toThrow('color in input form must be one of the following: ["red","blue"]');
  });

  it("converts numbers, booleans and JSON objects", () => {
    const form = [variable({ variable: "n", type: "number" }), variable({ variable: "ok", type: "checkbox" }), variable({ variable: "obj", type: "json_object" })];
    expect(validateStartInputs(form, { n: "2.5", ok: "true", obj: '{"a":1}' })).toEqual({ n: 2.5, ok: true, obj: { a: 1 } });
    expect(() => validateStartInputs(form, { n: "abc" })).toThrow("n in input form must be a valid number");
    expect(() => validateStartInputs(form, { ok: "maybe" })).toThrow("ok in input form must be a valid boolean value");
    expect(() => validateStartInputs(form, { obj: "[1]" })).toThrow("obj in input form must be a valid JSON object");
  });

  it("checks files and file lists", () => {
    const form = [variable({ variable: "f", type: "file" }), variable({ variable: "fs", type: "file-list", max_length: 1 })];
    expect(() => validateStartInputs(form, { f: "x" })).toThrow("f in input form must be a file");
    expect(() => validateStartInputs(form, { fs: [{}, {}] })).toThrow("fs in input form must be less than 1 files");
    expect(validateStartInputs(form, { f: { type: "image" }, fs: [{ type: "image" }] })).toEqual({ f: { type: "image" }, fs: [{ type: "image" }] });
  });
});

describe("start node", () => {
  const registry = createNodeRegistry();
  const graph = buildGraph(
    [
      { id: "start", type: "start", variables: [{ variable: "name", label: "Name", type: "text-input", required: true }] },
      { id: "end", type: "end", outputs: [{ variable: "name", value_selector: ["start", "name"] }, { variable: "q", value_selector: ["sys", "query"] }] },
    ],
    [["start", "end"]],
  );

  it("puts the validated inputs in the pool and exposes sys.* on its outputs", async () => {
    const { result, events } = await runCollecting({ graph, registry, inputs: { name: "Ada" }, system: { query: "hi" } });
    expect(result.outputs).toEqual({ name: "Ada", q: "hi" });
    const start = events.find((event) => event.type === "node_finished" && event.data.node_id === "start");
    expect(start?.type === "node_finished" && start.data.outputs).toMatchObject({ name: "Ada", "sys.query": "hi", "sys.files": [] });
  });

  it("fails the run with Dify's message when a required input is missing", async () => {
    const { result } = await runCollecting({ graph, registry, inputs: {} });
    expect(result.status).toBe("failed");
    expect(result.error).toBe("name is required in input form");
    expect(result.error_type).toBe("InvalidParamError");
  });
});

describe("validateRunInputs", () => {
  const graph = buildGraph(
    [{ id: "start", type: "start", variables: [{ variable: "age", label: "Age", type: "number", required: true }] }, { id: "end", type: "end", outputs: [] }],
    [["start", "end"]],
  );

  it("finds the start form and checks inputs before a run", async () => {
    const { validateRunInputs, startVariablesOf } = await import("./run-inputs");
    expect(startVariablesOf(graph).map((variable) => variable.variable)).toEqual(["age"]);
    expect(validateRunInputs(graph, { age: "41" })).toEqual({ age: 41 });
    expect(() => validateRunInputs(graph, {})).toThrow(InvalidParamError);
    expect(startVariablesOf({ nodes: [] })).toEqual([]);
  });
});
