import { emptyUsage, type ChatMessage } from "../../models";
import type { ToolFile } from "../../tools";
import { callAgentTool } from "./agent-tools";
import { loggedToolCall, modelRound, type AgentOutcome, type AgentRunInput, type ToolCallRecord } from "./agent-strategy";
import { FinalAnswerStream } from "./final-answer-stream";
import { parseReactOutput, reactSystemPrompt } from "./react-prompt";

/**
 * Dify's ReAct (chain-of-thought) strategy for models without native tool calls: the tools are
 * described in the system prompt, the model writes Thought / Action (a JSON blob) and stops at
 * "Observation"; the tool's result goes back as the observation. The last round describes no
 * tools, so the model must give its Final Answer, which streams as the model writes it.
 */
export async function runReact(input: AgentRunInput): Promise<AgentOutcome> {
  const { ctx, logger, tools } = input;
  const definitions = tools.map((tool) => tool.definition);
  const scratchpad: ChatMessage[] = [];
  const total = { usage: emptyUsage() };
  const records: ToolCallRecord[] = [];
  const files: ToolFile[] = [];

  for (let round = 1; round <= input.maxRounds; round++) {
    const last = round === input.maxRounds || tools.length === 0;
    const roundLabel = `ROUND ${round}`;
    const roundId = logger.start(roundLabel, null);
    const messages: ChatMessage[] = [
      { role: "system", content: reactSystemPrompt(input.instruction, last ? [] : definitions) },
      ...input.history,
      { role: "user", content: input.query },
      ...scratchpad,
    ];
    const stop = Array.isArray(input.request.parameters?.stop) ? (input.request.parameters.stop as string[]) : [];
    const answerStream = new FinalAnswerStream((text) => ctx.streamChunk("text", text));
    const outcome = await modelRound(input, roundId, messages, { parameters: { stop: [...stop, "Observation:"] } }, total, (part) => {
      if (part.type === "text-delta") answerStream.push(part.text);
    });
    if (!outcome.ok) {
      logger.finish(roundId, roundLabel, null, { error: outcome.failure.error });
      return outcome;
    }
    const output = outcome.result.text;
    const step = parseReactOutput(output);
    if (!step.action || last) {
      let answer = step.finalAnswer ?? (step.thought || output.trim());
      const streamed = step.action ? "" : answerStream.finish();
      if (!streamed) {
        if (answer) ctx.streamChunk("text", answer);
      } else if (answer.startsWith(streamed)) {
        if (answer.length > streamed.length) ctx.streamChunk("text", answer.slice(streamed.length));
      } else {
        answer = streamed; // what the client already has
      }
      logger.finish(roundId, roundLabel, null, { data: { output: { thought: step.thought, llm_response: output, final_answer: answer } } });
      return { ok: true, text: answer, usage: total.usage, calls: records, files, rounds: round };
    }
    const action = step.action;
    const result = await loggedToolCall(input, roundId, round, action.name, action.input, () => callAgentTool(tools, action.name, action.input, ctx), records, files);
    scratchpad.push({ role: "assistant", content: output.trim() }, { role: "user", content: `Observation: ${result.observation}` });
    logger.finish(roundId, roundLabel, null, { data: { output: { thought: step.thought, llm_response: output, tool_responses: [{ tool_name: action.name, tool_input: result.args, tool_response: result.observation }] } } });
  }
  return { ok: true, text: "", usage: total.usage, calls: records, files, rounds: input.maxRounds };
}
