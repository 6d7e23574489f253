import type { Env } from "../env";
import { buildModelRuntime } from "../adapters/model-runtime";
import { parseJsonOutput } from "../../core/nodes/llm";

const SUGGESTED_QUESTIONS_PROMPT =
  "Please help me predict the three most likely questions that human would ask, and keeping each question under 20 characters.\n" +
  "MAKE SURE your output is the SAME language as the Assistant's latest response. \n" +
  'The output must be an array in JSON format following the specified schema:\n["question1","question2","question3"]\n';

/**
 * Dify's "suggested questions after answer": three short follow-up questions predicted from the
 * recent conversation by a model. Any failure gives no suggestions rather than an error, as in Dify.
 */
export async function suggestQuestions(env: Env, tenantId: string, model: { provider: string; model: string }, turns: Array<{ query: string; answer: string }>): Promise<string[]> {
  const history = turns
    .slice(-3)
    .map((turn) => `Human: ${turn.query}\nAssistant: ${turn.answer}`)
    .join("\n");
  try {
    const result = await buildModelRuntime(env, tenantId).generate({
      provider: model.provider,
      model: model.model,
      messages: [{ role: "user", content: `${history}\n${SUGGESTED_QUESTIONS_PROMPT}` }],
      parameters: { max_tokens: 256, temperature: 0 },
      signal: AbortSignal.timeout(30_000),
    });
    const parsed = parseJsonOutput(result.text);
    return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === "string").slice(0, 3) : [];
  } catch (error) {
    console.warn("suggested questions failed", error);
    return [];
  }
}
