import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildGraph, runCollecting, streamedText, testPorts, testRegistry, type EdgeSpec, type NodeSpec } from "./testing";

/**
 * Random graphs of value, streaming and branch nodes with answer nodes hung off random nodes:
 * whatever the interleaving, the streamed text is exactly the answers that ran, each one whole,
 * in an order consistent with the graph, and nothing from an answer that was skipped.
 */

interface Spec {
  kinds: Array<"value" | "stream" | "branch">;
  edges: Array<[number, number, "a" | "b"]>;
  answers: Array<{ after: number[]; refs: number[]; text: string }>;
}

const specArbitrary: fc.Arbitrary<Spec> = fc.integer({ min: 2, max: 8 }).chain((size) =>
  fc.record({
    kinds: fc.array(fc.constantFrom("value" as const, "stream" as const, "branch" as const), { minLength: size, maxLength: size }),
    edges: fc.uniqueArray(fc.tuple(fc.nat(size - 1), fc.nat(size - 1), fc.constantFrom("a" as const, "b" as const)).filter(([s, t]) => s < t), { selector: ([s, t]) => `${s}-${t}`, maxLength: size * 2 }),
    answers: fc.array(fc.record({ after: fc.uniqueArray(fc.nat(size - 1), { minLength: 1, maxLength: 2 }), refs: fc.array(fc.nat(size - 1), { maxLength: 3 }), text: fc.constantFrom("<", ">", "|", "") }), { minLength: 1, maxLength: 2 }),
  }),
);

const id = (index: number) => (index === 0 ? "start" : `n${index}`);

function toGraph(spec: Spec) {
  const nodes: NodeSpec[] = spec.kinds.map((kind, index) => {
    if (index === 0) return { id: "start", type: "t-start" };
    if (kind === "branch") return { id: id(index), type: "t-branch", handle: "a" };
    if (kind === "stream") return { id: id(index), type: "t-stream", chunks: [`s${index}.`, `${index}`] };
    return { id: id(index), type: "t-value", value: `v${index}` };
  });
  const edges: EdgeSpec[] = spec.edges.map(([s, t, handle]) => [id(s), id(t), spec.kinds[s] === "branch" && s !== 0 ? handle : "source"]);
  const ancestors = (targets: number[]): Set<number> => {
    const seen = new Set<number>(targets);
    for (let changed = true; changed; ) {
      changed = false;
      for (const [s, t] of spec.edges) if (seen.has(t) && !seen.has(s)) changed = seen.add(s).size > 0;
    }
    return seen;
  };
  spec.answers.forEach((answer, index) => {
    // Valid graphs only: an answer may reference what is upstream of it (validation rejects the rest).
    const upstream = ancestors(answer.after);
    const refs = answer.refs.filter((ref) => upstream.has(ref) && ref !== 0);
    const template = answer.text + refs.map((ref) => `{{#${id(ref)}.${spec.kinds[ref] === "stream" ? "text" : "value"}#}}`).join(answer.text);
    nodes.push({ id: `answer${index}`, type: "t-answer", answer: template });
    for (const source of answer.after) edges.push([id(source), `answer${index}`, spec.kinds[source] === "branch" && source !== 0 ? "a" : "source"]);
  });
  // Chain the answers so their order is defined by the graph, as in a chatflow.
  if (spec.answers.length === 2) edges.push(["answer0", "answer1"]);
  return buildGraph(nodes, edges);
}

describe("answer streaming properties", () => {
  it("streams exactly the answers that ran, whole and in graph order", async () => {
    const registry = testRegistry();
    await fc.assert(
      fc.asyncProperty(specArbitrary, async (spec) => {
        const graph = toGraph(spec);
        const { result, events } = await runCollecting({ graph, registry, ports: testPorts() });
        expect(result.status).toBe("succeeded");
        const ran = spec.answers.map((_, index) => `answer${index}`).filter((answer) => result.snapshot.nodes[answer] === "succeeded");
        const expected = ran.map((answer) => result.snapshot.pool[answer].answer).join("");
        expect(streamedText(events)).toBe(expected);
        expect(result.outputs.answer ?? "").toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});
