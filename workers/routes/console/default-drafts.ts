import type { AppMode } from "../../db/schema";
import type { DraftContent } from "../../db/repositories";

/** What a new app's draft holds, by mode: a runnable skeleton in Dify's JSON shape. */
export function defaultDraft(mode: AppMode): DraftContent {
  if (mode === "workflow" || mode === "advanced-chat") {
    const start = { id: "start", type: "custom", position: { x: 80, y: 240 }, data: { type: "start", title: "Start", desc: "", variables: [] } };
    const last =
      mode === "workflow"
        ? { id: "end", type: "custom", position: { x: 400, y: 240 }, data: { type: "end", title: "End", desc: "", outputs: [] } }
        : { id: "answer", type: "custom", position: { x: 400, y: 240 }, data: { type: "answer", title: "Answer", desc: "", answer: "{{#sys.query#}}" } };
    return {
      graph: {
        nodes: [start, last],
        edges: [{ id: `start-source-${last.id}-target`, source: "start", sourceHandle: "source", target: last.id, targetHandle: "target", type: "custom", data: { sourceType: "start", targetType: last.data.type } }],
        viewport: { x: 0, y: 0, zoom: 1 },
      },
      features: {},
      environmentVariables: [],
      conversationVariables: [],
      modelConfig: null,
    };
  }
  return {
    graph: null,
    features: {},
    environmentVariables: [],
    conversationVariables: [],
    modelConfig: {
      model: { provider: "", name: "", mode: mode === "completion" ? "completion" : "chat", completion_params: {} },
      pre_prompt: "",
      prompt_type: "simple",
      user_input_form: mode === "completion" ? [{ paragraph: { label: "Query", variable: "query", required: true, default: "" } }] : [],
      opening_statement: "",
      suggested_questions: [],
      agent_mode: { enabled: mode === "agent-chat", strategy: "function_call", max_iteration: 5, tools: [] },
      dataset_configs: { retrieval_model: "multiple", datasets: { datasets: [] } },
    },
  };
}

/** A stable hash of draft content, for optimistic concurrency between editors. */
export async function draftHash(content: Partial<DraftContent>): Promise<string> {
  const text = JSON.stringify([content.graph ?? null, content.features ?? {}, content.environmentVariables ?? [], content.conversationVariables ?? [], content.modelConfig ?? null]);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
