import { describe, expect, it } from "vitest";
import { buildGraph, fakeClock, finishedNodes, recordingSleep, runCollecting, settle, testPorts, testRegistry } from "./testing";
import type { NodeRetryData } from "./events";

const registry = testRegistry();
const retry = (max_retries: number, retry_interval = 500) => ({ retry_config: { retry_enabled: true, max_retries, retry_interval } });

describe("retries", () => {
  it("retries a failing node, sleeping the interval and emitting node_retry with retry_index", async () => {
    const sleep = recordingSleep();
    const graph = buildGraph([{ id: "start", type: "t-start" }, { id: "flaky", type: "t-fail", fail_times: 2, ...retry(3) }], [["start", "flaky"]]);
    const { result, events } = await runCollecting({ graph, registry, ports: testPorts(), sleep });
    expect(result.status).toBe("succeeded");
    const retries = events.flatMap((event) => (event.type === "node_retry" ? [event.data as NodeRetryData] : []));
    expect(retries.map((data) => [data.retry_index, data.error, data.status])).toEqual([[1, "boom 1", "retry"], [2, "boom 2", "retry"]]);
    expect(sleep.calls).toEqual([500, 500]);
    expect(finishedNodes(events)).toEqual([["start", "succeeded"], ["flaky", "succeeded"]]);
    expect(result.total_steps).toBe(2);
  });

  it("gives up after max_retries and fails the run when there is no error strategy", async () => {
    const ports = testPorts();
    const graph = buildGraph([{ id: "start", type: "t-start" }, { id: "bad", type: "t-fail", ...retry(2) }, { id: "next", type: "t-value" }], [["start", "bad"], ["bad", "next"]]);
    const { result, events } = await runCollecting({ graph, registry, ports });
    expect(ports.attempts.get("bad")).toBe(3);
    expect(result.status).toBe("failed");
    expect(result.error).toBe("boom 3");
    expect(finishedNodes(events)).toEqual([["start", "succeeded"], ["bad", "failed"]]);
    const finished = events.at(-1)!;
    expect(finished.type === "workflow_finished" && finished.data.status).toBe("failed");
  });
});

describe("error strategies", () => {
  it("fail-branch: status exception, error outputs, follows the fail-branch edge only", async () => {
    const graph = buildGraph(
      [
        { id: "start", type: "t-start" },
        { id: "bad", type: "t-fail", error_strategy: "fail-branch" },
        { id: "ok", type: "t-value", value: "fine" },
        { id: "recover", type: "t-value", from: ["bad", "error_message"] },
      ],
      [["start", "bad"], ["bad", "ok", "success-branch"], ["bad", "recover", "fail-branch"]],
    );
    const { result, events } = await runCollecting({ graph, registry, ports: testPorts() });
    expect(result.status).toBe("partial-succeeded");
    expect(result.exceptions_count).toBe(1);
    expect(finishedNodes(events)).toEqual([["start", "succeeded"], ["bad", "exception"], ["recover", "succeeded"]]);
    const bad = events.find((event) => event.type === "node_finished" && event.data.node_id === "bad");
    expect(bad?.type === "node_finished" && bad.data.outputs).toEqual({ error_message: "boom 1", error_type: "BoomError" });
    expect(result.snapshot.nodes.ok).toBe("skipped");
    expect(result.snapshot.pool.recover).toEqual({ value: "boom 1" });
  });

  it("fail-branch node that succeeds takes success-branch (and plain) edges, not fail-branch", async () => {
    const graph = buildGraph(
      [
        { id: "start", type: "t-start" },
        { id: "good", type: "t-fail", fail_times: 0, error_strategy: "fail-branch" },
        { id: "ok", type: "t-value" },
        { id: "recover", type: "t-value" },
      ],
      [["start", "good"], ["good", "ok", "success-branch"], ["good", "recover", "fail-branch"]],
    );
    const { result } = await runCollecting({ graph, registry, ports: testPorts() });
    expect(result.status).toBe("succeeded");
    expect(result.snapshot.nodes).toMatchObject({ ok: "succeeded", recover: "skipped" });
  });

  it("default-value: outputs the defaults plus the error and continues on normal edges", async () => {
    const graph = buildGraph(
      [
        { id: "start", type: "t-start" },
        {
          id: "bad",
          type: "t-fail",
          error_strategy: "default-value",
          default_value: [
            { key: "value", type: "string", value: "(fallback)" },
            { key: "count", type: "number", value: "3" },
            { key: "tags", type: "array[string]", value: '["a"]' },
          ],
        },
        { id: "use", type: "t-value", from: ["bad", "value"] },
      ],
      [["start", "bad"], ["bad", "use"]],
    );
    const { result, events } = await runCollecting({ graph, registry, ports: testPorts() });
    expect(result.status).toBe("partial-succeeded");
    expect(result.exceptions_count).toBe(1);
    expect(result.snapshot.pool.bad).toEqual({ value: "(fallback)", count: 3, tags: ["a"], error_message: "boom 1", error_type: "BoomError" });
    expect(result.snapshot.pool.use).toEqual({ value: "(fallback)" });
    expect(finishedNodes(events)).toContainEqual(["bad", "exception"]);
  });

  it("retries before applying the error strategy", async () => {
    const ports = testPorts();
    const graph = buildGraph([{ id: "start", type: "t-start" }, { id: "bad", type: "t-fail", error_strategy: "default-value", default_value: [], ...retry(1, 0) }], [["start", "bad"]]);
    const { result, events } = await runCollecting({ graph, registry, ports });
    expect(ports.attempts.get("bad")).toBe(2);
    expect(events.filter((event) => event.type === "node_retry")).toHaveLength(1);
    expect(result.status).toBe("partial-succeeded");
  });

  it("treats error_strategy 'none' (as the editor saves it) like no strategy", async () => {
    const graph = buildGraph([{ id: "start", type: "t-start" }, { id: "bad", type: "t-fail", error_strategy: "none" }], [["start", "bad"]]);
    const { result } = await runCollecting({ graph, registry, ports: testPorts() });
    expect(result.status).toBe("failed");
  });

  it("a thrown exception is a node failure, not a crash", async () => {
    const broken = testRegistry().register({ type: "t-throw", schema: registry.get("t-value")!.schema, run: () => { throw new TypeError("bad input"); } });
    const graph = buildGraph([{ id: "start", type: "t-start" }, { id: "x", type: "t-throw", error_strategy: "fail-branch" }], [["start", "x"]]);
    const { result } = await runCollecting({ graph, registry: broken, ports: testPorts() });
    expect(result.snapshot.pool.x).toEqual({ error_message: "bad input", error_type: "TypeError" });
  });
});

describe("stop and limits", () => {
  it("stops when the signal aborts: running nodes end as stopped, the run as stopped", async () => {
    const ports = testPorts();
    ports.gates.set("wait", new Promise(() => {}));
    const controller = new AbortController();
    const graph = buildGraph([{ id: "start", type: "t-start" }, { id: "wait", type: "t-gate" }, { id: "after", type: "t-value" }], [["start", "wait"], ["wait", "after"]]);
    const running = runCollecting({ graph, registry, ports, signal: controller.signal });
    await settle();
    controller.abort();
    const { result, events } = await running;
    expect(result.status).toBe("stopped");
    expect(finishedNodes(events)).toEqual([["start", "succeeded"], ["wait", "stopped"]]);
  });

  it("aborts (status stopped, as Dify's limits layer) when the step limit is exceeded", async () => {
    const ids = Array.from({ length: 10 }, (_, index) => `n${index}`);
    const graph = buildGraph([{ id: "start", type: "t-start" }, ...ids.map((id) => ({ id, type: "t-value" }))], [["start", "n0"], ...ids.slice(1).map((id, index) => [ids[index], id] as [string, string])]);
    const { result } = await runCollecting({ graph, registry, ports: testPorts(), limits: { maxSteps: 5 } });
    expect(result.status).toBe("stopped");
    expect(result.error).toBe("Maximum execution steps exceeded: 6 > 5");
    expect(Object.values(result.snapshot.nodes).filter((status) => status === "succeeded")).toHaveLength(5);
  });

  it("aborts when the time limit is exceeded", async () => {
    const clock = fakeClock();
    const slow = testRegistry().register({ type: "t-slow", schema: registry.get("t-value")!.schema, run: () => (clock.advance(700), { status: "succeeded", outputs: {} }) });
    const graph = buildGraph([{ id: "start", type: "t-start" }, { id: "a", type: "t-slow" }, { id: "b", type: "t-slow" }, { id: "c", type: "t-slow" }], [["start", "a"], ["a", "b"], ["b", "c"]]);
    const { result, events } = await runCollecting({ graph, registry: slow, ports: testPorts(), clock, limits: { maxExecutionTimeMs: 1000 } });
    expect(result.status).toBe("stopped");
    expect(result.error).toMatch(/^Maximum execution time exceeded/);
    expect(events.some((event) => event.type === "node_started" && event.data.node_id === "c")).toBe(false);
  });

  it("refuses to run beyond the call depth", async () => {
    const graph = buildGraph([{ id: "start", type: "t-start" }], []);
    const { result } = await runCollecting({ graph, registry, ports: testPorts(), callDepth: 6 });
    expect(result.status).toBe("failed");
    expect(result.error).toBe("Max workflow call depth 5 reached.");
  });

  it("fails a node that writes a variable larger than the size limit, but lets big outputs through", async () => {
    const writer = testRegistry().register({
      type: "t-write",
      schema: registry.get("t-value")!.schema,
      run: (ctx) => ({ status: "succeeded", outputs: {}, variable_updates: [{ selector: ["conversation", "memo"], value: ctx.config.value }] }),
    });
    const graph = buildGraph(
      [{ id: "start", type: "t-start" }, { id: "big", type: "t-value", value: "x".repeat(2000) }, { id: "save", type: "t-write", value: "y".repeat(2000) }],
      [["start", "big"], ["big", "save"]],
    );
    const { result } = await runCollecting({ graph, registry: writer, ports: testPorts(), limits: { maxVariableSizeBytes: 1000 } });
    expect(result.snapshot.nodes.big).toBe("succeeded");
    expect(result.status).toBe("failed");
    expect(result.error).toBe("Variable conversation.memo exceeds the size limit of 1000 bytes");
  });
});
