import { describe, expect, it } from "vitest";
import { buildGraph, runCollecting } from "../../engine/testing";
import { createNodeRegistry } from "..";

const registry = createNodeRegistry();

function branchGraph(aggregator: Record<string, unknown>) {
  return buildGraph(
    [
      { id: "start", type: "start", variables: [{ variable: "pick", type: "text-input" }] },
      { id: "if", type: "if-else", cases: [{ case_id: "a", logical_operator: "and", conditions: [{ variable_selector: ["start", "pick"], comparison_operator: "is", value: "a" }] }] },
      { id: "ta", type: "template-transform", template: "from A", variables: [] },
      { id: "tb", type: "template-transform", template: "from B", variables: [] },
      { id: "agg", type: "variable-aggregator", ...aggregator },
      { id: "end", type: "end", outputs: [{ variable: "out", value_selector: ["agg", "output"] }, { variable: "g", value_selector: ["agg", "g1", "output"] }] },
    ],
    [["start", "if"], ["if", "ta", "a"], ["if", "tb", "false"], ["ta", "agg"], ["tb", "agg"], ["agg", "end"]],
  );
}

describe("variable-aggregator", () => {
  it("outputs the value of the branch that ran", async () => {
    const graph = branchGraph({ type: "variable-aggregator", output_type: "string", variables: [["ta", "output"], ["tb", "output"]] });
    expect((await runCollecting({ graph, registry, inputs: { pick: "a" } })).result.outputs.out).toBe("from A");
    expect((await runCollecting({ graph, registry, inputs: { pick: "b" } })).result.outputs.out).toBe("from B");
  });

  it("outputs <group>.output per group when groups are enabled", async () => {
    const graph = branchGraph({
      type: "variable-aggregator",
      variables: [],
      advanced_settings: { group_enabled: true, groups: [{ group_name: "g1", output_type: "string", variables: [["tb", "output"], ["ta", "output"]] }] },
    });
    const { result } = await runCollecting({ graph, registry, inputs: { pick: "a" } });
    expect(result.outputs).toEqual({ out: null, g: "from A" });
  });

  it("accepts the legacy variable-assigner spelling", async () => {
    const graph = branchGraph({ type: "variable-assigner", output_type: "string", variables: [["ta", "output"], ["tb", "output"]] });
    expect((await runCollecting({ graph, registry, inputs: { pick: "b" } })).result.outputs.out).toBe("from B");
  });
});
