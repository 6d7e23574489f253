import { buildModelRuntime } from "../adapters/model-runtime";
import type { Env } from "../env";

const TITLE_PROMPT =
  "Write a short title for a conversation that starts with the user's message below: at most eight words, in the same language as the message, " +
  "with no quotes and no punctuation at the end. Answer with the title only.\n\nMessage:\n";

/**
 * Dify's automatic conversation name: a model writes a short title from the first message. Returns
 * null when the model fails or answers nothing usable (the conversation keeps its provisional name).
 */
export async function generateConversationName(env: Env, tenantId: string, model: { provider: string; model: string }, query: string): Promise<string | null> {
  try {
    const result = await buildModelRuntime(env, tenantId).generate({
      provider: model.provider,
      model: model.model,
      messages: [{ role: "user", content: `${TITLE_PROMPT}${query.slice(0, 2000)}` }],
      parameters: { max_tokens: 60, temperature: 0 },
      signal: AbortSignal.timeout(30_000),
    });
    const title = result.text
      .replace(/<think>[\s\S]*?<\/think>/g, "")
      .split("\n")
      .map((line) => line.trim())
      .find(Boolean)
      ?.replace(/^["'“”「]+|["'“”」.。!?]+$/g, "")
      .trim();
    return title ? title.slice(0, 100) : null;
  } catch (error) {
    console.warn("naming the conversation failed", error);
    return null;
  }
}
