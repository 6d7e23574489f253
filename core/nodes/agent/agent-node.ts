import { z } from "zod";
import { defineNode, failed, succeeded, type NodeContext } from "../../engine";
import { isToolError } from "../../tools";
import { historyMessages } from "../llm/build-prompt";
import { modelsPort, usageMetadata } from "../llm/invoke-model";
import { resolveToolInput, typedInputReferences } from "../tool";
import { AgentLogger } from "./agent-log";
import type { AgentOutcome, AgentRunInput } from "./agent-strategy";
import { loadAgentTools } from "./agent-tools";
import { runFunctionCalling } from "./function-calling";
import { runReact } from "./react";
import { agentModelSchema, agentNodeDataSchema, agentToolEntrySchema, type AgentNodeData } from "./schema";

/** Dify's agent node default, and the hard cap of its strategies. */
export const DEFAULT_MAXIMUM_ITERATIONS = 3;
export const MAX_ITERATIONS_CAP = 99;

function text(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** `function_calling` (also `function_call`, `fc`, or none given) or `react` (`ReAct`, `cot`). */
export function agentStrategyOf(name: string): "function_calling" | "react" | undefined {
  const normalised = name.toLowerCase().replace(/[\s-]/g, "_");
  if (!normalised) return "function_calling";
  if (["function_calling", "function_call", "fc", "functioncalling"].includes(normalised)) return "function_calling";
  if (["react", "cot", "chain_of_thought"].includes(normalised)) return "react";
  return undefined;
}

function parameter(ctx: NodeContext<AgentNodeData>, name: string): unknown {
  const input = ctx.config.agent_parameters[name];
  return input ? resolveToolInput(ctx, input) : undefined;
}

/**
 * Dify's agent node: `agent_parameters.model` (a model selector), `tools` (tool entries resolved
 * through the `ToolProvider` port), `instruction`, `query` and `maximum_iterations`, run with the
 * `function_calling` or `ReAct` strategy. Each round and tool call is reported as `agent_log`
 * events; a tool's failure goes back to the model as the observation. Outputs `text`, `files`,
 * `json` (the tool calls made) and `usage` (summed over rounds, also in `execution_metadata`).
 * See README.md for building the node's data from a model and a tool list.
 */
export const agentNode = defineNode({
  type: "agent",
  schema: agentNodeDataSchema,
  selectors: typedInputReferences,
  async run(ctx) {
    const { config } = ctx;
    const strategy = agentStrategyOf(config.agent_strategy_name);
    if (!strategy) return failed(`Unknown agent strategy "${config.agent_strategy_name}": use function_calling or ReAct`, "AgentNodeError");

    const modelValue = agentModelSchema.safeParse(parameter(ctx, "model"));
    const modelName = modelValue.success ? (modelValue.data.model ?? modelValue.data.name) : undefined;
    if (!modelValue.success || !modelName) return failed("The agent has no model: agent_parameters.model needs a provider and a model", "AgentNodeError");
    const query = text(parameter(ctx, "query"));
    const instruction = text(parameter(ctx, "instruction"));
    const requested = Number(parameter(ctx, "maximum_iterations") ?? DEFAULT_MAXIMUM_ITERATIONS);
    const maxRounds = Math.min(Math.max(Number.isFinite(requested) ? Math.floor(requested) : DEFAULT_MAXIMUM_ITERATIONS, 1), MAX_ITERATIONS_CAP);
    const entries = z.array(agentToolEntrySchema).safeParse(parameter(ctx, "tools") ?? []);
    if (!entries.success) return failed(`agent_parameters.tools is not a list of tools: ${entries.error.issues[0]?.message ?? ""}`, "AgentNodeError");

    const inputs: Record<string, unknown> = { query, instruction, maximum_iterations: maxRounds, strategy, model: { provider: modelValue.data.provider, model: modelName } };
    if (!query) return failed("The agent's query is empty", "AgentNodeError", { inputs });
    const models = modelsPort(ctx);
    if ("status" in models) return { ...models, inputs };

    let tools;
    try {
      tools = await loadAgentTools(ctx, entries.data);
    } catch (error) {
      if (isToolError(error)) return failed(error.message, error.difyType, { inputs });
      throw error;
    }
    inputs.tools = tools.map((tool) => ({ name: tool.modelName, description: tool.definition.description }));

    const run: AgentRunInput = {
      ctx,
      models,
      request: {
        provider: modelValue.data.provider,
        model: modelName,
        mode: "chat",
        parameters: modelValue.data.completion_params ?? undefined,
        signal: ctx.signal,
      },
      modelName,
      instruction,
      query,
      history: config.memory ? historyMessages(ctx, config.memory) : [],
      tools,
      maxRounds,
      logger: new AgentLogger(ctx),
      inputs,
    };
    const outcome: AgentOutcome = strategy === "react" ? await runReact(run) : await runFunctionCalling(run);
    if (!outcome.ok) return outcome.failure;
    return succeeded(
      { text: outcome.text, files: outcome.files, json: outcome.calls, usage: outcome.usage },
      {
        inputs,
        process_data: { model_provider: modelValue.data.provider, model_name: modelName, strategy, rounds: outcome.rounds, tool_calls: outcome.calls.length, usage: outcome.usage },
        metadata: { ...usageMetadata(outcome.usage), agent_strategy: config.agent_strategy_name },
      },
    );
  },
});
