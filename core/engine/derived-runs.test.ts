import { describe, expect, it } from "vitest";
import { createNodeRegistry } from "../nodes";
import { resumeWorkflow, runWorkflow, type RunSnapshot } from "./index";
import { retrySnapshot, singleNodeGraph, singleNodeSnapshot } from "./derived-runs";

const graph = {
  nodes: [
    { id: "start", data: { type: "start", title: "Start", variables: [{ variable: "n", label: "n", type: "number", required: true }] } },
    { id: "double", data: { type: "template-transform", title: "Double", template: "{{ n * 2 }}", variables: [{ variable: "n", value_selector: ["start", "n"] }] } },
    { id: "check", data: { type: "template-transform", title: "Check", template: "{% if flag == 'fail' %}{{ undefined_fn() }}{% endif %}ok {{ d }}", variables: [{ variable: "d", value_selector: ["double", "output"] }, { variable: "flag", value_selector: ["sys", "flag"] }] } },
    { id: "end", data: { type: "end", title: "End", outputs: [{ variable: "result", value_type: "string", value_selector: ["check", "output"] }] } },
  ],
  edges: [
    { id: "e1", source: "start", target: "double" },
    { id: "e2", source: "double", target: "check" },
    { id: "e3", source: "check", target: "end" },
  ],
};

describe("retry from the failed node", () => {
  it("reruns only the failed node and what follows, reusing finished outputs", async () => {
    const registry = createNodeRegistry();
    const first = await runWorkflow({ graph, registry, inputs: { n: 21 }, system: { flag: "fail" } });
    expect(first.status).toBe("failed");
    expect(first.snapshot.nodes).toMatchObject({ start: "succeeded", double: "succeeded", check: "failed" });

    const snapshot: RunSnapshot = retrySnapshot(first.snapshot, "retry-1", Date.now());
    // The cause of the failure is fixed (here: the flag the template reads).
    snapshot.pool.sys = { ...snapshot.pool.sys, flag: "ok" };
    const started: string[] = [];
    const retried = await resumeWorkflow(snapshot, { graph, registry, onEvent: (e) => e.type === "node_started" && started.push(e.data.node_id) });
    expect(retried.status).toBe("succeeded");
    expect(retried.outputs).toEqual({ result: "ok 42" });
    expect(started).toEqual(["check", "end"]);
  });

  it("refuses to retry a run that succeeded", async () => {
    const ok = await runWorkflow({ graph, registry: createNodeRegistry(), inputs: { n: 1 }, system: { flag: "ok" } });
    expect(() => retrySnapshot(ok.snapshot, "x", 0)).toThrow(/succeeded/);
  });
});

describe("single-node run", () => {
  it("runs one node with given upstream values and nothing else", async () => {
    const started: string[] = [];
    const result = await resumeWorkflow(singleNodeSnapshot({ runId: "s1", workflowId: "w", mode: "workflow", now: Date.now(), values: { "#double.output#": "8", "sys.flag": "ok" } }), {
      graph: singleNodeGraph(graph, "check"),
      rootNodeId: "check",
      registry: createNodeRegistry(),
      onEvent: (e) => e.type === "node_started" && started.push(e.data.node_id),
    });
    expect(started).toEqual(["check"]);
    expect(result.status).toBe("succeeded");
    expect(result.snapshot.pool.check).toEqual({ output: "ok 8" });
  });

  it("names a malformed input key", () => {
    expect(() => singleNodeSnapshot({ runId: "s", workflowId: "w", mode: "workflow", now: 0, values: { query: 1 } })).toThrow(/node\.variable/);
  });
});
