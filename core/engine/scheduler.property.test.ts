import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildGraph, fakeClock, runCollecting, testPorts, testRegistry, type EdgeSpec, type NodeSpec } from "./testing";
import type { RunSnapshot } from "./run-snapshot";
import { resumeWorkflow } from "./workflow-engine";

/**
 * Random DAGs of pure value nodes and branch nodes, checked against a reference model of Dify's
 * rule: a node runs when no incoming edge is undecided and one is taken; otherwise it is skipped.
 */

interface DagSpec {
  kinds: Array<{ branch: boolean; handle: "a" | "b"; value: number }>;
  edges: Array<{ source: number; target: number; handle: "a" | "b" }>;
}

const dagArbitrary: fc.Arbitrary<DagSpec> = fc.integer({ min: 2, max: 12 }).chain((size) =>
  fc.record({
    kinds: fc.array(fc.record({ branch: fc.boolean(), handle: fc.constantFrom("a" as const, "b" as const), value: fc.integer({ min: 0, max: 100 }) }), { minLength: size, maxLength: size }),
    edges: fc.uniqueArray(
      fc.tuple(fc.integer({ min: 0, max: size - 1 }), fc.integer({ min: 0, max: size - 1 }), fc.constantFrom("a" as const, "b" as const)).filter(([source, target]) => source < target).map(([source, target, handle]) => ({ source, target, handle })),
      { selector: (edge) => `${edge.source}-${edge.target}`, maxLength: size * 3 },
    ),
  }),
);

const id = (index: number) => (index === 0 ? "start" : `n${index}`);

function toGraph(spec: DagSpec) {
  const nodes: NodeSpec[] = spec.kinds.map((kind, index) => {
    if (index === 0) return { id: "start", type: "t-start" };
    const sources = spec.edges.filter((edge) => edge.target === index).map((edge) => [id(edge.source), "value"]);
    return kind.branch ? { id: id(index), type: "t-branch", handle: kind.handle } : { id: id(index), type: "t-value", sum: [...sources, ["start", `k${index}`]] };
  });
  const edges: EdgeSpec[] = spec.edges.map((edge) => [id(edge.source), id(edge.target), spec.kinds[edge.source].branch && edge.source !== 0 ? edge.handle : "source"]);
  const inputs = Object.fromEntries(spec.kinds.map((kind, index) => [`k${index}`, kind.value]));
  return { graph: buildGraph(nodes, edges), inputs };
}

/** The reference: nodes in index order (a topological order), statuses and values. */
function model(spec: DagSpec) {
  const ran: boolean[] = [];
  const values: number[] = [];
  spec.kinds.forEach((kind, index) => {
    if (index === 0) {
      ran[0] = true;
      values[0] = 0;
      return;
    }
    const incoming = spec.edges.filter((edge) => edge.target === index);
    const taken = incoming.some((edge) => ran[edge.source] && (edge.source === 0 || !spec.kinds[edge.source].branch || spec.kinds[edge.source].handle === edge.handle));
    ran[index] = taken;
    values[index] = kind.branch ? 0 : incoming.reduce((total, edge) => total + (ran[edge.source] && edge.source !== 0 && !spec.kinds[edge.source].branch ? values[edge.source] : 0), kind.value);
  });
  return { ran, values };
}

const registry = testRegistry();

describe("scheduler properties", () => {
  it("every node finishes or is skipped exactly once, as the reference model says", async () => {
    await fc.assert(
      fc.asyncProperty(dagArbitrary, async (spec) => {
        const { graph, inputs } = toGraph(spec);
        const { result, events } = await runCollecting({ graph, registry, inputs, ports: testPorts() });
        expect(result.status).toBe("succeeded");
        const { ran, values } = model(spec);
        const started = events.flatMap((event) => (event.type === "node_started" ? [event.data.node_id] : []));
        const finished = events.flatMap((event) => (event.type === "node_finished" ? [event.data.node_id] : []));
        expect(new Set(started).size).toBe(started.length);
        expect([...started].sort()).toEqual([...finished].sort());
        spec.kinds.forEach((kind, index) => {
          const status = result.snapshot.nodes[id(index)];
          expect(status, `node ${id(index)}`).toBe(ran[index] ? "succeeded" : "skipped");
          if (ran[index] && !kind.branch && index > 0) expect(result.snapshot.pool[id(index)]).toEqual({ value: values[index] });
          if (!ran[index]) expect(started).not.toContain(id(index));
        });
      }),
      { numRuns: 150 },
    );
  });

  it("parallel and sequential scheduling give the same results for pure nodes", async () => {
    await fc.assert(
      fc.asyncProperty(dagArbitrary, async (spec) => {
        const { graph, inputs } = toGraph(spec);
        const parallel = await runCollecting({ graph, registry, inputs, ports: testPorts(), limits: { maxConcurrency: 10 } });
        const sequential = await runCollecting({ graph, registry, inputs, ports: testPorts(), limits: { maxConcurrency: 1 } });
        expect(parallel.result.snapshot.pool).toEqual(sequential.result.snapshot.pool);
        expect(parallel.result.snapshot.nodes).toEqual(sequential.result.snapshot.nodes);
        expect(parallel.result.snapshot.edges).toEqual(sequential.result.snapshot.edges);
      }),
      { numRuns: 100 },
    );
  });

  it("resuming from the snapshot after any k finished nodes gives the same result without re-running them", async () => {
    await fc.assert(
      fc.asyncProperty(dagArbitrary, fc.nat(), async (spec, pick) => {
        const { graph, inputs } = toGraph(spec);
        const snapshots: RunSnapshot[] = [];
        const full = await runCollecting({ graph, registry, inputs, ports: testPorts(), onNodeFinished: (snapshot) => snapshots.push(JSON.parse(JSON.stringify(snapshot))) });
        const snapshot = snapshots[pick % snapshots.length];
        const events: string[] = [];
        const result = await resumeWorkflow(snapshot, { graph, registry, ports: testPorts(), clock: fakeClock(), onEvent: (event) => event.type === "node_started" && events.push(event.data.node_id) });
        expect(result.snapshot.pool).toEqual(full.result.snapshot.pool);
        expect(result.snapshot.nodes).toEqual(full.result.snapshot.nodes);
        const done = Object.entries(snapshot.nodes).filter(([, status]) => status !== "running").map(([nodeId]) => nodeId);
        for (const nodeId of done) expect(events).not.toContain(nodeId);
        // Nodes that were running at the checkpoint run again and count again.
        const rerun = Object.values(snapshot.nodes).filter((status) => status === "running").length;
        expect(result.total_steps).toBe(full.result.total_steps + rerun);
      }),
      { numRuns: 100 },
    );
  });
});
