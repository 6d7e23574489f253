import { CURRENT_DSL_VERSION, type AppDsl, type DslImportStatus } from "./app-dsl";
import { moderationProblems } from "./moderation";
import type { Problem } from "./problem";
import { validateGraph, type NodeTypeCatalog } from "./validate-graph";

/** Said when a code node is in a language the runtime has no sandbox for. */
export const PYTHON_UNSUPPORTED = "Python is not supported in this runtime; use JavaScript";

/**
 * Dify plugins whose job Waggle does natively (model providers, the agent strategies and the
 * built-in tools it has), so an import that lists them as dependencies has nothing missing.
 */
export const NATIVE_PLUGIN_IDS = [
  "langgenius/openai",
  "langgenius/anthropic",
  "langgenius/gemini",
  "langgenius/openai_api_compatible",
  "langgenius/ollama",
  "langgenius/deepseek",
  "langgenius/groq",
  "langgenius/openrouter",
  "langgenius/vllm",
  // The agent node's function_calling / ReAct strategies and the built-in tool providers (core/tools).
  "langgenius/agent",
  "langgenius/time",
  "langgenius/webscraper",
  "langgenius/json_process",
  "langgenius/maths",
] as const;

/** Dify's built-in tool providers Waggle has (core/tools; a test there keeps the two lists equal). */
export const NATIVE_BUILTIN_TOOL_PROVIDERS = ["time", "webscraper", "json_process", "maths"] as const;

export interface ReviewDslOptions {
  /** The node types this runtime can run (the engine's registry). */
  nodeTypes: NodeTypeCatalog;
  /** Code node languages this runtime can run. */
  codeLanguages: readonly string[];
  /** Plugin ids (`org/name`) Waggle provides natively; default {@link NATIVE_PLUGIN_IDS}. */
  nativePlugins?: readonly string[];
  /** Ids (`org/name`) of the Waggle plugins installed in the importing workspace: their dependencies and tools are not missing. */
  installedPlugins?: readonly string[];
}

export interface DslReview {
  /** The import status once unsupported parts are counted (`completed` becomes `completed-with-warnings`). */
  status: Exclude<DslImportStatus, "failed">;
  /** Everything worth telling: version drift, unsupported nodes, languages and plugins, graph problems. */
  warnings: Problem[];
}

/**
 * Looks at an imported DSL without running anything: which nodes, code languages and plugins
 * this runtime cannot provide (each named; they make the import `completed-with-warnings`), and
 * what `validateGraph` finds (reported, but a draft may be incomplete: publishing is the gate).
 *
 * @example
 * const { status, warnings } = reviewDsl(read.dsl, read.status, { nodeTypes: registry, codeLanguages: ["javascript"] });
 */
export function reviewDsl(dsl: AppDsl, status: Exclude<DslImportStatus, "failed">, options: ReviewDslOptions): DslReview {
  const drift: Problem[] = [];
  const unsupported: Problem[] = [];
  const graphProblems: Problem[] = [];
  if (status === "completed-with-warnings") {
    drift.push({ node_id: null, field: "version", message: `This DSL is version ${dsl.version}, older than the current ${CURRENT_DSL_VERSION}; check the imported app` });
  }
  const native = new Set([...(options.nativePlugins ?? NATIVE_PLUGIN_IDS), ...(options.installedPlugins ?? [])]);
  dsl.dependencies.forEach((dependency, index) => {
    const id = pluginId(dependency.value);
    if (id && native.has(id)) return;
    unsupported.push({ node_id: null, field: `dependencies.${index}`, message: `Plugin ${id ?? JSON.stringify(dependency.value)} (${dependency.type}) is not available in Waggle; nodes that need it will not run` });
  });
  // Content moderation Waggle cannot run, or an unfinished setting: the app is refused at run time
  // (it never runs unmoderated) and cannot be published until the moderation is changed.
  const moderationPath = dsl.workflow ? "workflow.features.sensitive_word_avoidance" : "model_config.sensitive_word_avoidance";
  for (const message of moderationProblems((dsl.workflow ? dsl.workflow.features : dsl.model_config)?.sensitive_word_avoidance)) {
    unsupported.push({ node_id: null, field: moderationPath, message });
  }
  if (dsl.workflow) {
    const graph = dsl.workflow.graph;
    for (const node of graph.nodes) {
      if (node.type === "custom-note" || node.data.type === "") continue;
      if (!options.nodeTypes.lookup(node.data.type)) {
        unsupported.push({ node_id: node.id, field: "data.type", message: `Node type "${node.data.type}" (${node.data.title || node.id}) is not supported by Waggle yet; it is kept so the app stays editable` });
      }
    }
    unsupported.push(...unsupportedCodeProblems(graph, options.codeLanguages), ...codeDependencyProblems(graph), ...unavailableToolProblems(graph, options.installedPlugins));
    const problems = validateGraph(graph, {
      nodeTypes: options.nodeTypes,
      mode: dsl.app.mode,
      environmentVariableNames: dsl.workflow.environment_variables.map((variable) => variable.name),
      conversationVariableNames: dsl.workflow.conversation_variables.map((variable) => variable.name),
    });
    // Unknown types are already named above, with a better message.
    graphProblems.push(...problems.filter((problem) => !(problem.field === "data.type" && problem.message.startsWith("Unknown node type"))));
  }
  return {
    status: unsupported.length && status === "completed" ? "completed-with-warnings" : status,
    warnings: [...drift, ...unsupported, ...graphProblems],
  };
}

/**
 * Code nodes whose language this runtime cannot run. Publishing refuses them; an import names
 * them. Dify's default language is `python3`.
 *
 * @example
 * unsupportedCodeProblems(graph, ["javascript"]) // [{ node_id: "code", field: "data.code_language", message: "Python is not supported…" }]
 */
export function unsupportedCodeProblems(graph: unknown, codeLanguages: readonly string[]): Problem[] {
  const nodes = typeof graph === "object" && graph !== null && Array.isArray((graph as { nodes?: unknown }).nodes) ? (graph as { nodes: unknown[] }).nodes : [];
  const problems: Problem[] = [];
  for (const node of nodes) {
    if (typeof node !== "object" || node === null) continue;
    const { id, data } = node as { id?: unknown; data?: { type?: unknown; code_language?: unknown } };
    if (!data || data.type !== "code") continue;
    const language = typeof data.code_language === "string" ? data.code_language : "python3";
    if (codeLanguages.includes(language)) continue;
    const message = language === "python3" ? PYTHON_UNSUPPORTED : `Code language "${language}" is not supported in this runtime; use JavaScript`;
    problems.push({ node_id: typeof id === "string" ? id : null, field: "data.code_language", message });
  }
  return problems;
}

/**
 * Packages that code nodes list in `dependencies` (Dify's sandbox could pip-install them): Waggle
 * installs none, so each is named; code that imports one fails at run time, naming the package.
 *
 * @example
 * codeDependencyProblems(graph) // [{ node_id: "code", field: "data.dependencies.0", message: "Code node …: the package 'pandas 2.2' …" }]
 */
export function codeDependencyProblems(graph: unknown): Problem[] {
  const nodes = typeof graph === "object" && graph !== null && Array.isArray((graph as { nodes?: unknown }).nodes) ? (graph as { nodes: unknown[] }).nodes : [];
  const problems: Problem[] = [];
  for (const node of nodes) {
    if (typeof node !== "object" || node === null) continue;
    const { id, data } = node as { id?: unknown; data?: { type?: unknown; title?: unknown; code_language?: unknown; dependencies?: unknown } };
    if (!data || data.type !== "code" || !Array.isArray(data.dependencies)) continue;
    const python = (typeof data.code_language === "string" ? data.code_language : "python3") === "python3";
    const title = typeof data.title === "string" && data.title ? data.title : typeof id === "string" ? id : "code";
    data.dependencies.forEach((dependency: unknown, index) => {
      const { name, version } = (typeof dependency === "object" && dependency !== null ? dependency : {}) as { name?: unknown; version?: unknown };
      if (typeof name !== "string" || !name.trim()) return;
      const spec = typeof version === "string" && version ? `${name} ${version}` : name;
      const sandbox = python ? "Waggle's sandbox has only Python's standard library" : "Waggle's JavaScript sandbox cannot load packages";
      problems.push({ node_id: typeof id === "string" ? id : null, field: `data.dependencies.${index}`, message: `Code node "${title}" lists the package '${spec}', but ${sandbox}: importing it will fail at run time` });
    });
  }
  return problems;
}

/**
 * Tool and agent nodes that use a built-in (or plugin) tool provider Waggle does not have: each
 * is named, since the node fails when it runs. A provider `author/name/…` of an installed Waggle
 * plugin (`installedPlugins`) is available. Workspace providers (`api`, `workflow`, `mcp`)
 * are not checked: they are created per workspace and looked up when the run needs them.
 *
 * @example
 * unavailableToolProblems(graph) // [{ node_id: "search", field: "data.provider_id", message: "Tool node \"Search\" uses tavily_search of langgenius/tavily/tavily, …" }]
 */
export function unavailableToolProblems(graph: unknown, installedPlugins: readonly string[] = []): Problem[] {
  const nodes = typeof graph === "object" && graph !== null && Array.isArray((graph as { nodes?: unknown }).nodes) ? (graph as { nodes: unknown[] }).nodes : [];
  const native = new Set<string>(NATIVE_BUILTIN_TOOL_PROVIDERS);
  const installed = new Set(installedPlugins);
  const missing = (type: unknown, provider: unknown) => {
    const kind = typeof type === "string" && type ? type : "builtin";
    if (kind !== "builtin" && kind !== "plugin") return false;
    const parts = typeof provider === "string" ? provider.split("/").filter(Boolean) : [];
    if (parts.length >= 2 && installed.has(`${parts[0]}/${parts[1]}`)) return false;
    const name = typeof provider === "string" ? (provider.split("/").filter(Boolean).at(-1) ?? "") : "";
    return !native.has(name);
  };
  const problems: Problem[] = [];
  for (const node of nodes) {
    if (typeof node !== "object" || node === null) continue;
    const { id, data } = node as { id?: unknown; data?: Record<string, unknown> };
    if (!data) continue;
    const nodeId = typeof id === "string" ? id : null;
    const title = typeof data.title === "string" && data.title ? data.title : (nodeId ?? String(data.type));
    if (data.type === "tool") {
      const provider = data.provider_id || data.provider_name;
      if (missing(data.provider_type, provider)) {
        problems.push({ node_id: nodeId, field: "data.provider_id", message: `Tool node "${title}" uses ${String(data.tool_name)} of ${String(provider)}, a tool provider Waggle does not have: the node will fail when it runs` });
      }
    }
    if (data.type === "agent") {
      const parameters = (data.agent_parameters ?? {}) as { tools?: { value?: unknown } };
      const tools = Array.isArray(parameters.tools?.value) ? (parameters.tools.value as Array<Record<string, unknown>>) : [];
      tools.forEach((tool, index) => {
        if (!tool || tool.enabled === false) return;
        const provider = tool.provider_id || tool.provider_name;
        if (!missing(tool.type, provider)) return;
        problems.push({ node_id: nodeId, field: `data.agent_parameters.tools.value.${index}`, message: `Agent "${title}" uses ${String(tool.tool_name)} of ${String(provider)}, a tool provider Waggle does not have: the agent will fail when it runs` });
      });
    }
  }
  return problems;
}

/** `langgenius/openai:0.2.6@abc…` (marketplace, package, github identifiers) or a GitHub repo → `langgenius/openai`. */
function pluginId(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const fields = value as Record<string, unknown>;
  for (const key of ["marketplace_plugin_unique_identifier", "plugin_unique_identifier", "github_plugin_unique_identifier", "repo"]) {
    const text = fields[key];
    if (typeof text === "string" && text) return text.split(/[:@]/)[0];
  }
  return undefined;
}
