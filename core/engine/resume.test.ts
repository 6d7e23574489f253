import { describe, expect, it } from "vitest";
import type { WorkflowEvent } from "./events";
import type { RunSnapshot } from "./run-snapshot";
import { buildGraph, countingIds, deferred, fakeClock, recordingSleep, settle, streamedText, testPorts, testRegistry } from "./testing";
import { resumeWorkflow, runWorkflow } from "./workflow-engine";

const registry = testRegistry();

const graph = buildGraph(
  [
    { id: "start", type: "t-start" },
    { id: "a", type: "t-value", value: 1 },
    { id: "b", type: "t-value", value: 2 },
    { id: "if", type: "t-branch", handle: "yes" },
    { id: "c", type: "t-value", sum: [["a", "value"], ["b", "value"], ["start", "n"]] },
    { id: "no", type: "t-value", value: "no" },
    { id: "out", type: "t-answer", answer: "c={{#c.value#}} b={{#b.value#}}" },
  ],
  [["start", "a"], ["start", "b"], ["a", "if"], ["b", "if"], ["if", "c", "yes"], ["if", "no", "no"], ["c", "out"]],
);

async function fullRun() {
  const snapshots: RunSnapshot[] = [];
  const events: WorkflowEvent[] = [];
  const result = await runWorkflow({
    graph, registry, ports: testPorts(), inputs: { n: 10 }, clock: fakeClock(), ids: countingIds(), sleep: recordingSleep(),
    onEvent: (event) => events.push(event),
    // Through JSON, as a Durable Object would store it.
    onNodeFinished: (snapshot) => snapshots.push(JSON.parse(JSON.stringify(snapshot))),
  });
  return { result, snapshots, events };
}

describe("dump and resume", () => {
  it("resuming after any finished node gives the same outputs and never re-runs a finished node", async () => {
    const full = await fullRun();
    expect(full.result.outputs).toEqual({ answer: "c=13 b=2" });
    expect(full.snapshots.length).toBe(6);
    for (const [k, snapshot] of full.snapshots.entries()) {
      const resumedEvents: WorkflowEvent[] = [];
      const resumed = await resumeWorkflow(snapshot, { graph, registry, ports: testPorts(), clock: fakeClock(), ids: countingIds("r"), onEvent: (event) => resumedEvents.push(event) });
      expect(resumed.status, `after ${k + 1} nodes`).toBe("succeeded");
      expect(resumed.outputs).toEqual(full.result.outputs);
      const finishedBefore = Object.entries(snapshot.nodes).filter(([, status]) => status !== "running").map(([id]) => id);
      const rerun = resumedEvents.flatMap((event) => (event.type === "node_started" ? [event.data.node_id] : []));
      for (const id of finishedBefore) expect(rerun, `node ${id} after ${k + 1} nodes`).not.toContain(id);
      expect(resumed.snapshot.pool).toEqual(full.result.snapshot.pool);
      // Sequence numbers continue where the checkpoint left off.
      expect(resumedEvents[0]).toMatchObject({ type: "workflow_started", seq: snapshot.seq + 1, data: { reason: "resumption" } });
      // The events stored with the checkpoints plus the resumed ones stream the same answer.
      const stored = full.snapshots.slice(0, k + 1).flatMap((s) => s.events);
      expect(streamedText([...stored, ...resumedEvents])).toBe("c=13 b=2");
    }
  });

  it("checkpoint events cover every event exactly once", async () => {
    const full = await fullRun();
    const stored = [...full.snapshots.flatMap((s) => s.events), ...full.result.snapshot.events];
    expect(stored.map((event) => event.seq)).toEqual(full.events.map((event) => event.seq));
  });

  it("runs again a node that was running when the snapshot was taken", async () => {
    const ports = testPorts();
    const slow = deferred();
    ports.gates.set("slow", slow.promise);
    const parallel = buildGraph(
      [{ id: "start", type: "t-start" }, { id: "fast", type: "t-value", value: 1 }, { id: "slow", type: "t-gate" }, { id: "join", type: "t-value", sum: [["fast", "value"]] }],
      [["start", "fast"], ["start", "slow"], ["fast", "join"], ["slow", "join"]],
    );
    let captured: RunSnapshot | undefined;
    const controller = new AbortController();
    const running = runWorkflow({
      graph: parallel, registry, ports, signal: controller.signal, clock: fakeClock(), ids: countingIds(),
      onNodeFinished: (snapshot) => {
        if (snapshot.nodes.fast === "succeeded") captured ??= JSON.parse(JSON.stringify(snapshot));
      },
    });
    await settle();
    controller.abort(); // the process "dies" while `slow` runs
    await running;
    expect(captured?.nodes).toEqual({ start: "succeeded", fast: "succeeded", slow: "running" });
    const events: WorkflowEvent[] = [];
    const resumePorts = testPorts();
    const resumed = await resumeWorkflow(captured!, { graph: parallel, registry, ports: resumePorts, clock: fakeClock(), ids: countingIds(), onEvent: (event) => events.push(event) });
    expect(resumed.status).toBe("succeeded");
    expect(events.flatMap((event) => (event.type === "node_started" ? [event.data.node_id] : []))).toEqual(["slow", "join"]);
    expect(resumed.snapshot.pool.join).toEqual({ value: 1 });
  });

  it("resuming a finished run does nothing", async () => {
    const full = await fullRun();
    const events: WorkflowEvent[] = [];
    const again = await resumeWorkflow(full.result.snapshot, { graph, registry, ports: testPorts(), onEvent: (event) => events.push(event) });
    expect(again.outputs).toEqual(full.result.outputs);
    expect(events.map((event) => event.type)).toEqual(["workflow_started", "workflow_finished"]);
  });

  it("does not repeat chunks already streamed when a streaming node runs again after a resume", async () => {
    const streaming = buildGraph(
      [
        { id: "start", type: "t-start" },
        { id: "llm", type: "t-stream", chunks: ["A", "B", "C"] },
        { id: "fast", type: "t-value", value: 1 },
        { id: "answer", type: "t-answer", answer: "[{{#llm.text#}}]" },
      ],
      [["start", "llm"], ["start", "fast"], ["llm", "answer"], ["fast", "answer"]],
    );
    const ports = testPorts();
    const second = deferred();
    ports.gates.set("llm:1", second.promise);
    const snapshots: RunSnapshot[] = [];
    const controller = new AbortController();
    const running = runWorkflow({ graph: streaming, registry, ports, signal: controller.signal, clock: fakeClock(), ids: countingIds(), onNodeFinished: (snapshot) => snapshots.push(JSON.parse(JSON.stringify(snapshot))) });
    await settle();
    controller.abort(); // crash while `llm` waits before its second chunk
    await running;
    const last = snapshots.at(-1)!;
    expect(last.nodes).toMatchObject({ fast: "succeeded", llm: "running" });
    const resumedEvents: WorkflowEvent[] = [];
    const resumed = await resumeWorkflow(last, { graph: streaming, registry, ports: testPorts(), clock: fakeClock(), ids: countingIds("r"), onEvent: (event) => resumedEvents.push(event) });
    expect(resumed.outputs).toEqual({ answer: "[ABC]" });
    expect(streamedText([...snapshots.flatMap((snapshot) => snapshot.events), ...resumedEvents])).toBe("[ABC]");
  });

  it("keeps environment variables (possibly secrets) out of snapshots and takes them again on resume", async () => {
    const envGraph = buildGraph(
      [{ id: "start", type: "t-start" }, { id: "a", type: "t-value", value: 1 }, { id: "b", type: "t-value", from: ["env", "KEY"] }],
      [["start", "a"], ["a", "b"]],
    );
    const environmentVariables = [{ name: "KEY", value: "s3cret", value_type: "secret" as const }];
    const snapshots: RunSnapshot[] = [];
    await runWorkflow({ graph: envGraph, registry, ports: testPorts(), environmentVariables, clock: fakeClock(), onNodeFinished: (snapshot) => snapshots.push(JSON.parse(JSON.stringify(snapshot))) });
    for (const snapshot of snapshots) expect(snapshot.pool.env).toBeUndefined();
    const resumed = await resumeWorkflow(snapshots[0], { graph: envGraph, registry, ports: testPorts(), environmentVariables, clock: fakeClock() });
    expect(resumed.snapshot.pool.b).toEqual({ value: "s3cret" });
  });
});
