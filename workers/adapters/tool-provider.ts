import type { ConversationVariable, EnvironmentVariable } from "../../core/dsl";
import { createEgress } from "../../core/egress";
import { runWorkflow } from "../../core/engine";
import { InvalidParamError } from "../../core/errors";
import { startVariablesOf, validateStartInputs } from "../../core/nodes/start";
import { systemClock } from "../../core/ports";
import { SecretBox } from "../../core/security";
import {
  apiToolCredentialsSchema,
  createToolProvider,
  datasetTool,
  listMcpTools,
  mcpTool,
  openApiTools,
  parseOpenApiSpec,
  ToolError,
  workflowTool,
  type McpToolInfo,
  type Tool,
  type ToolFetch,
  type ToolProvider,
  type WorkflowRunOutcome,
} from "../../core/tools";
import type { KnowledgePort } from "../../core/nodes/knowledge-retrieval";
import { createDb } from "../db/client";
import { KnowledgeRepository } from "../db/repositories/knowledge-repository";
import { AppRepository } from "../db/repositories/app-repository";
import { ToolProviderRepository, type ToolProviderRow } from "../db/repositories/tool-provider-repository";
import { VersionRepository } from "../db/repositories/version-repository";
import type { Env } from "../env";
import { buildNodePorts, buildNodeRegistry } from "./node-runtime";
import { PluginRepository } from "../db/repositories/plugin-repository";
import { pluginTools } from "../plugins/plugin-service";
import { buildModelRuntime } from "./model-runtime";

const TOOL_TIMEOUT_MS = 60_000;
const TOOL_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

/**
 * The egress for tools (web pages, OpenAPI and MCP servers): the SSRF guard with a 60 s deadline.
 * Loopback is reachable when `WAGGLE_ALLOW_LOOPBACK_EGRESS` is "true" (local development) or,
 * for exactly the origins in `WAGGLE_LOOPBACK_EGRESS_ORIGINS` (tests: the mock server).
 */
export function toolEgressFetch(env: Env): ToolFetch {
  const origins = new Set((env.WAGGLE_LOOPBACK_EGRESS_ORIGINS ?? "").split(",").map((origin) => origin.trim()).filter(Boolean));
  const egress = createEgress({
    fetch: (input, init) => fetch(input, init),
    allowLoopback: env.WAGGLE_ALLOW_LOOPBACK_EGRESS === "true",
    isAllowedHost: origins.size ? (url) => (origins.has(url.origin) ? true : undefined) : undefined,
    timeoutMs: TOOL_TIMEOUT_MS,
    maxResponseBytes: TOOL_MAX_RESPONSE_BYTES,
  });
  return (input, init) => egress.fetch(input, init);
}

/** A provider row's credentials, opened. */
export async function openToolCredentials(env: Env, row: Pick<ToolProviderRow, "encryptedCredentials">): Promise<Record<string, unknown>> {
  if (!row.encryptedCredentials) return {};
  const box = await SecretBox.fromSecret(env.WAGGLE_SECRET_KEY);
  return JSON.parse(await box.open(row.encryptedCredentials)) as Record<string, unknown>;
}

/** The headers an MCP provider sends (its credentials are `{headers: {...}}`). */
export function mcpHeaders(credentials: Record<string, unknown>): Record<string, string> {
  const headers = credentials.headers && typeof credentials.headers === "object" ? (credentials.headers as Record<string, unknown>) : {};
  return Object.fromEntries(Object.entries(headers).filter(([, value]) => typeof value === "string" && value !== "") as Array<[string, string]>);
}

/** Runs a workspace's published workflow app in this isolate, one call level deeper (the engine enforces the depth limit). */
export function workflowRunner(env: Env, tenantId: string, appId: string) {
  return async (inputs: Record<string, unknown>, ctx: { signal: AbortSignal; userId?: string; callDepth?: number }): Promise<WorkflowRunOutcome> => {
    const db = createDb(env.DB);
    const app = await new AppRepository(db, tenantId).get(appId);
    const version = app?.publishedVersionId ? await new VersionRepository(db, tenantId).getPublished(app.id, app.publishedVersionId) : undefined;
    if (!app || app.mode !== "workflow" || !version?.graph) throw new ToolError("tool_provider_not_found", "The workflow behind this tool is not published any more");
    let validated: Record<string, unknown>;
    try {
      validated = validateStartInputs(startVariablesOf(version.graph), inputs);
    } catch (error) {
      if (error instanceof InvalidParamError) throw new ToolError("tool_parameter_invalid", error.message);
      throw error;
    }
    const runId = crypto.randomUUID();
    const result = await runWorkflow({
      graph: version.graph,
      registry: buildNodeRegistry(),
      inputs: validated,
      system: { user_id: ctx.userId ?? "workflow-tool", app_id: app.id, workflow_id: version.id, workflow_run_id: runId, files: [] },
      environmentVariables: version.environmentVariables as EnvironmentVariable[],
      conversationVariables: version.conversationVariables as ConversationVariable[],
      runId,
      workflowId: version.id,
      mode: "workflow",
      callDepth: (ctx.callDepth ?? 0) + 1,
      ports: buildNodePorts(env, tenantId),
      signal: ctx.signal,
    });
    return { status: result.status, outputs: result.outputs, error: result.error };
  };
}

/** The tools of one stored provider. MCP tools come from the list saved when it was added or refreshed. */
export async function toolsOfProvider(env: Env, row: ToolProviderRow, fetch: ToolFetch): Promise<Tool[]> {
  const credentials = await openToolCredentials(env, row);
  switch (row.type) {
    case "api":
      return openApiTools(parseOpenApiSpec(row.schema ?? ""), { fetch, credentials: apiToolCredentialsSchema.parse(credentials) });
    case "mcp": {
      const server = { url: row.serverUrl ?? "", headers: mcpHeaders(credentials), fetch };
      const listed = (row.config.tools as McpToolInfo[] | undefined) ?? (await listMcpTools(server));
      return listed.map((info) => mcpTool(server, info));
    }
    case "workflow": {
      const db = createDb(env.DB);
      const app = row.appId ? await new AppRepository(db, row.tenantId).get(row.appId) : undefined;
      const version = app?.publishedVersionId ? await new VersionRepository(db, row.tenantId).getPublished(app.id, app.publishedVersionId) : undefined;
      const config = row.config as { tool_name?: string; label?: string; parameters?: Array<{ name: string; description?: string }> };
      return [
        workflowTool({
          name: config.tool_name ?? row.name,
          label: config.label ?? row.name,
          description: row.description || app?.description || row.name,
          variables: version?.graph ? startVariablesOf(version.graph) : [],
          parameterDescriptions: Object.fromEntries((config.parameters ?? []).map((parameter) => [parameter.name, parameter.description ?? ""])),
          run: workflowRunner(env, row.tenantId, row.appId ?? ""),
        }),
      ];
    }
  }
}

/**
 * The `ToolProvider` port for one tenant's runs: built-in tools plus the workspace's API, MCP
 * and workflow providers, read from D1 on first use of each provider in a run. With
 * `plugins: false` (what plugins granted `permissions.tools` get) installed plugins' tools are
 * left out.
 */
export function buildToolProvider(env: Env, tenantId: string, knowledge?: KnowledgePort, { plugins = true }: { plugins?: boolean } = {}): ToolProvider {
  const fetch = toolEgressFetch(env);
  const repository = new ToolProviderRepository(createDb(env.DB), tenantId);
  return createToolProvider({
    builtin: { fetch, clock: systemClock },
    workspace: async (type, provider) => {
      const row = (provider.id ? await repository.find(type, provider.id) : undefined) ?? (provider.name ? await repository.find(type, provider.name) : undefined);
      if (!row) return undefined;
      return toolsOfProvider(env, row, fetch);
    },
    // A dataset of this workspace as an agent's retriever tool; another workspace's is "not found".
    datasets: knowledge
      ? async (datasetId) => {
          const dataset = await new KnowledgeRepository(createDb(env.DB), tenantId).getDataset(datasetId);
          if (!dataset) return undefined;
          return datasetTool({
            dataset: { id: dataset.id, name: dataset.name, description: dataset.description ?? "" },
            retrieve: (query, options) => knowledge.retrieve({ datasetIds: [dataset.id], query, topK: options.topK, scoreThreshold: options.scoreThreshold, signal: options.signal }),
          });
        }
      : undefined,
    // Installed, enabled plugins of this workspace; each runs in its own isolate.
    plugins: plugins
      ? async (pluginId) => {
          const db = createDb(env.DB);
          const row = await new PluginRepository(db, tenantId).getByPluginId(pluginId);
          if (!row || !row.enabled) return undefined;
          const tools = buildToolProvider(env, tenantId, undefined, { plugins: false });
          return pluginTools(env, db, row, { models: buildModelRuntime(env, tenantId, undefined, { pluginTools: tools }), tools });
        }
      : undefined,
  });
}
