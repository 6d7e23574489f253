import { describe, expect, it } from "vitest";
import { buildGraph, runCollecting, type NodeSpec } from "../../engine/testing";
import { createNodeRegistry } from "..";

const registry = createNodeRegistry();

function loopGraph(loop: Record<string, unknown>, body: NodeSpec[], bodyEdges: Array<[string, string, string?]>) {
  return buildGraph(
    [
      { id: "start", type: "start", variables: [{ variable: "limit", type: "number" }] },
      { id: "loop", type: "loop", start_node_id: "loop-start", loop_variables: [{ label: "counter", var_type: "number", value_type: "constant", value: "0" }], ...loop },
      { id: "loop-start", type: "loop-start", parentId: "loop" },
      ...body.map((node) => ({ ...node, parentId: "loop", loop_id: "loop" })),
      { id: "end", type: "end", outputs: [{ variable: "counter", value_selector: ["loop", "counter"] }] },
    ],
    [["start", "loop"], ...bodyEdges, ["loop", "end"]],
  );
}

const increment: NodeSpec = { id: "inc", type: "assigner", version: "2", items: [{ variable_selector: ["loop", "counter"], input_type: "constant", operation: "+=", value: 1 }] };

describe("loop", () => {
  it("updates loop variables each round and stops when the break conditions hold", async () => {
    const graph = loopGraph(
      { loop_count: 10, logical_operator: "and", break_conditions: [{ variable_selector: ["loop", "counter"], comparison_operator: "≥", value: "{{#start.limit#}}" }] },
      [increment],
      [["loop-start", "inc"]],
    );
    const { result, events } = await runCollecting({ graph, registry, inputs: { limit: 3 } });
    expect(result.outputs).toEqual({ counter: 3 });
    expect(events.filter((event) => event.type.startsWith("loop_")).map((event) => event.type)).toEqual(["loop_started", "loop_next", "loop_next", "loop_completed"]);
    const next = events.find((event) => event.type === "loop_next");
    expect(next?.type === "loop_next" && next.data).toMatchObject({ index: 1, pre_loop_output: { counter: 1 } });
    const completed = events.find((event) => event.type === "loop_completed");
    expect(completed?.type === "loop_completed" && completed.data.execution_metadata).toMatchObject({ completed_reason: "break_conditions", loop_round: 3 });
    const child = events.find((event) => event.type === "node_started" && event.data.node_id === "inc");
    expect(child?.type === "node_started" && child.data.loop_id).toBe("loop");
  });

  it("runs at most loop_count rounds and exposes the round index", async () => {
    const graph = loopGraph(
      { loop_count: 4, loop_variables: [{ label: "log", var_type: "string", value_type: "constant", value: "" }] },
      [{ id: "add", type: "template-transform", template: "{{ log }}{{ i }}", variables: [{ variable: "log", value_selector: ["loop", "log"] }, { variable: "i", value_selector: ["loop", "index"] }] },
       { id: "save", type: "assigner", version: "2", items: [{ variable_selector: ["loop", "log"], input_type: "variable", operation: "over-write", value: ["add", "output"] }] }],
      [["loop-start", "add"], ["add", "save"]],
    );
    const { result } = await runCollecting({ graph, registry, inputs: {} });
    expect(result.snapshot.pool.loop).toMatchObject({ log: "0123" });
  });

  it("breaks when a loop-end node runs", async () => {
    const graph = loopGraph(
      { loop_count: 10 },
      [
        { id: "check", type: "if-else", cases: [{ case_id: "stop", logical_operator: "and", conditions: [{ variable_selector: ["loop", "counter"], comparison_operator: "=", value: "2" }] }] },
        { id: "stop", type: "loop-end" },
        increment,
      ],
      [["loop-start", "check"], ["check", "stop", "stop"], ["check", "inc", "false"]],
    );
    const { result, events } = await runCollecting({ graph, registry, inputs: {} });
    expect(result.outputs).toEqual({ counter: 2 });
    const completed = events.find((event) => event.type === "loop_completed");
    expect(completed?.type === "loop_completed" && completed.data.execution_metadata).toMatchObject({ completed_reason: "loop_end", loop_round: 3 });
  });

  it("does not run at all when the break conditions hold before the first round", async () => {
    const graph = loopGraph({ loop_count: 5, break_conditions: [{ variable_selector: ["loop", "counter"], comparison_operator: "=", value: "0" }] }, [increment], [["loop-start", "inc"]]);
    const { result, events } = await runCollecting({ graph, registry, inputs: {} });
    expect(result.outputs).toEqual({ counter: 0 });
    expect(events.some((event) => event.type === "node_started" && event.data.node_id === "inc")).toBe(false);
  });

  it("initialises loop variables from other variables", async () => {
    const graph = loopGraph({ loop_count: 2, loop_variables: [{ label: "counter", var_type: "number", value_type: "variable", value: ["start", "limit"] }] }, [increment], [["loop-start", "inc"]]);
    expect((await runCollecting({ graph, registry, inputs: { limit: 40 } })).result.outputs).toEqual({ counter: 42 });
  });

  it("fails when a round fails", async () => {
    const graph = loopGraph({ loop_count: 3 }, [{ id: "bad", type: "assigner", version: "2", items: [{ variable_selector: ["loop", "counter"], input_type: "constant", operation: "append", value: 1 }] }], [["loop-start", "bad"]]);
    const { result, events } = await runCollecting({ graph, registry, inputs: {} });
    expect(result.status).toBe("failed");
    expect(result.error).toBe("loop.counter: append needs an array variable");
    const completed = events.find((event) => event.type === "loop_completed");
    expect(completed?.type === "loop_completed" && completed.data.status).toBe("failed");
  });
});
