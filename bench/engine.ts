/**
 * Engine overhead per node: a 50-node chain and a 10-wide fan-out of trivial nodes, run many
 * times. Prints µs per node, then one JSON line of the figures. Target: ≤ 20 µs/node.
 *
 * Run: npx tsx bench/engine.ts
 */
import { z } from "zod";
import { baseNodeDataSchema } from "../core/dsl";
import { NodeRegistry, compileGraph, defineNode, runWorkflow, succeeded, type RunWorkflowOptions } from "../core/engine";
import { buildGraph, type EdgeSpec, type NodeSpec } from "../core/engine/testing";
import { startNode } from "../core/nodes";

const trivial = defineNode({ type: "noop", schema: baseNodeDataSchema.extend({ n: z.number().optional() }), run: (ctx) => succeeded({ value: ctx.config.n ?? 0 }) });
const registry = new NodeRegistry().register(startNode).register(trivial);

function chain(length: number) {
  const nodes: NodeSpec[] = [{ id: "start", type: "start", variables: [] }];
  const edges: EdgeSpec[] = [];
  for (let index = 1; index < length; index++) {
    nodes.push({ id: `n${index}`, type: "noop", n: index });
    edges.push([index === 1 ? "start" : `n${index - 1}`, `n${index}`]);
  }
  return { graph: buildGraph(nodes, edges), nodes: length };
}

function fanOut(width: number) {
  const branches = Array.from({ length: width }, (_, index) => `b${index}`);
  const nodes: NodeSpec[] = [{ id: "start", type: "start", variables: [] }, ...branches.map((id) => ({ id, type: "noop" })), { id: "join", type: "noop" }];
  const edges: EdgeSpec[] = [...branches.map((id) => ["start", id] as EdgeSpec), ...branches.map((id) => [id, "join"] as EdgeSpec)];
  return { graph: buildGraph(nodes, edges), nodes: width + 2 };
}

async function measure(name: string, scenario: { graph: unknown; nodes: number }, extra: Partial<RunWorkflowOptions> = {}, budgetMs = 2000): Promise<number> {
  const once = async () => {
    const result = await runWorkflow({ graph: scenario.graph, registry, onEvent: () => {}, ...extra });
    if (result.status !== "succeeded") throw new Error(`${name}: ${result.status} ${result.error}`);
  };
  for (let warm = 0; warm < 200; warm++) await once();
  let runs = 0;
  const started = performance.now();
  while (performance.now() - started < budgetMs && runs < 20_000) {
    await once();
    runs++;
  }
  const usPerNode = ((performance.now() - started) * 1000) / (runs * scenario.nodes);
  console.log(`${name.padEnd(28)} ${usPerNode.toFixed(2).padStart(7)} µs/node  (${runs} runs of ${scenario.nodes} nodes)`);
  return Number(usPerNode.toFixed(2));
}

/** Compiling (parsing and indexing) a graph, paid once per published version thanks to the cache. */
function measureCompile(name: string, scenario: { graph: unknown; nodes: number }): number {
  const copies = Array.from({ length: 300 }, () => structuredClone(scenario.graph) as object);
  const started = performance.now();
  for (const copy of copies) compileGraph(copy, registry);
  const usPerNode = ((performance.now() - started) * 1000) / (copies.length * scenario.nodes);
  console.log(`${name.padEnd(28)} ${usPerNode.toFixed(2).padStart(7)} µs/node  (once per graph version, cached)`);
  return Number(usPerNode.toFixed(2));
}

const figures = {
  chain_us_per_node: await measure("chain of 50", chain(50)),
  fanout_us_per_node: await measure("fan-out 10 wide", fanOut(10)),
  chain_checkpointed_us_per_node: await measure("chain of 50, checkpointed", chain(50), { onNodeFinished: (snapshot) => void JSON.stringify(snapshot) }),
  compile_us_per_node: measureCompile("compile chain of 50", chain(50)),
};
console.log(JSON.stringify(figures));
