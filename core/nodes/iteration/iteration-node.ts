import { defineNode, failed, succeeded, type ContainerStartedData } from "../../engine";
import { iterationNodeDataSchema, type IterationNodeData } from "./schema";

type ItemResult = { kind: "value"; value: unknown } | { kind: "omit" } | { kind: "error"; error: string; error_type: string };

/**
 * Runs the child graph once per item, `[iteration, "item"]` / `[iteration, "index"]` in scope,
 * sequentially or with up to `parallel_nums` rounds at once. Outputs keep item order.
 */
export const iterationNode = defineNode({
  type: "iteration",
  schema: iterationNodeDataSchema,
  isContainer: true,
  async run(ctx) {
    const config = ctx.config;
    const items = ctx.resolve(config.iterator_selector);
    if (items === undefined) return failed(`Iterator variable ${config.iterator_selector.join(".")} not found`, "IteratorVariableNotFoundError");
    if (!Array.isArray(items)) return failed(`Invalid iterator value: ${JSON.stringify(items)}, please provide a list.`, "InvalidIteratorValueError");
    const startedAt = ctx.clock.now();
    const base: ContainerStartedData = {
      id: ctx.executionId,
      node_id: ctx.nodeId,
      node_type: "iteration",
      title: ctx.title,
      created_at: Math.floor(startedAt / 1000),
      inputs: { iterator_selector: items },
      metadata: { iterator_length: items.length },
      extras: {},
    };
    ctx.emit({ type: "iteration_started", data: base });
    let steps = 0;
    let tokens = 0;
    const results: ItemResult[] = new Array(items.length);
    let stop: { error: string; error_type: string } | undefined;

    const runItem = async (index: number) => {
      ctx.emit({ type: "iteration_next", data: { ...base, index } });
      const round = await ctx.runChildGraph({ seed: { [ctx.nodeId]: { item: items[index], index } }, iterationIndex: index });
      steps += round.steps;
      tokens += round.totalTokens;
      if (round.status === "succeeded") results[index] = { kind: "value", value: config.output_selector.length >= 2 ? (round.pool.get(config.output_selector) ?? null) : null };
      else results[index] = onError(config, round.error ?? "Iteration round failed", round.error_type ?? "IterationRoundError", round.status === "stopped");
      const result = results[index];
      if (result.kind === "error") stop ??= result;
    };

    if (config.is_parallel) {
      let next = 0;
      const worker = async () => {
        while (!stop && !ctx.signal.aborted && next < items.length) await runItem(next++);
      };
      await Promise.all(Array.from({ length: Math.min(config.parallel_nums, items.length) }, worker));
    } else {
      for (let index = 0; index < items.length && !stop && !ctx.signal.aborted; index++) await runItem(index);
    }

    const complete = (status: "succeeded" | "failed", outputs: Record<string, unknown> | null, error: string | null) => {
      const finishedAt = ctx.clock.now();
      ctx.emit({
        type: "iteration_completed",
        data: { ...base, outputs, status, error, elapsed_time: (finishedAt - startedAt) / 1000, total_tokens: tokens, execution_metadata: { total_tokens: tokens }, finished_at: Math.floor(finishedAt / 1000), steps },
      });
    };
    if (stop) {
      complete("failed", null, stop.error);
      return failed(stop.error, stop.error_type, { inputs: base.inputs });
    }
    let output = results.flatMap((result) => (result?.kind === "value" ? [result.value] : []));
    if (config.flatten_output && output.length > 0 && output.every(Array.isArray)) output = output.flat(1);
    complete("succeeded", { output }, null);
    return succeeded({ output }, { inputs: base.inputs, metadata: { total_tokens: tokens } });
  },
});

function onError(config: IterationNodeData, error: string, error_type: string, stopped: boolean): ItemResult {
  if (stopped || config.error_handle_mode === "terminated") return { kind: "error", error, error_type };
  return config.error_handle_mode === "continue-on-error" ? { kind: "value", value: null } : { kind: "omit" };
}

