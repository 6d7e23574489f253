import { defineNode, failed, succeeded, type ContainerStartedData, type Selector, type VariableReader } from "../../engine";
import { evaluateConditions } from "../conditions";
import { loopNodeDataSchema, type LoopVariable } from "./schema";

/**
 * Runs the child graph up to `loop_count` times. Loop variables live at `[loop_id, label]`; an
 * assigner inside the body updates them for the next round. The loop stops when the break
 * conditions hold (checked before the first round and after each) or a `loop-end` node runs.
 */
export const loopNode = defineNode({
  type: "loop",
  schema: loopNodeDataSchema,
  isContainer: true,
  async run(ctx) {
    const config = ctx.config;
    const variables: Record<string, unknown> = {};
    for (const variable of config.loop_variables ?? []) variables[variable.label] = initialValue(variable, ctx.resolve);
    const startedAt = ctx.clock.now();
    const base: ContainerStartedData = {
      id: ctx.executionId,
      node_id: ctx.nodeId,
      node_type: "loop",
      title: ctx.title,
      created_at: Math.floor(startedAt / 1000),
      inputs: { loop_count: config.loop_count },
      metadata: { loop_variables: { ...variables } },
      extras: {},
    };
    ctx.emit({ type: "loop_started", data: base });
    const shouldBreak = (roundPool: VariableReader) =>
      config.break_conditions.length > 0 && evaluateConditions(overlay(ctx.nodeId, variables, roundPool), config.break_conditions, config.logical_operator).result;

    let steps = 0;
    let tokens = 0;
    let rounds = 0;
    let failure: { error: string; error_type: string } | undefined;
    let reason = "loop_count";
    try {
      if (shouldBreak(ctx.pool)) reason = "break_conditions";
      else {
        for (let index = 0; index < config.loop_count; index++) {
          const round = await ctx.runChildGraph({ seed: { [ctx.nodeId]: { ...variables, index } }, loopIndex: index });
          steps += round.steps;
          tokens += round.totalTokens;
          rounds++;
          if (round.status !== "succeeded") {
            failure = { error: round.error ?? "Loop round failed", error_type: round.error_type ?? "LoopRoundError" };
            break;
          }
          for (const label of Object.keys(variables)) variables[label] = round.pool.get([ctx.nodeId, label]) ?? null;
          if (round.loopBreak) {
            reason = "loop_end";
            break;
          }
          if (shouldBreak(round.pool)) {
            reason = "break_conditions";
            break;
          }
          if (index + 1 < config.loop_count) ctx.emit({ type: "loop_next", data: { ...base, index: index + 1, pre_loop_output: { ...variables } } });
        }
      }
    } catch (error) {
      // A break condition that cannot be evaluated (type mismatch) fails the loop.
      failure = { error: error instanceof Error ? error.message : String(error), error_type: "LoopConditionError" };
    }

    const finishedAt = ctx.clock.now();
    const outputs = failure ? null : { ...variables };
    ctx.emit({
      type: "loop_completed",
      data: {
        ...base,
        outputs,
        status: failure ? "failed" : "succeeded",
        error: failure?.error ?? null,
        elapsed_time: (finishedAt - startedAt) / 1000,
        total_tokens: tokens,
        execution_metadata: { total_tokens: tokens, completed_reason: reason, loop_round: rounds },
        finished_at: Math.floor(finishedAt / 1000),
        steps,
      },
    });
    if (failure) return failed(failure.error, failure.error_type, { inputs: base.inputs });
    return succeeded({ ...variables }, { inputs: base.inputs, metadata: { total_tokens: tokens, loop_round: rounds, completed_reason: reason } });
  },
});

/** Break conditions see the current loop variables over the last round's pool. */
function overlay(loopId: string, variables: Record<string, unknown>, pool: VariableReader): VariableReader {
  const get = (selector: Selector): unknown => {
    if (selector[0] === loopId && selector.length >= 2 && selector[1] in variables) {
      let value: unknown = variables[selector[1]];
      for (const key of selector.slice(2)) value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
      return value;
    }
    return pool.get(selector);
  };
  return { get, has: (selector) => get(selector) !== undefined, getNode: (nodeId) => (nodeId === loopId ? { ...pool.getNode(nodeId), ...variables } : pool.getNode(nodeId)) };
}

function initialValue(variable: LoopVariable, resolve: (selector: Selector) => unknown): unknown {
  if (variable.value_type === "variable") return Array.isArray(variable.value) ? (resolve(variable.value as string[]) ?? null) : null;
  const value = variable.value;
  if (typeof value !== "string") return value ?? null;
  const type = variable.var_type;
  if (type === "number") return value.trim() === "" ? 0 : Number(value);
  if (type === "boolean") return value === "true";
  if (type === "object" || type.startsWith("array")) {
    try {
      return JSON.parse(value);
    } catch {
      return type === "object" ? {} : [];
    }
  }
  return value;
}
