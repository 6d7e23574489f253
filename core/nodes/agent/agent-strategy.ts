import type { NodeContext, NodeRunFailed } from "../../engine";
import { addUsage, type ChatMessage, type ChatRequest, type LlmUsage, type ModelRuntime, type ModelStreamPart } from "../../models";
import type { ToolFile } from "../../tools";
import { invokeModel, usageMetadata } from "../llm/invoke-model";
import type { AgentLogger } from "./agent-log";
import type { AgentTool, ToolCallOutcome } from "./agent-tools";

/**
 * Tool calls one agent execution may make in all (OWASP LLM06: a per-run tool-call budget; a model
 * can ask for many calls in one round). Calls past it are not made: the model is told so.
 */
export const MAX_TOOL_CALLS = 50;

/** Everything a strategy needs for one agent execution. */
export interface AgentRunInput {
  ctx: NodeContext<unknown>;
  models: ModelRuntime;
  /** provider, model, mode, parameters, signal. */
  request: Pick<ChatRequest, "provider" | "model" | "mode" | "parameters" | "signal">;
  modelName: string;
  instruction: string;
  query: string;
  /** Earlier conversation turns (memory), placed before the query. */
  history: ChatMessage[];
  tools: AgentTool[];
  /** Model rounds at most; the last one has no tools, which makes the model answer. */
  maxRounds: number;
  logger: AgentLogger;
  inputs: Record<string, unknown>;
}

/** One tool call as the node's `json` output lists it. */
export interface ToolCallRecord {
  round: number;
  tool_name: string;
  tool_input: unknown;
  observation: string;
  error: string | null;
}

export type AgentOutcome =
  | { ok: true; text: string; usage: LlmUsage; calls: ToolCallRecord[]; files: ToolFile[]; rounds: number }
  | { ok: false; failure: NodeRunFailed };

/** Runs one model call, sums its usage into `total`, and logs it under `roundId`. */
export async function modelRound(
  input: AgentRunInput,
  roundId: string,
  messages: ChatMessage[],
  extra: Pick<ChatRequest, "tools" | "parameters">,
  total: { usage: LlmUsage },
  onPart?: (part: ModelStreamPart) => void,
) {
  const label = `${input.modelName} Thought`;
  const logId = input.logger.start(label, roundId);
  const outcome = await invokeModel(
    input.models,
    { ...input.request, mode: "chat", messages, ...extra, parameters: { ...input.request.parameters, ...extra.parameters } },
    { inputs: input.inputs },
    onPart,
  );
  if (!outcome.ok) {
    input.logger.finish(logId, label, roundId, { error: outcome.failure.error });
    return outcome;
  }
  const { result } = outcome;
  total.usage = addUsage(total.usage, result.usage);
  input.logger.finish(logId, label, roundId, {
    data: { output: { llm_response: result.text, tool_calls: result.toolCalls.map((call) => ({ name: call.name, arguments: call.arguments })) } },
    metadata: { ...usageMetadata(result.usage), provider: input.request.provider },
  });
  return outcome;
}

/** Logs one tool call under its round and records it. */
export async function loggedToolCall(
  input: AgentRunInput,
  roundId: string,
  round: number,
  name: string,
  args: unknown,
  call: () => Promise<ToolCallOutcome>,
  records: ToolCallRecord[],
  files: ToolFile[],
): Promise<ToolCallOutcome> {
  const label = `CALL ${name}`;
  const logId = input.logger.start(label, roundId, { tool_name: name, tool_input: args });
  const overBudget = records.length >= MAX_TOOL_CALLS;
  const budgetError = `The tool-call budget of this agent (${MAX_TOOL_CALLS} calls) is used up; answer with what you have.`;
  const outcome: ToolCallOutcome = overBudget ? { observation: `Error: ${budgetError}`, messages: [], error: budgetError, args } : await call();
  input.logger.finish(logId, label, roundId, {
    data: { tool_name: name, tool_call_args: outcome.args, output: outcome.observation },
    error: outcome.error ?? null,
  });
  for (const message of outcome.messages) if (message.type === "file") files.push(message.file);
  records.push({ round, tool_name: name, tool_input: outcome.args, observation: outcome.observation, error: outcome.error ?? null });
  return outcome;
}
