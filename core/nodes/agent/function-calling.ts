import { emptyUsage, type ChatMessage } from "../../models";
import type { ToolFile } from "../../tools";
import { callAgentTool } from "./agent-tools";
import { loggedToolCall, modelRound, type AgentOutcome, type AgentRunInput, type ToolCallRecord } from "./agent-strategy";

/**
 * Dify's function-calling strategy: tools go to the model natively; while it answers with tool
 * calls, each is run and its result appended as a `tool` message; the last round offers no tools.
 * Text streams as it arrives (`text` is every round's text, as Dify's node collects it).
 */
export async function runFunctionCalling(input: AgentRunInput): Promise<AgentOutcome> {
  const { ctx, logger, tools } = input;
  const messages: ChatMessage[] = [];
  if (input.instruction) messages.push({ role: "system", content: input.instruction });
  messages.push(...input.history, { role: "user", content: input.query });
  const total = { usage: emptyUsage() };
  const records: ToolCallRecord[] = [];
  const files: ToolFile[] = [];
  let text = "";

  for (let round = 1; round <= input.maxRounds; round++) {
    const last = round === input.maxRounds || tools.length === 0;
    const roundLabel = `ROUND ${round}`;
    const roundId = logger.start(roundLabel, null);
    let roundText = "";
    const outcome = await modelRound(input, roundId, messages, last ? {} : { tools: tools.map((tool) => tool.definition) }, total, (part) => {
      if (part.type === "text-delta" && part.text) {
        roundText += part.text;
        ctx.streamChunk("text", part.text);
      }
    });
    if (!outcome.ok) {
      logger.finish(roundId, roundLabel, null, { error: outcome.failure.error });
      return outcome;
    }
    text += roundText;
    const calls = last ? [] : outcome.result.toolCalls;
    if (!calls.length) {
      logger.finish(roundId, roundLabel, null, { data: { output: { llm_response: roundText } } });
      return { ok: true, text, usage: total.usage, calls: records, files, rounds: round };
    }
    messages.push({ role: "assistant", content: roundText, toolCalls: calls });
    const responses: Array<{ tool_name: string; tool_input: unknown; tool_response: string }> = [];
    for (const call of calls) {
      const result = await loggedToolCall(input, roundId, round, call.name, call.arguments, () => callAgentTool(tools, call.name, call.arguments, ctx), records, files);
      messages.push({ role: "tool", content: result.observation, toolCallId: call.id, toolName: call.name });
      responses.push({ tool_name: call.name, tool_input: result.args, tool_response: result.observation });
    }
    logger.finish(roundId, roundLabel, null, { data: { output: { llm_response: roundText, tool_responses: responses } } });
  }
  return { ok: true, text, usage: total.usage, calls: records, files, rounds: input.maxRounds };
}
