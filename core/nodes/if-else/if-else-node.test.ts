import { describe, expect, it } from "vitest";
import { buildGraph, runCollecting } from "../../engine/testing";
import { createNodeRegistry } from "..";

const registry = createNodeRegistry();

/** start → if-else → one `end` per handle; returns which end ran. */
async function route(ifElse: Record<string, unknown>, handles: string[], inputs: Record<string, unknown>, startVariables: unknown[] = []) {
  const graph = buildGraph(
    [
      { id: "start", type: "start", variables: startVariables },
      { id: "if", type: "if-else", ...ifElse },
      ...handles.map((handle) => ({ id: `end_${handle}`, type: "end", outputs: [] })),
    ],
    [["start", "if"], ...handles.map((handle) => ["if", `end_${handle}`, handle] as [string, string, string])],
  );
  const { result } = await runCollecting({ graph, registry, inputs, system: { files: (inputs.files as unknown[]) ?? [] } });
  expect(result.status, result.error ?? "").toBe("succeeded");
  const ran = handles.filter((handle) => result.snapshot.nodes[`end_${handle}`] === "succeeded");
  expect(ran).toHaveLength(1);
  return { handle: ran[0], outputs: result.snapshot.pool.if };
}

const vars = [
  { variable: "text", type: "text-input", required: false },
  { variable: "n", type: "number", required: false },
  { variable: "tags", type: "json_object", required: false },
];

describe("if-else", () => {
  it("takes the first matching case and outputs selected_case_id", async () => {
    const config = {
      cases: [
        { case_id: "big", logical_operator: "and", conditions: [{ variable_selector: ["start", "n"], comparison_operator: ">", value: "100" }] },
        { case_id: "mid", logical_operator: "and", conditions: [{ variable_selector: ["start", "n"], comparison_operator: "≥", value: "10" }, { variable_selector: ["start", "n"], comparison_operator: "≤", value: "100" }] },
      ],
    };
    expect(await route(config, ["big", "mid", "false"], { n: 500 }, vars)).toEqual({ handle: "big", outputs: { result: true, selected_case_id: "big" } });
    expect((await route(config, ["big", "mid", "false"], { n: 50 }, vars)).handle).toBe("mid");
    expect(await route(config, ["big", "mid", "false"], { n: 5 }, vars)).toEqual({ handle: "false", outputs: { result: false, selected_case_id: "false" } });
  });

  it("joins conditions with or", async () => {
    const config = {
      cases: [
        {
          case_id: "hit",
          logical_operator: "or",
          conditions: [
            { variable_selector: ["start", "text"], comparison_operator: "start with", value: "zz" },
            { variable_selector: ["start", "text"], comparison_operator: "contains", value: "ell" },
          ],
        },
      ],
    };
    expect((await route(config, ["hit", "false"], { text: "hello" }, vars)).handle).toBe("hit");
    expect((await route(config, ["hit", "false"], { text: "nope" }, vars)).handle).toBe("false");
  });

  it("supports the deprecated top-level logical_operator + conditions (handle 'true')", async () => {
    const config = { cases: [], logical_operator: "and", conditions: [{ variable_selector: ["start", "text"], comparison_operator: "is", value: "yes" }] };
    expect((await route(config, ["true", "false"], { text: "yes" }, vars)).handle).toBe("true");
    expect((await route(config, ["true", "false"], { text: "no" }, vars)).handle).toBe("false");
  });

  it("renders {{#…#}} references in the expected value", async () => {
    const config = { cases: [{ case_id: "same", logical_operator: "and", conditions: [{ variable_selector: ["start", "text"], comparison_operator: "is", value: "{{#sys.query#}}" }] }] };
    const graph = buildGraph(
      [{ id: "start", type: "start", variables: vars }, { id: "if", type: "if-else", ...config }, { id: "yes", type: "end", outputs: [] }],
      [["start", "if"], ["if", "yes", "same"]],
    );
    const { result } = await runCollecting({ graph, registry, inputs: { text: "ping" }, system: { query: "ping" } });
    expect(result.snapshot.nodes.yes).toBe("succeeded");
  });

  it.each([
    ["empty", "", undefined, true],
    ["not empty", "x", undefined, true],
    ["null", null, undefined, true],
    ["not null", "x", undefined, true],
    ["end with", "report.pdf", ".pdf", true],
    ["not contains", "abc", "z", true],
    ["is not", "abc", "abd", true],
    ["in", "b", ["a", "b"], true],
    ["not in", "q", ["a", "b"], true],
  ])("operator %s on text %j", async (operator, text, value, expected) => {
    const config = { cases: [{ case_id: "c", logical_operator: "and", conditions: [{ variable_selector: ["start", "text"], comparison_operator: operator, value }] }] };
    expect((await route(config, ["c", "false"], { text }, vars)).handle).toBe(expected ? "c" : "false");
  });

  it.each([
    ["=", 5, "5"],
    ["≠", 5, "6"],
    ["<", 5, "6"],
  ])("number operator %s", async (operator, n, value) => {
    const config = { cases: [{ case_id: "c", logical_operator: "and", conditions: [{ variable_selector: ["start", "n"], comparison_operator: operator, value }] }] };
    expect((await route(config, ["c", "false"], { n }, vars)).handle).toBe("c");
  });

  it("checks arrays with contains / all of", async () => {
    const config = { cases: [{ case_id: "c", logical_operator: "and", conditions: [{ variable_selector: ["start", "tags", "list"], comparison_operator: "all of", value: ["x", "y"] }] }] };
    expect((await route(config, ["c", "false"], { tags: { list: ["x", "y", "z"] } }, vars)).handle).toBe("c");
    expect((await route(config, ["c", "false"], { tags: { list: ["x"] } }, vars)).handle).toBe("false");
  });

  it("filters files with sub_variable_condition and checks file existence", async () => {
    const files = [
      { type: "document", extension: ".pdf", filename: "a.pdf", mime_type: "application/pdf", size: 10, transfer_method: "local_file" },
      { type: "image", extension: ".png", filename: "b.png", mime_type: "image/png", size: 20, transfer_method: "remote_url" },
    ];
    const hasPdf = {
      cases: [
        {
          case_id: "pdf",
          logical_operator: "and",
          conditions: [
            { variable_selector: ["sys", "files"], comparison_operator: "contains", sub_variable_condition: { logical_operator: "and", conditions: [{ key: "extension", comparison_operator: "is", value: "pdf" }, { key: "type", comparison_operator: "in", value: ["document"] }] } },
          ],
        },
      ],
    };
    expect((await route(hasPdf, ["pdf", "false"], { files })).handle).toBe("pdf");
    expect((await route(hasPdf, ["pdf", "false"], { files: [files[1]] })).handle).toBe("false");
    const exists = { cases: [{ case_id: "e", logical_operator: "and", conditions: [{ variable_selector: ["start", "doc"], comparison_operator: "exists" }] }] };
    const form = [{ variable: "doc", type: "file", required: false }];
    expect((await route(exists, ["e", "false"], { doc: files[0] }, form)).handle).toBe("e");
    expect((await route(exists, ["e", "false"], {}, form)).handle).toBe("false");
  });

  it("fails when a compared variable does not exist, as Dify does", async () => {
    const graph = buildGraph(
      [
        { id: "start", type: "start", variables: vars },
        { id: "if", type: "if-else", cases: [{ case_id: "c", logical_operator: "and", conditions: [{ variable_selector: ["start", "nope"], comparison_operator: "null" }] }] },
      ],
      [["start", "if"]],
    );
    const { result } = await runCollecting({ graph, registry, inputs: {} });
    expect(result.status).toBe("failed");
    expect(result.error).toBe("Variable start.nope not found");
  });

  it("fails when a comparison cannot be made, which a fail-branch can catch", async () => {
    const graph = buildGraph(
      [
        { id: "start", type: "start", variables: vars },
        { id: "if", type: "if-else", error_strategy: "fail-branch", cases: [{ case_id: "c", logical_operator: "and", conditions: [{ variable_selector: ["start", "text"], comparison_operator: ">", value: "1" }] }] },
        { id: "oops", type: "end", outputs: [{ variable: "why", value_selector: ["if", "error_message"] }] },
      ],
      [["start", "if"], ["if", "oops", "fail-branch"]],
    );
    const { result } = await runCollecting({ graph, registry, inputs: { text: "abc" } });
    expect(result.status).toBe("partial-succeeded");
    expect(result.outputs.why).toMatch(/number expected/);
  });
});
