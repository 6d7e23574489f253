import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildGraph, runCollecting, testPorts, testRegistry, type EdgeSpec, type NodeSpec } from "./testing";

/**
 * Random DAGs mixing succeeding nodes with failing ones under `fail-branch` and `default-value`,
 * against a reference model: a fail-branch node in exception takes only its `fail-branch` edges,
 * a default-value node takes all of its edges, and the run is partial-succeeded with one
 * exception per failing node that ran.
 */

type Kind = "ok" | "fail-branch" | "default-value";
interface Spec {
  kinds: Kind[];
  edges: Array<{ source: number; target: number; handle: "fail-branch" | "success-branch" }>;
}

const specArbitrary: fc.Arbitrary<Spec> = fc.integer({ min: 2, max: 10 }).chain((size) =>
  fc.record({
    kinds: fc.array(fc.constantFrom<Kind>("ok", "fail-branch", "default-value"), { minLength: size, maxLength: size }),
    edges: fc.uniqueArray(
      fc.tuple(fc.nat(size - 1), fc.nat(size - 1), fc.constantFrom("fail-branch" as const, "success-branch" as const)).filter(([s, t]) => s < t).map(([source, target, handle]) => ({ source, target, handle })),
      { selector: (edge) => `${edge.source}-${edge.target}`, maxLength: size * 3 },
    ),
  }),
);

const id = (index: number) => (index === 0 ? "start" : `n${index}`);
const kindOf = (spec: Spec, index: number): Kind => (index === 0 ? "ok" : spec.kinds[index]);

function toGraph(spec: Spec) {
  const nodes: NodeSpec[] = spec.kinds.map((kind, index) => {
    if (index === 0) return { id: "start", type: "t-start" };
    if (kind === "ok") return { id: id(index), type: "t-value", value: index };
    if (kind === "fail-branch") return { id: id(index), type: "t-fail", error_strategy: "fail-branch" };
    return { id: id(index), type: "t-fail", error_strategy: "default-value", default_value: [{ key: "value", type: "number", value: "7" }] };
  });
  const edges: EdgeSpec[] = spec.edges.map((edge) => [id(edge.source), id(edge.target), kindOf(spec, edge.source) === "fail-branch" ? edge.handle : "source"]);
  return buildGraph(nodes, edges);
}

function model(spec: Spec): boolean[] {
  const ran: boolean[] = [true];
  for (let index = 1; index < spec.kinds.length; index++) {
    ran[index] = spec.edges.some((edge) => edge.target === index && ran[edge.source] && (kindOf(spec, edge.source) !== "fail-branch" || edge.handle === "fail-branch"));
  }
  return ran;
}

describe("error strategy properties", () => {
  it("routes exceptions as the reference model says and counts them", async () => {
    const registry = testRegistry();
    await fc.assert(
      fc.asyncProperty(specArbitrary, async (spec) => {
        const { result } = await runCollecting({ graph: toGraph(spec), registry, ports: testPorts() });
        const ran = model(spec);
        const exceptions = spec.kinds.filter((kind, index) => index > 0 && kind !== "ok" && ran[index]).length;
        expect(result.status).toBe(exceptions > 0 ? "partial-succeeded" : "succeeded");
        expect(result.exceptions_count).toBe(exceptions);
        spec.kinds.forEach((kind, index) => {
          if (index === 0) return;
          const expected = !ran[index] ? "skipped" : kind === "ok" ? "succeeded" : "exception";
          expect(result.snapshot.nodes[id(index)], id(index)).toBe(expected);
          if (ran[index] && kind === "default-value") expect(result.snapshot.pool[id(index)]).toMatchObject({ value: 7, error_type: "BoomError" });
          if (ran[index] && kind === "fail-branch") expect(result.snapshot.pool[id(index)]).toEqual({ error_message: "boom 1", error_type: "BoomError" });
        });
      }),
      { numRuns: 200 },
    );
  });
});
