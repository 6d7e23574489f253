import { BadRequestError } from "../errors";
import { buildAgentNodeData, type AgentToolSpec } from "../nodes/agent";
import { datasetToolName } from "../tools";

/**
 * Dify's easy-mode apps (`chat`, `completion`, `agent-chat`) are configured by a `model_config`
 * rather than a graph. Waggle runs them on the same engine and Durable Object as workflows by
 * compiling the config into a small graph — start → (knowledge retrieval) → llm → answer — whose
 * prompt follows Dify's SimplePromptTransform / AdvancedPromptTransform. The run's events are then
 * shown to the caller as chat events only (`message`, `message_end`), as Dify does for these apps.
 */

type Json = Record<string, unknown>;

export type EasyMode = "chat" | "completion" | "agent-chat";

/** Dify's context preamble (SimplePromptTransform, chat prompt rules). */
export const CONTEXT_PROMPT =
  "Use the following context as your learned knowledge, inside <context></context> XML tags.\n\n<context>\n{{#context#}}\n</context>\n\nWhen answer to user:\n- If you don't know, just say that you don't know.\n- If you don't know when you are not sure, ask for clarification.\nAvoid mentioning that you obtained the information from the context.\nAnd answer according to the language of the user's question.\n\n";

/** Dify's completion-model prompt rules for chat apps: the history block and the query turn. */
const HISTORIES_PROMPT = "Here is the chat histories between human and assistant, inside <histories></histories> XML tags.\n\n<histories>\n{{#histories#}}\n</histories>\n\n";
const QUERY_PROMPT = "\n\nHuman: {{#query#}}\n\nAssistant: ";

export const EASY_NODE_IDS = { start: "start", retrieval: "knowledge", llm: "llm", agent: "agent", answer: "answer" } as const;

/** The variables of Dify's `user_input_form` (`[{ "text-input": {variable, label, required, …} }, …]`) as start-node variables. */
export function startVariablesFromForm(form: unknown): Json[] {
  if (!Array.isArray(form)) return [];
  const variables: Json[] = [];
  for (const item of form) {
    if (!item || typeof item !== "object") continue;
    const [type, spec] = Object.entries(item as Json)[0] ?? [];
    if (!type || !spec || typeof spec !== "object") continue;
    const field = spec as Json;
    if (typeof field.variable !== "string" || !field.variable) continue;
    const mapped = type === "external_data_tool" ? "text-input" : type;
    variables.push({
      variable: field.variable,
      label: field.label ?? field.variable,
      type: mapped,
      required: field.required ?? false,
      ...(field.max_length !== undefined ? { max_length: field.max_length } : {}),
      ...(field.options !== undefined ? { options: field.options } : {}),
      ...(field.default !== undefined && field.default !== "" ? { default: field.default } : {}),
      ...(field.allowed_file_types !== undefined ? { allowed_file_types: field.allowed_file_types } : {}),
      ...(field.allowed_file_extensions !== undefined ? { allowed_file_extensions: field.allowed_file_extensions } : {}),
      ...(field.allowed_file_upload_methods !== undefined ? { allowed_file_upload_methods: field.allowed_file_upload_methods } : {}),
    });
  }
  return variables;
}

/**
 * Rewrites an easy-mode prompt into the engine's template syntax: `{{name}}` of a form variable
 * becomes `{{#start.name#}}`, `{{#query#}}` becomes `{{#sys.query#}}`; `{{#context#}}` and
 * `{{#histories#}}` stay (the llm node fills them); anything else is left as written, as Dify does
 * for placeholders it has no value for.
 */
export function convertEasyPrompt(text: string, variables: ReadonlySet<string>): string {
  return text.replace(/\{\{([a-zA-Z_][a-zA-Z0-9_]{0,29}|#query#)\}\}/g, (match, name: string) => {
    if (name === "#query#") return "{{#sys.query#}}";
    return variables.has(name) ? `{{#${EASY_NODE_IDS.start}.${name}#}}` : match;
  });
}

function enabledDatasetIds(config: Json): string[] {
  const datasets = ((config.dataset_configs as Json | undefined)?.datasets as Json | undefined)?.datasets;
  if (!Array.isArray(datasets)) return [];
  return datasets
    .map((entry) => ((entry as Json)?.dataset as Json | undefined) ?? {})
    .filter((dataset) => dataset.enabled !== false && typeof dataset.id === "string")
    .map((dataset) => dataset.id as string);
}

/** A dataset as an agent's retriever tool; the app's top_k and score threshold are fixed, not the model's to choose. */
function datasetToolSpec(id: string, datasetConfigs: Json): AgentToolSpec {
  const threshold = datasetConfigs.score_threshold_enabled && typeof datasetConfigs.score_threshold === "number" ? datasetConfigs.score_threshold : undefined;
  return {
    provider_type: "dataset",
    provider_id: id,
    tool_name: datasetToolName(id),
    // A threshold of 0 lets every chunk through (the app set none).
    tool_parameters: { top_k: typeof datasetConfigs.top_k === "number" ? datasetConfigs.top_k : 4, score_threshold: threshold ?? 0 },
  };
}

function node(id: string, data: Json, x: number): Json {
  return { id, type: "custom", position: { x, y: 200 }, data: { title: id, desc: "", selected: false, ...data } };
}

function edge(source: string, target: string): Json {
  return { id: `${source}-source-${target}-target`, source, target, sourceHandle: "source", targetHandle: "target", type: "custom", data: {} };
}

/**
 * The graph an easy-mode app runs. Throws 400 `provider_not_initialize` when no model is chosen.
 *
 * @example
 * compileEasyModeApp("chat", { model: { provider: "openai", name: "gpt-4o-mini", mode: "chat" }, pre_prompt: "You are {{persona}}.", user_input_form: [{ "text-input": { variable: "persona" } }] });
 */
export function compileEasyModeApp(mode: EasyMode, config: Json): { graph: Json } {
  const model = (config.model as Json | undefined) ?? {};
  if (typeof model.provider !== "string" || !model.provider || typeof model.name !== "string" || !model.name) {
    throw new BadRequestError("No model is configured for this app. Choose a model in the app's settings and publish again.", "provider_not_initialize");
  }
  const modelData = { provider: model.provider, name: model.name, mode: model.mode === "completion" ? "completion" : "chat", completion_params: (model.completion_params as Json | undefined) ?? {} };
  const variables = startVariablesFromForm(config.user_input_form);
  const names = new Set(variables.map((variable) => String(variable.variable)));
  const nodes: Json[] = [node(EASY_NODE_IDS.start, { type: "start", title: "Start", variables }, 0)];
  const edges: Json[] = [];
  let previous: string = EASY_NODE_IDS.start;

  const agentMode = (config.agent_mode as Json | undefined) ?? {};
  const tools = Array.isArray(agentMode.tools) ? (agentMode.tools as Json[]).filter((tool) => tool && typeof tool === "object" && tool.enabled !== false) : [];
  // Dify runs agent-chat apps, and chat apps with agent_mode on and tools, with an agent runner;
  // their knowledge reaches the agent as one retriever tool per dataset instead of a retrieval step.
  const agentApp = mode === "agent-chat" || (mode === "chat" && agentMode.enabled === true && tools.length > 0);
  const agentDatasetIds = agentApp ? enabledDatasetIds(config) : [];
  const datasetIds = agentApp ? [] : enabledDatasetIds(config);
  const queryVariable = typeof config.dataset_query_variable === "string" ? config.dataset_query_variable : "";
  const retrieval = datasetIds.length > 0 && (mode !== "completion" || names.has(queryVariable));
  if (retrieval) {
    const datasetConfigs = (config.dataset_configs as Json | undefined) ?? {};
    const multiple = datasetConfigs.retrieval_model !== "single";
    nodes.push(
      node(
        EASY_NODE_IDS.retrieval,
        {
          type: "knowledge-retrieval",
          title: "Knowledge Retrieval",
          dataset_ids: datasetIds,
          query_variable_selector: mode === "completion" ? [EASY_NODE_IDS.start, queryVariable] : ["sys", "query"],
          retrieval_mode: multiple ? "multiple" : "single",
          ...(multiple
            ? {
                multiple_retrieval_config: {
                  top_k: datasetConfigs.top_k ?? 4,
                  score_threshold: datasetConfigs.score_threshold_enabled ? (datasetConfigs.score_threshold ?? null) : null,
                  reranking_enable: datasetConfigs.reranking_enable ?? false,
                  reranking_mode: datasetConfigs.reranking_mode ?? "reranking_model",
                  reranking_model: datasetConfigs.reranking_model ?? null,
                  weights: datasetConfigs.weights ?? null,
                },
              }
            : { single_retrieval_config: { model: modelData } }),
        },
        250,
      ),
    );
    edges.push(edge(previous, EASY_NODE_IDS.retrieval));
    previous = EASY_NODE_IDS.retrieval;
  }

  const chatApp = mode !== "completion";
  const contextPart = retrieval ? CONTEXT_PROMPT : "";
  const advanced = config.prompt_type === "advanced";
  let promptTemplate: Json[] | Json;
  let memory: Json | null = null;
  if (modelData.mode === "completion") {
    const completionConfig = (config.completion_prompt_config as Json | undefined) ?? {};
    const text = advanced ? String(((completionConfig.prompt as Json | undefined)?.text as string | undefined) ?? "") : `${contextPart}${String(config.pre_prompt ?? "")}${chatApp ? HISTORIES_PROMPT + QUERY_PROMPT : ""}`;
    promptTemplate = { text: convertEasyPrompt(text, names), edition_type: "basic" };
    if (chatApp) {
      const roles = (completionConfig.conversation_histories_role as Json | undefined) ?? {};
      memory = { role_prefix: { user: roles.user_prefix || "Human", assistant: roles.assistant_prefix || "Assistant" }, window: { enabled: false } };
    }
  } else if (advanced) {
    const messages = (((config.chat_prompt_config as Json | undefined)?.prompt as Json[] | undefined) ?? []).map((message) => ({
      role: typeof message.role === "string" ? message.role : "user",
      text: convertEasyPrompt(String(message.text ?? ""), names),
      edition_type: "basic",
    }));
    promptTemplate = messages;
    if (chatApp) memory = { window: { enabled: false }, query_prompt_template: "{{#sys.query#}}" };
  } else {
    const system = convertEasyPrompt(`${contextPart}${String(config.pre_prompt ?? "")}`, names);
    if (chatApp) {
      promptTemplate = system ? [{ role: "system", text: system, edition_type: "basic" }] : [];
      memory = { window: { enabled: false }, query_prompt_template: "{{#sys.query#}}" };
    } else {
      promptTemplate = [{ role: "user", text: system, edition_type: "basic" }];
    }
  }

  if (agentApp) {
    const instruction = convertEasyPrompt(String(config.pre_prompt ?? ""), names);
    const data = buildAgentNodeData({
      title: "Agent",
      model: modelData,
      tools: tools.map(
        (tool): AgentToolSpec => ({
          provider_type: String(tool.provider_type ?? "builtin"),
          provider_id: String(tool.provider_id ?? tool.provider_name ?? ""),
          provider_name: typeof tool.provider_name === "string" ? tool.provider_name : undefined,
          tool_name: String(tool.tool_name ?? ""),
          tool_parameters: (tool.tool_parameters as Record<string, unknown> | undefined) ?? {},
        }),
      ).concat(agentDatasetIds.map((id) => datasetToolSpec(id, (config.dataset_configs as Json | undefined) ?? {}))),
      strategy: typeof agentMode.strategy === "string" ? agentMode.strategy : "function_call",
      instruction,
      query: "{{#sys.query#}}",
      maximumIterations: typeof agentMode.max_iteration === "number" ? agentMode.max_iteration : 5,
      memory: { window: { enabled: false } },
    });
    nodes.push(node(EASY_NODE_IDS.agent, data as unknown as Json, 500));
    edges.push(edge(previous, EASY_NODE_IDS.agent));
    nodes.push(node(EASY_NODE_IDS.answer, { type: "answer", title: "Answer", answer: `{{#${EASY_NODE_IDS.agent}.text#}}`, variables: [] }, 750));
    edges.push(edge(EASY_NODE_IDS.agent, EASY_NODE_IDS.answer));
    return { graph: { nodes, edges, viewport: { x: 0, y: 0, zoom: 1 } } };
  }

  nodes.push(
    node(
      EASY_NODE_IDS.llm,
      {
        type: "llm",
        title: "LLM",
        model: modelData,
        prompt_template: promptTemplate,
        memory,
        context: retrieval ? { enabled: true, variable_selector: [EASY_NODE_IDS.retrieval, "result"] } : { enabled: false, variable_selector: [] },
        vision: { enabled: Boolean(((config.file_upload as Json | undefined)?.image as Json | undefined)?.enabled) },
      },
      500,
    ),
  );
  edges.push(edge(previous, EASY_NODE_IDS.llm));
  nodes.push(node(EASY_NODE_IDS.answer, { type: "answer", title: "Answer", answer: `{{#${EASY_NODE_IDS.llm}.text#}}`, variables: [] }, 750));
  edges.push(edge(EASY_NODE_IDS.llm, EASY_NODE_IDS.answer));
  return { graph: { nodes, edges, viewport: { x: 0, y: 0, zoom: 1 } } };
}
