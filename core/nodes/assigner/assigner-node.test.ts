import { describe, expect, it } from "vitest";
import { buildGraph, runCollecting, streamedText } from "../../engine/testing";
import { createNodeRegistry } from "..";

const registry = createNodeRegistry();
const conversationVariables = [
  { name: "history", value_type: "array[string]", value: ["a", "b", "c"] },
  { name: "count", value_type: "number", value: 10 },
  { name: "note", value_type: "string", value: "old" },
  { name: "profile", value_type: "object", value: { x: 1 } },
];

async function assign(data: Record<string, unknown>, inputs: Record<string, unknown> = {}) {
  const graph = buildGraph(
    [
      { id: "start", type: "start", variables: [{ variable: "text", type: "text-input" }, { variable: "num", type: "number" }, { variable: "list", type: "json_object" }] },
      { id: "assign", type: "assigner", ...data },
      { id: "end", type: "end", outputs: [{ variable: "history", value_selector: ["conversation", "history"] }] },
    ],
    [["start", "assign"], ["assign", "end"]],
  );
  const { result } = await runCollecting({ graph, registry, inputs, conversationVariables, mode: "advanced-chat" });
  return result;
}

const item = (variable: string, operation: string, value?: unknown, input_type = "constant") => ({ variable_selector: ["conversation", variable], operation, value, input_type });

describe("assigner v1", () => {
  it("over-writes a conversation variable from another variable", async () => {
    const result = await assign({ assigned_variable_selector: ["conversation", "note"], write_mode: "over-write", input_variable_selector: ["start", "text"] }, { text: "new" });
    expect(result.conversation_variables.note).toBe("new");
  });

  it("appends to an array", async () => {
    const result = await assign({ assigned_variable_selector: ["conversation", "history"], write_mode: "append", input_variable_selector: ["start", "text"] }, { text: "d" });
    expect(result.conversation_variables.history).toEqual(["a", "b", "c", "d"]);
    expect(result.outputs.history).toEqual(["a", "b", "c", "d"]);
  });

  it("clears to the declared type's empty value", async () => {
    const result = await assign({ assigned_variable_selector: ["conversation", "history"], write_mode: "clear" });
    expect(result.conversation_variables.history).toEqual([]);
  });

  it("fails when the input variable does not exist", async () => {
    const result = await assign({ assigned_variable_selector: ["conversation", "note"], write_mode: "over-write", input_variable_selector: ["nowhere", "x"] });
    expect(result.status).toBe("failed");
  });
});

describe("assigner v2", () => {
  it.each([
    ["over-write", "note", "fresh", "fresh"],
    ["set", "count", 42, 42],
    ["clear", "note", undefined, ""],
    ["clear", "profile", undefined, {}],
    ["clear", "count", undefined, 0],
    ["append", "history", "d", ["a", "b", "c", "d"]],
    ["extend", "history", ["d", "e"], ["a", "b", "c", "d", "e"]],
    ["+=", "count", 5, 15],
    ["-=", "count", 3, 7],
    ["*=", "count", 2, 20],
    ["/=", "count", 4, 2.5],
    ["remove-first", "history", undefined, ["b", "c"]],
    ["remove-last", "history", undefined, ["a", "b"]],
  ])("%s on %s", async (operation, variable, value, expected) => {
    const result = await assign({ version: "2", items: [item(variable, operation, value)] });
    expect(result.status, result.error ?? "").toBe("succeeded");
    expect(result.conversation_variables[variable]).toEqual(expected);
  });

  it("takes values from variables, applies items in order, and exposes the new values at the end", async () => {
    const result = await assign(
      { version: "2", items: [item("note", "over-write", ["start", "text"], "variable"), item("count", "+=", ["start", "num"], "variable"), item("count", "*=", 2)] },
      { text: "hello", num: 5 },
    );
    expect(result.conversation_variables).toEqual({ history: ["a", "b", "c"], count: 30, note: "hello", profile: { x: 1 } });
  });

  it("fails on an operation that does not fit the variable type", async () => {
    expect((await assign({ version: "2", items: [item("note", "+=", 1)] })).error).toBe("conversation.note: The variable must be a number");
    expect((await assign({ version: "2", items: [item("count", "append", 1)] })).error).toBe("conversation.count: append needs an array variable");
    expect((await assign({ version: "2", items: [item("count", "/=", 0)] })).error).toBe("conversation.count: Division by zero");
  });
});

describe("assigner and answer streaming", () => {
  it("an answer downstream of an assigner streams the new conversation value, not the old one", async () => {
    const graph = buildGraph(
      [
        { id: "start", type: "start", variables: [] },
        { id: "save", type: "assigner", version: "2", items: [{ variable_selector: ["conversation", "note"], input_type: "variable", operation: "over-write", value: ["sys", "query"] }] },
        { id: "answer", type: "answer", answer: "note={{#conversation.note#}} q={{#sys.query#}}" },
      ],
      [["start", "save"], ["save", "answer"]],
    );
    const { result, events } = await runCollecting({ graph, registry, mode: "advanced-chat", system: { query: "fresh" }, conversationVariables });
    expect(streamedText(events)).toBe("note=fresh q=fresh");
    expect(result.outputs.answer).toBe("note=fresh q=fresh");
    // Literal text before the reference does not wait for the assigner.
    const first = events.findIndex((event) => event.type === "text_chunk");
    const saved = events.findIndex((event) => event.type === "node_finished" && event.data.node_id === "save");
    expect(first).toBeLessThan(saved);
  });
});
