import { describe, expect, it } from "vitest";
import { z } from "zod";
import { baseNodeDataSchema } from "../../dsl";
import { defineNode, failed, succeeded, type WorkflowEvent } from "../../engine";
import { buildGraph, runCollecting, type NodeSpec } from "../../engine/testing";
import { createNodeRegistry } from "..";

const running = { now: 0, max: 0 };
/** Doubles numbers; fails on odd ones when asked; finishes later for smaller items so parallel rounds end out of order. */
const slowDouble = defineNode({
  type: "t-double",
  schema: baseNodeDataSchema.extend({ fail_odd: z.boolean().optional(), wrap: z.boolean().optional() }),
  async run(ctx) {
    const item = Number(ctx.resolve(["iter", "item"]));
    running.now++;
    running.max = Math.max(running.max, running.now);
    for (let tick = 0; tick < 10 - item; tick++) await Promise.resolve();
    running.now--;
    if (ctx.config.fail_odd && item % 2 === 1) return failed(`odd ${item}`, "OddError");
    return succeeded({ value: ctx.config.wrap ? [item, item * 2] : item * 2 });
  },
});
const registry = createNodeRegistry().register(slowDouble);

function iterationGraph(iteration: Record<string, unknown>, body: Partial<NodeSpec> = {}) {
  return buildGraph(
    [
      { id: "start", type: "start", variables: [{ variable: "data", type: "json_object" }] },
      { id: "iter", type: "iteration", iterator_selector: ["start", "data", "items"], output_selector: ["double", "value"], start_node_id: "iter-start", ...iteration },
      { id: "iter-start", type: "iteration-start", parentId: "iter" },
      { id: "double", type: "t-double", parentId: "iter", iteration_id: "iter", ...body },
      { id: "end", type: "end", outputs: [{ variable: "out", value_selector: ["iter", "output"] }] },
    ],
    [["start", "iter"], ["iter-start", "double"], ["iter", "end"]],
  );
}

const run = (graph: ReturnType<typeof iterationGraph>, items: unknown) => runCollecting({ graph, registry, inputs: { data: { items } } });
const types = (events: WorkflowEvent[]) => events.map((event) => event.type);

describe("iteration", () => {
  it("runs the body per item in order, with item and index in scope, and emits iteration events", async () => {
    const graph = buildGraph(
      [
        { id: "start", type: "start", variables: [{ variable: "data", type: "json_object" }] },
        { id: "iter", type: "iteration", iterator_selector: ["start", "data", "items"], output_selector: ["fmt", "output"] },
        { id: "iter-start", type: "iteration-start", parentId: "iter" },
        { id: "fmt", type: "template-transform", parentId: "iter", template: "{{ i }}:{{ x }}", variables: [{ variable: "x", value_selector: ["iter", "item"] }, { variable: "i", value_selector: ["iter", "index"] }] },
        { id: "end", type: "end", outputs: [{ variable: "out", value_selector: ["iter", "output"] }] },
      ],
      [["start", "iter"], ["iter-start", "fmt"], ["iter", "end"]],
    );
    const { result, events } = await runCollecting({ graph, registry, inputs: { data: { items: ["a", "b", "c"] } } });
    expect(result.outputs.out).toEqual(["0:a", "1:b", "2:c"]);
    const iterationEvents = events.filter((event) => event.type.startsWith("iteration_"));
    expect(types(iterationEvents)).toEqual(["iteration_started", "iteration_next", "iteration_next", "iteration_next", "iteration_completed"]);
    expect(iterationEvents.map((event) => (event.type === "iteration_next" ? event.data.index : null))).toEqual([null, 0, 1, 2, null]);
    const completed = iterationEvents.at(-1)!;
    expect(completed.type === "iteration_completed" && completed.data).toMatchObject({ status: "succeeded", outputs: { output: ["0:a", "1:b", "2:c"] }, steps: 6 });
    const child = events.filter((event) => event.type === "node_finished" && event.data.node_id === "fmt");
    expect(child.map((event) => event.type === "node_finished" && [event.data.iteration_id, event.data.execution_metadata?.iteration_index])).toEqual([["iter", 0], ["iter", 1], ["iter", 2]]);
    expect(result.total_steps).toBe(3 + 6);
  });

  it("runs in parallel up to parallel_nums and keeps item order", async () => {
    running.max = 0;
    const { result } = await run(iterationGraph({ is_parallel: true, parallel_nums: 3 }), [1, 2, 3, 4, 5, 6]);
    expect(result.outputs.out).toEqual([2, 4, 6, 8, 10, 12]);
    expect(running.max).toBe(3);
  });

  it("terminated: the first failing item fails the iteration and the run", async () => {
    const { result, events } = await run(iterationGraph({ error_handle_mode: "terminated" }, { fail_odd: true }), [2, 3, 4]);
    expect(result.status).toBe("failed");
    expect(result.error).toBe("odd 3");
    const completed = events.find((event) => event.type === "iteration_completed");
    expect(completed?.type === "iteration_completed" && completed.data.status).toBe("failed");
    expect(events.filter((event) => event.type === "iteration_next")).toHaveLength(2);
  });

  it("continue-on-error puts null for failed items; remove-abnormal-output drops them", async () => {
    expect((await run(iterationGraph({ error_handle_mode: "continue-on-error" }, { fail_odd: true }), [1, 2, 3, 4])).result.outputs.out).toEqual([null, 4, null, 8]);
    expect((await run(iterationGraph({ error_handle_mode: "remove-abnormal-output", is_parallel: true }, { fail_odd: true }), [1, 2, 3, 4])).result.outputs.out).toEqual([4, 8]);
  });

  it("flattens array outputs unless flatten_output is false", async () => {
    expect((await run(iterationGraph({}, { wrap: true }), [1, 2])).result.outputs.out).toEqual([1, 2, 2, 4]);
    expect((await run(iterationGraph({ flatten_output: false }, { wrap: true }), [1, 2])).result.outputs.out).toEqual([[1, 2], [2, 4]]);
  });

  it("outputs [] for an empty list and fails for something that is not a list", async () => {
    expect((await run(iterationGraph({}), [])).result.outputs.out).toEqual([]);
    const notList = await run(iterationGraph({}), "abc");
    expect(notList.result.status).toBe("failed");
    expect(notList.result.error).toBe('Invalid iterator value: "abc", please provide a list.');
  });

  it("keeps writes to different conversation variables from parallel rounds", async () => {
    const graph = buildGraph(
      [
        { id: "start", type: "start", variables: [{ variable: "data", type: "json_object" }] },
        { id: "iter", type: "iteration", iterator_selector: ["start", "data", "items"], output_selector: [], is_parallel: true, parallel_nums: 2 },
        { id: "iter-start", type: "iteration-start", parentId: "iter" },
        { id: "route", type: "if-else", parentId: "iter", cases: [{ case_id: "first", logical_operator: "and", conditions: [{ variable_selector: ["iter", "index"], comparison_operator: "=", value: "0" }] }] },
        { id: "set-a", type: "assigner", parentId: "iter", version: "2", items: [{ variable_selector: ["conversation", "a"], input_type: "variable", operation: "over-write", value: ["iter", "item"] }] },
        { id: "set-b", type: "assigner", parentId: "iter", version: "2", items: [{ variable_selector: ["conversation", "b"], input_type: "variable", operation: "over-write", value: ["iter", "item"] }] },
      ],
      [["start", "iter"], ["iter-start", "route"], ["route", "set-a", "first"], ["route", "set-b", "false"]],
    );
    const conversationVariables = [{ name: "a", value_type: "string", value: "" }, { name: "b", value_type: "string", value: "" }];
    const { result } = await runCollecting({ graph, registry, inputs: { data: { items: ["x", "y"] } }, conversationVariables });
    expect(result.conversation_variables).toEqual({ a: "x", b: "y" });
  });

  it("syncs conversation variables written inside the body back to the run", async () => {
    const graph = buildGraph(
      [
        { id: "start", type: "start", variables: [{ variable: "data", type: "json_object" }] },
        { id: "iter", type: "iteration", iterator_selector: ["start", "data", "items"], output_selector: [] },
        { id: "iter-start", type: "iteration-start", parentId: "iter" },
        { id: "push", type: "assigner", parentId: "iter", version: "2", items: [{ variable_selector: ["conversation", "seen"], input_type: "variable", operation: "append", value: ["iter", "item"] }] },
      ],
      [["start", "iter"], ["iter-start", "push"]],
    );
    const { result } = await runCollecting({ graph, registry, inputs: { data: { items: ["x", "y"] } }, conversationVariables: [{ name: "seen", value_type: "array[string]", value: [] }] });
    expect(result.conversation_variables.seen).toEqual(["x", "y"]);
  });
});
