import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { validateGraph, type NodeTypeCatalog } from "./validate-graph";

/**
 * Random DAGs whose nodes reference random other nodes: validation reports a reference exactly
 * when its node is not upstream, and a back edge always shows up as a cycle.
 */

const catalog: NodeTypeCatalog = { lookup: (type) => (type === "start" ? { schema: z.looseObject({}), isStart: true } : type === "step" ? { schema: z.looseObject({}) } : undefined) };

const specArbitrary = fc.integer({ min: 2, max: 10 }).chain((size) =>
  fc.record({
    size: fc.constant(size),
    edges: fc.uniqueArray(fc.tuple(fc.nat(size - 1), fc.nat(size - 1)).filter(([s, t]) => s < t), { selector: ([s, t]) => `${s}-${t}`, maxLength: size * 2 }),
    refs: fc.array(fc.tuple(fc.nat(size - 1), fc.nat(size - 1)), { maxLength: size }),
  }),
);

const id = (index: number) => `n${index}`;

function graphOf(spec: { size: number; edges: Array<[number, number]>; refs: Array<[number, number]> }) {
  return {
    nodes: Array.from({ length: spec.size }, (_, index) => ({
      id: id(index),
      data: {
        type: index === 0 ? "start" : "step",
        title: id(index),
        prompts: spec.refs.filter(([from]) => from === index).map(([, to]) => `{{#${id(to)}.out#}}`),
      },
    })),
    edges: spec.edges.map(([s, t]) => ({ id: `${s}-${t}`, source: id(s), target: id(t) })),
  };
}

function isAncestor(edges: Array<[number, number]>, ancestor: number, node: number): boolean {
  const seen = new Set<number>();
  const pending = [node];
  while (pending.length) {
    const current = pending.pop()!;
    for (const [s, t] of edges) if (t === current && !seen.has(s)) (seen.add(s), pending.push(s));
  }
  return seen.has(ancestor);
}

describe("validateGraph properties", () => {
  it("flags exactly the references to nodes that are not upstream", () => {
    fc.assert(
      fc.property(specArbitrary, (spec) => {
        const problems = validateGraph(graphOf(spec), { nodeTypes: catalog, mode: "workflow" });
        const expected = new Set(spec.refs.filter(([from, to]) => !isAncestor(spec.edges, to, from)).map(([from, to]) => `${id(from)}->${id(to)}`));
        const reported = new Set(problems.map((problem) => `${problem.node_id}->${/refers to (\w+)\./.exec(problem.message)?.[1]}`));
        expect(reported).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("reports a cycle whenever an edge points back up a path", () => {
    fc.assert(
      fc.property(specArbitrary.filter((spec) => spec.edges.length > 0), fc.nat(), (spec, pick) => {
        const [source, target] = spec.edges[pick % spec.edges.length];
        const graph = graphOf({ ...spec, refs: [] });
        graph.edges.push({ id: "back", source: id(target), target: id(source) });
        const problems = validateGraph(graph, { nodeTypes: catalog });
        expect(problems.some((problem) => problem.message.startsWith("Cycle: "))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
