import { describe, expect, it } from "vitest";
import { baseNodeDataSchema } from "../../dsl";
import { buildGraph, runCollecting, settle, streamedText } from "../../engine/testing";
import { createNodeRegistry } from "..";

const registry = createNodeRegistry();

describe("containers", () => {
  it("nests an iteration inside an iteration", async () => {
    const graph = buildGraph(
      [
        { id: "start", type: "start", variables: [{ variable: "data", type: "json_object" }] },
        { id: "outer", type: "iteration", iterator_selector: ["start", "data", "rows"], output_selector: ["inner", "output"], flatten_output: false },
        { id: "outer-start", type: "iteration-start", parentId: "outer" },
        { id: "inner", type: "iteration", parentId: "outer", iterator_selector: ["outer", "item"], output_selector: ["cell", "output"] },
        { id: "inner-start", type: "iteration-start", parentId: "inner" },
        { id: "cell", type: "template-transform", parentId: "inner", template: "{{ r }}.{{ c }}={{ v }}", variables: [{ variable: "r", value_selector: ["outer", "index"] }, { variable: "c", value_selector: ["inner", "index"] }, { variable: "v", value_selector: ["inner", "item"] }] },
        { id: "end", type: "end", outputs: [{ variable: "grid", value_selector: ["outer", "output"] }] },
      ],
      [["start", "outer"], ["outer-start", "inner"], ["inner-start", "cell"], ["outer", "end"]],
    );
    const { result, events } = await runCollecting({ graph, registry, inputs: { data: { rows: [["a", "b"], ["c"]] } } });
    expect(result.outputs.grid).toEqual([["0.0=a", "0.1=b"], ["1.0=c"]]);
    const cells = events.filter((event) => event.type === "node_started" && event.data.node_id === "cell");
    expect(cells.map((event) => event.type === "node_started" && event.data.iteration_id)).toEqual(["inner", "inner", "inner"]);
  });

  it("counts steps inside loops towards the run's step limit", async () => {
    const graph = buildGraph(
      [
        { id: "start", type: "start", variables: [] },
        { id: "loop", type: "loop", loop_count: 1000, loop_variables: [] },
        { id: "loop-start", type: "loop-start", parentId: "loop" },
        { id: "work", type: "template-transform", parentId: "loop", template: "x", variables: [] },
      ],
      [["start", "loop"], ["loop-start", "work"]],
    );
    const { result } = await runCollecting({ graph, registry, limits: { maxSteps: 50 } });
    expect(result.status).toBe("stopped");
    expect(result.error).toBe("Maximum execution steps exceeded: 51 > 50");
  });

  it("stops a running iteration when the run is stopped", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const blocking = createNodeRegistry().register({
      type: "t-block",
      schema: baseNodeDataSchema,
      run: async (ctx) => (await Promise.race([gate, new Promise((resolve) => ctx.signal.addEventListener("abort", resolve))]), { status: "succeeded", outputs: {} }),
    });
    const graph = buildGraph(
      [
        { id: "start", type: "start", variables: [{ variable: "data", type: "json_object" }] },
        { id: "iter", type: "iteration", iterator_selector: ["start", "data", "items"], output_selector: [] },
        { id: "iter-start", type: "iteration-start", parentId: "iter" },
        { id: "block", type: "t-block", parentId: "iter" },
      ],
      [["start", "iter"], ["iter-start", "block"]],
    );
    const controller = new AbortController();
    const running = runCollecting({ graph, registry: blocking, inputs: { data: { items: [1, 2, 3] } }, signal: controller.signal });
    await settle();
    controller.abort();
    const { result, events } = await running;
    release();
    expect(result.status).toBe("stopped");
    expect(events.filter((event) => event.type === "node_started" && event.data.node_id === "block")).toHaveLength(1);
    expect(events.at(-1)?.type).toBe("workflow_finished");
  });

  it("streams answers inside an iteration once per round, before the answer that follows the iteration", async () => {
    const graph = buildGraph(
      [
        { id: "start", type: "start", variables: [] },
        { id: "iter", type: "iteration", iterator_selector: ["conversation", "fruits"], output_selector: ["inner", "answer"], flatten_output: false },
        { id: "iter-start", type: "iteration-start", parentId: "iter" },
        { id: "inner", type: "answer", parentId: "iter", iteration_id: "iter", answer: "{{#iter.item#}}\n" },
        { id: "final", type: "answer", answer: "done" },
      ],
      [["start", "iter"], ["iter-start", "inner"], ["iter", "final"]],
    );
    const { result, events } = await runCollecting({ graph, registry, mode: "advanced-chat", conversationVariables: [{ name: "fruits", value_type: "array[string]", value: ["apple", "banana"] }] });
    expect(streamedText(events)).toBe("apple\nbanana\ndone");
    expect(result.snapshot.pool.iter.output).toEqual(["apple\n", "banana\n"]);
    expect(result.outputs).toEqual({ answer: "apple\nbanana\ndone" });
  });

  it("answers inside a loop see the round's loop variables and add to the run's answer", async () => {
    const graph = buildGraph(
      [
        { id: "start", type: "start", variables: [] },
        { id: "loop", type: "loop", loop_count: 10, logical_operator: "and", break_conditions: [{ variable_selector: ["loop", "i"], comparison_operator: "≥", value: "2" }], loop_variables: [{ label: "i", var_type: "number", value_type: "constant", value: "0" }] },
        { id: "loop-start", type: "loop-start", parentId: "loop" },
        { id: "inc", type: "assigner", parentId: "loop", version: "2", items: [{ variable_selector: ["loop", "i"], input_type: "constant", operation: "+=", value: 1 }] },
        { id: "inner", type: "answer", parentId: "loop", answer: "{{#loop.i#}}\n" },
        { id: "final", type: "answer", answer: "{{#sys.query#}} + {{#loop.i#}}" },
      ],
      [["start", "loop"], ["loop-start", "inc"], ["inc", "inner"], ["loop", "final"]],
    );
    const { result, events } = await runCollecting({ graph, registry, mode: "advanced-chat", system: { query: "1" } });
    expect(result.outputs).toEqual({ answer: "1\n2\n1 + 2" });
    expect(streamedText(events)).toBe("1\n2\n1 + 2");
  });
});
