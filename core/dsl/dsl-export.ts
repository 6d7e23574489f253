import { CURRENT_DSL_VERSION } from "./app-dsl";

/** What an export is built from: the app's fields and its draft, in the DSL's shape. */
export interface DslExportInput {
  app: {
    name: string;
    mode: string;
    icon: string;
    icon_type: string;
    icon_background: string;
    description: string;
    use_icon_as_answer_icon?: boolean;
  };
  /** Workflow and chatflow apps. */
  workflow?: {
    graph: unknown;
    features: unknown;
    environment_variables: unknown[];
    conversation_variables: unknown[];
  };
  /** Easy-mode apps (chat, agent-chat, completion). */
  model_config?: Record<string, unknown>;
  dependencies?: unknown[];
}

export interface DslExportOptions {
  /** Dify's `include_secret`: keep secret environment values and tool credential ids. */
  includeSecret?: boolean;
}

/** What Dify resets a schedule trigger's `config` to, so a schedule never travels with an app. */
const DEFAULT_SCHEDULE_CONFIG = {
  mode: "visual",
  frequency: "daily",
  visual_config: { time: "12:00 AM", weekdays: ["sun"], on_minute: 0, monthly_days: [1] },
  timezone: "UTC",
};

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Builds the document an export writes, changing what Dify changes: the current DSL version and
 * `kind: app`; secret environment values blanked and tool / agent credential ids removed unless
 * `includeSecret`; webhook URLs, plugin-trigger subscriptions and schedules cleared always;
 * credential ids of an easy-mode agent's tools removed always. The input is not modified.
 *
 * @example
 * const yaml = writeDslYaml(prepareDslExport({ app, workflow }, { includeSecret: false }));
 */
export function prepareDslExport(input: DslExportInput, options: DslExportOptions = {}): Json {
  const includeSecret = options.includeSecret ?? false;
  const app = structuredClone(input.app);
  const document: Json = {
    version: CURRENT_DSL_VERSION,
    kind: "app",
    app: { ...app, use_icon_as_answer_icon: app.use_icon_as_answer_icon ?? false },
  };
  if (input.workflow) {
    const workflow = structuredClone(input.workflow);
    if (!includeSecret) {
      workflow.environment_variables = workflow.environment_variables.map((variable) =>
        isObject(variable) && variable.value_type === "secret" ? { ...variable, value: "" } : variable,
      );
    }
    const nodes = isObject(workflow.graph) && Array.isArray(workflow.graph.nodes) ? workflow.graph.nodes : [];
    for (const node of nodes) if (isObject(node) && isObject(node.data)) scrubNodeData(node.data, includeSecret);
    document.workflow = workflow;
  } else {
    const modelConfig = structuredClone(input.model_config ?? {});
    const agentMode = modelConfig.agent_mode;
    if (isObject(agentMode) && Array.isArray(agentMode.tools)) for (const tool of agentMode.tools) if (isObject(tool)) delete tool.credential_id;
    document.model_config = modelConfig;
  }
  document.dependencies = structuredClone(input.dependencies ?? []);
  return document;
}

function scrubNodeData(data: Json, includeSecret: boolean): void {
  switch (data.type) {
    case "tool":
      if (!includeSecret) delete data.credential_id;
      break;
    case "agent": {
      const tools = isObject(data.agent_parameters) && isObject(data.agent_parameters.tools) ? data.agent_parameters.tools.value : undefined;
      if (!includeSecret && Array.isArray(tools)) for (const tool of tools) if (isObject(tool)) delete tool.credential_id;
      break;
    }
    case "trigger-webhook":
      data.webhook_url = "";
      data.webhook_debug_url = "";
      break;
    case "trigger-plugin":
      data.subscription_id = "";
      break;
    case "trigger-schedule":
      data.config = structuredClone(DEFAULT_SCHEDULE_CONFIG);
      break;
  }
}
