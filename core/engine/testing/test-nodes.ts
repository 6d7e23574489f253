/** Small node types for engine tests: values, branches, failures, gates and streams. */
import { z } from "zod";
import { baseNodeDataSchema } from "../../dsl";
import { defineNode, failed, succeeded, type NodeDefinition } from "../node-contract";
import { NodeRegistry } from "../node-registry";
import { parseTemplate } from "../template";

const data = baseNodeDataSchema.extend({
  value: z.unknown().optional(),
  from: z.array(z.string()).optional(),
  sum: z.array(z.array(z.string())).optional(),
  handle: z.string().optional(),
  fail_times: z.number().optional(),
  chunks: z.array(z.string()).optional(),
  gate: z.string().optional(),
  answer: z.string().optional(),
});

export interface TestPorts {
  attempts: Map<string, number>;
  gates: Map<string, Promise<void>>;
  running: { now: number; max: number };
  [port: string]: unknown;
}

export function testPorts(): TestPorts {
  return { attempts: new Map(), gates: new Map(), running: { now: 0, max: 0 } };
}

export const testStartNode = defineNode({ type: "t-start", schema: data, isStart: true, run: (ctx) => succeeded({ ...ctx.run.inputs }) });

/** `value` or the value at `from`, or the sum of the numbers at `sum`. Yields once so runs interleave. */
export const testValueNode = defineNode({
  type: "t-value",
  schema: data,
  async run(ctx) {
    const ports = ctx.ports as TestPorts;
    ports.running.now++;
    ports.running.max = Math.max(ports.running.max, ports.running.now);
    await Promise.resolve();
    ports.running.now--;
    if (ctx.config.sum) return succeeded({ value: ctx.config.sum.reduce((total, selector) => total + Number(ctx.resolve(selector) ?? 0), 0) });
    return succeeded({ value: ctx.config.from ? ctx.resolve(ctx.config.from) : ctx.config.value });
  },
});

/** Takes the edge named by `handle`, or by the value at `from`. */
export const testBranchNode = defineNode({
  type: "t-branch",
  schema: data,
  run: (ctx) => {
    const handle = ctx.config.from ? String(ctx.resolve(ctx.config.from)) : (ctx.config.handle ?? "source");
    return succeeded({ handle }, { edge_source_handle: handle });
  },
});

/** Fails its first `fail_times` attempts (all, when unset). */
export const testFailNode = defineNode({
  type: "t-fail",
  schema: data,
  run(ctx) {
    const ports = ctx.ports as TestPorts;
    const attempt = (ports.attempts.get(ctx.nodeId) ?? 0) + 1;
    ports.attempts.set(ctx.nodeId, attempt);
    if (ctx.config.fail_times === undefined || attempt <= ctx.config.fail_times) return failed(`boom ${attempt}`, "BoomError");
    return succeeded({ value: `ok after ${attempt}` });
  },
});

/** Waits for the gate promise named `gate`; counts how many run at once. */
export const testGateNode = defineNode({
  type: "t-gate",
  schema: data,
  async run(ctx) {
    const ports = ctx.ports as TestPorts;
    ports.running.now++;
    ports.running.max = Math.max(ports.running.max, ports.running.now);
    await ports.gates.get(ctx.config.gate ?? ctx.nodeId);
    ports.running.now--;
    return succeeded({ value: ctx.nodeId });
  },
});

/** Streams `chunks` as its `text` output, waiting on gate `<id>:<n>` before chunk n when present. */
export const testStreamNode = defineNode({
  type: "t-stream",
  schema: data,
  async run(ctx) {
    const ports = ctx.ports as TestPorts;
    const chunks = ctx.config.chunks ?? [];
    for (const [index, chunk] of chunks.entries()) {
      await ports.gates.get(`${ctx.nodeId}:${index}`);
      ctx.streamChunk("text", chunk);
    }
    return succeeded({ text: chunks.join("") });
  },
});

/** A response node like Dify's answer. */
export const testAnswerNode = defineNode({
  type: "t-answer",
  schema: data,
  run: (ctx) => succeeded({ answer: ctx.render(ctx.config.answer ?? "") }),
  responseTemplate: (config) => parseTemplate(config.answer ?? ""),
});

export const testNodes: NodeDefinition[] = [testStartNode, testValueNode, testBranchNode, testFailNode, testGateNode, testStreamNode, testAnswerNode];

export function testRegistry(): NodeRegistry {
  const registry = new NodeRegistry();
  for (const node of testNodes) registry.register(node);
  return registry;
}

/** A promise with its resolver, for gates. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}
