import { describe, expect, it } from "vitest";
import { buildGraph, deferred, finishedNodes, runCollecting, settle, testPorts, testRegistry } from "./testing";

const registry = testRegistry();

describe("scheduler", () => {
  it("takes only the chosen branch and skips what only the other branch reaches", async () => {
    const graph = buildGraph(
      [
        { id: "start", type: "t-start" },
        { id: "if", type: "t-branch", handle: "case-a" },
        { id: "a", type: "t-value", value: "A" },
        { id: "b", type: "t-value", value: "B" },
        { id: "b2", type: "t-value", value: "B2" },
        { id: "join", type: "t-value", sum: [] },
      ],
      [["start", "if"], ["if", "a", "case-a"], ["if", "b", "false"], ["b", "b2"], ["a", "join"], ["b2", "join"]],
    );
    const { result, events, } = await runCollecting({ graph, registry, ports: testPorts() });
    expect(result.status).toBe("succeeded");
    expect(finishedNodes(events).map(([id]) => id)).toEqual(["start", "if", "a", "join"]);
    expect(result.snapshot.nodes).toMatchObject({ b: "skipped", b2: "skipped", join: "succeeded" });
  });

  it("skips a join whose every incoming edge is skipped, and everything after it", async () => {
    const graph = buildGraph(
      [
        { id: "start", type: "t-start" },
        { id: "if", type: "t-branch", handle: "x" },
        { id: "l", type: "t-value" },
        { id: "r", type: "t-value" },
        { id: "join", type: "t-value" },
        { id: "after", type: "t-value" },
        { id: "other", type: "t-value" },
      ],
      [["start", "if"], ["if", "l", "y"], ["if", "r", "z"], ["l", "join"], ["r", "join"], ["join", "after"], ["if", "other", "x"]],
    );
    const { result } = await runCollecting({ graph, registry, ports: testPorts() });
    expect(result.snapshot.nodes).toEqual({ start: "succeeded", if: "succeeded", other: "succeeded", l: "skipped", r: "skipped", join: "skipped", after: "skipped" });
  });

  it("treats a missing sourceHandle as 'source'", async () => {
    const graph = buildGraph([{ id: "start", type: "t-start" }, { id: "a", type: "t-value", value: 1 }], []);
    graph.edges.push({ id: "x", source: "start", target: "a", sourceHandle: undefined as unknown as string });
    const { result } = await runCollecting({ graph, registry, ports: testPorts() });
    expect(result.snapshot.nodes.a).toBe("succeeded");
  });

  it("runs parallel branches concurrently and waits for all of them at the join", async () => {
    const ports = testPorts();
    const gates = ["g1", "g2", "g3"].map((id) => [id, deferred()] as const);
    for (const [id, gate] of gates) ports.gates.set(id, gate.promise);
    const graph = buildGraph(
      [{ id: "start", type: "t-start" }, ...gates.map(([id]) => ({ id, type: "t-gate" })), { id: "join", type: "t-value", value: "joined" }],
      [...gates.map(([id]) => ["start", id] as [string, string]), ...gates.map(([id]) => [id, "join"] as [string, string])],
    );
    const running = runCollecting({ graph, registry, ports });
    await settle();
    expect(ports.running.now).toBe(3);
    for (const [, gate] of gates.reverse()) gate.resolve();
    const { result, events } = await running;
    expect(ports.running.max).toBe(3);
    expect(result.status).toBe("succeeded");
    expect(finishedNodes(events).map(([id]) => id).slice(-1)).toEqual(["join"]);
  });

  it("limits concurrency to maxConcurrency", async () => {
    const ports = testPorts();
    const ids = Array.from({ length: 6 }, (_, index) => `n${index}`);
    const graph = buildGraph([{ id: "start", type: "t-start" }, ...ids.map((id) => ({ id, type: "t-value", value: id }))], ids.map((id) => ["start", id] as [string, string]));
    await runCollecting({ graph, registry, ports, limits: { maxConcurrency: 2 } });
    expect(ports.running.max).toBe(2);
  });

  it("starts at the start node with no incoming edges and skips other entry points", async () => {
    const graph = buildGraph(
      [
        { id: "orphan", type: "t-value", value: "never" },
        { id: "after-orphan", type: "t-value" },
        { id: "start", type: "t-start" },
        { id: "a", type: "t-value", value: 1 },
      ],
      [["orphan", "after-orphan"], ["start", "a"]],
    );
    const { result, events } = await runCollecting({ graph, registry, ports: testPorts() });
    expect(finishedNodes(events).map(([id]) => id)).toEqual(["start", "a"]);
    expect(result.snapshot.nodes).toMatchObject({ orphan: "skipped", "after-orphan": "skipped" });
  });

  it("numbers node executions and names the predecessor", async () => {
    const graph = buildGraph([{ id: "start", type: "t-start" }, { id: "a", type: "t-value" }, { id: "b", type: "t-value" }], [["start", "a"], ["a", "b"]]);
    const { events } = await runCollecting({ graph, registry, ports: testPorts() });
    const started = events.flatMap((event) => (event.type === "node_started" ? [event.data] : []));
    expect(started.map((data) => [data.node_id, data.index, data.predecessor_node_id])).toEqual([["start", 1, null], ["a", 2, "start"], ["b", 3, "a"]]);
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    expect(events[0]).toMatchObject({ type: "workflow_started", data: { inputs: { "sys.files": [], "sys.workflow_run_id": expect.any(String) }, reason: "initial" } });
    expect(events[events.length - 1].type).toBe("workflow_finished");
  });

  it("passes values between nodes through the pool", async () => {
    const graph = buildGraph(
      [
        { id: "start", type: "t-start" },
        { id: "a", type: "t-value", value: 2 },
        { id: "b", type: "t-value", value: 3 },
        { id: "sum", type: "t-value", sum: [["a", "value"], ["b", "value"], ["start", "n"]] },
        { id: "out", type: "t-answer", answer: "total={{#sum.value#}}" },
      ],
      [["start", "a"], ["start", "b"], ["a", "sum"], ["b", "sum"], ["sum", "out"]],
    );
    const { result } = await runCollecting({ graph, registry, ports: testPorts(), inputs: { n: 10 } });
    expect(result.outputs).toEqual({ answer: "total=15" });
  });

  it("fails the run when the graph has no start node", async () => {
    const graph = buildGraph([{ id: "a", type: "t-value" }], []);
    const { result } = await runCollecting({ graph, registry, ports: testPorts() });
    expect(result.status).toBe("failed");
    expect(result.error).toMatch(/no start node/);
  });

  it("fails a node of an unregistered type with a clear error", async () => {
    const graph = buildGraph([{ id: "start", type: "t-start" }, { id: "x", type: "llm" }], [["start", "x"]]);
    const { result } = await runCollecting({ graph, registry, ports: testPorts() });
    expect(result.status).toBe("failed");
    expect(result.error).toBe('Unknown node type "llm"');
  });

  it("numbers events a node emits itself (agent_log) in the run's sequence", async () => {
    const agent = testRegistry().register({
      type: "t-agent",
      schema: registry.get("t-value")!.schema,
      run: (ctx) => {
        ctx.emit({ type: "agent_log", data: { node_execution_id: ctx.executionId, id: "step-1", label: "Thought", parent_id: null, error: null, status: "success", data: { thought: "hm" }, metadata: {}, node_id: ctx.nodeId } });
        return { status: "succeeded", outputs: {} };
      },
    });
    const graph = buildGraph([{ id: "start", type: "t-start" }, { id: "agent", type: "t-agent" }], [["start", "agent"]]);
    const { events } = await runCollecting({ graph, registry: agent, ports: testPorts() });
    const types = events.map((event) => event.type);
    expect(types.slice(3, 6)).toEqual(["node_started", "agent_log", "node_finished"]);
    const log = events.find((event) => event.type === "agent_log");
    expect(log?.seq).toBe(5);
  });
});
