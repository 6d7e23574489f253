import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { BadRequestError, NotFoundError } from "../../../../core/errors";
import { systemClock } from "../../../../core/ports";
import { EgressError } from "../../../../core/egress";
import { apiToolCredentialsSchema, apiToolSecretFields, builtinProviderInfos, isToolError, MAX_SPEC_CHARS, openApiTools, parseOpenApiSpec, readLimitedText, type OpenApiSpec, type ToolParametersSchema } from "../../../../core/tools";
import { openToolCredentials, toolEgressFetch, toolsOfProvider } from "../../../adapters/tool-provider";
import type { ToolProviderRow } from "../../../db/repositories/tool-provider-repository";
import { createDb } from "../../../db/client";
import { PluginRepository } from "../../../db/repositories/plugin-repository";
import { pluginToolProviderId } from "../../../plugins/plugin-service";
import type { AppEnv } from "../../../http/app-env";
import { defineRoute, jsonBody, jsonResponse, successSchema } from "../../../http/route";
import { builtinProvider, difyProvider, difyTool, keepMasked, maskValues, requireProvider, secretBox, TOOL_TAGS, TOOLS_BASE, toolProviders } from "./tool-provider-shapes";

const looseObject = z.record(z.string(), z.unknown());
const providerName = z.string().trim().min(1).max(100);
const apiProviderBody = z.object({
  provider: providerName,
  credentials: looseObject.default({}),
  schema_type: z.string().max(40).optional(),
  schema: z.string().min(1).max(MAX_SPEC_CHARS),
  icon: z.unknown().optional(),
  description: z.string().max(2000).optional(),
  privacy_policy: z.string().max(2000).optional(),
  custom_disclaimer: z.string().max(2000).optional(),
  labels: z.array(z.string().max(100)).max(20).optional(),
});

const listAll = defineRoute({
  method: "get",
  path: `${TOOLS_BASE}/tool-providers`,
  policy: { auth: "session" },
  tags: TOOL_TAGS,
  request: { query: z.object({ type: z.enum(["builtin", "api", "workflow", "mcp"]).optional() }) },
  responses: { 200: jsonResponse("Every tool provider of the workspace (built-in, API, workflow, MCP) with its tools", z.array(looseObject)) },
});
const listByType = (type: "builtin" | "api" | "workflow" | "mcp") =>
  defineRoute({
    method: "get",
    path: `${TOOLS_BASE}/tools/${type}`,
    policy: { auth: "session" },
    tags: TOOL_TAGS,
    responses: { 200: jsonResponse(`The workspace's ${type} tool providers with their tools`, z.array(looseObject)) },
  });
const builtinTools = defineRoute({
  method: "get",
  path: `${TOOLS_BASE}/tool-provider/builtin/{provider}/tools`,
  policy: { auth: "session" },
  tags: TOOL_TAGS,
  request: { params: z.object({ provider: z.string().min(1).max(200) }) },
  responses: { 200: jsonResponse("The built-in provider's tools", z.array(looseObject)) },
});
const addApi = defineRoute({
  method: "post",
  path: `${TOOLS_BASE}/tool-provider/api/add`,
  policy: { auth: "session", role: "admin" },
  tags: TOOL_TAGS,
  request: { body: jsonBody(apiProviderBody) },
  responses: { 200: jsonResponse("Stored; one tool per operation of the spec", successSchema) },
});
const updateApi = defineRoute({
  method: "post",
  path: `${TOOLS_BASE}/tool-provider/api/update`,
  policy: { auth: "session", role: "admin" },
  tags: TOOL_TAGS,
  request: { body: jsonBody(apiProviderBody.extend({ original_provider: providerName })) },
  responses: { 200: jsonResponse("Updated (masked secrets keep their stored values)", successSchema) },
});
const deleteApi = defineRoute({
  method: "post",
  path: `${TOOLS_BASE}/tool-provider/api/delete`,
  policy: { auth: "session", role: "admin" },
  tags: TOOL_TAGS,
  request: { body: jsonBody(z.object({ provider: providerName })) },
  responses: { 200: jsonResponse("Deleted", successSchema) },
});
const getApi = defineRoute({
  method: "get",
  path: `${TOOLS_BASE}/tool-provider/api/get`,
  policy: { auth: "session" },
  tags: TOOL_TAGS,
  request: { query: z.object({ provider: providerName }) },
  responses: { 200: jsonResponse("The provider with its spec, tools and masked credentials", looseObject) },
});
const previewSchema = defineRoute({
  method: "post",
  path: `${TOOLS_BASE}/tool-provider/api/schema`,
  policy: { auth: "session" },
  tags: TOOL_TAGS,
  request: { body: jsonBody(z.object({ schema: z.string().min(1).max(MAX_SPEC_CHARS) })) },
  responses: { 200: jsonResponse("The tools the spec would give (nothing is fetched or stored)", looseObject) },
});

const remoteSchema = defineRoute({
  method: "get",
  path: `${TOOLS_BASE}/tool-provider/api/remote`,
  policy: { auth: "session", role: "admin" },
  tags: TOOL_TAGS,
  request: { query: z.object({ url: z.string().url().max(2000) }) },
  responses: { 200: jsonResponse("The spec at the URL, fetched through the SSRF-guarded egress and checked", z.object({ schema: z.string() })) },
});

function parseSpec(text: string): OpenApiSpec {
  try {
    return parseOpenApiSpec(text);
  } catch (error) {
    if (isToolError(error)) throw new BadRequestError(error.message, "invalid_param");
    throw error;
  }
}

function checkCredentials(credentials: Record<string, unknown>) {
  const parsed = apiToolCredentialsSchema.safeParse(credentials);
  if (!parsed.success) throw new BadRequestError(`Invalid credentials: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`, "invalid_param");
  return parsed.data;
}

async function providerEntity(c: Context<AppEnv>, row: ToolProviderRow) {
  let tools: Awaited<ReturnType<typeof toolsOfProvider>> = [];
  let error: string | undefined;
  try {
    tools = await toolsOfProvider(c.env, row, toolEgressFetch(c.env));
  } catch (caught) {
    if (!isToolError(caught)) throw caught;
    error = caught.message;
  }
  const config = row.config as { label?: string; server_identifier?: string };
  return difyProvider({
    id: row.id,
    name: row.name,
    type: row.type,
    label: config.label ?? row.name,
    description: row.description,
    icon: row.icon,
    tools,
    extra: {
      updated_at: row.updatedAt,
      ...(row.type === "mcp" ? { server_url: row.serverUrl, server_identifier: config.server_identifier ?? null } : {}),
      ...(row.type === "workflow" ? { workflow_app_id: row.appId } : {}),
      ...(error ? { error } : {}),
    },
  });
}

/** Installed, enabled plugins with tools, as Dify lists plugin tool providers (`type: builtin`, `plugin_id` set). */
async function pluginProviders(c: Context<AppEnv>) {
  const rows = (await new PluginRepository(createDb(c.env.DB), c.var.tenant.tenantId).list()).filter((row) => row.enabled && row.manifest.tools.length > 0);
  return rows.map((row) => {
    const id = pluginToolProviderId(row.pluginId);
    return difyProvider({
      id,
      name: id,
      type: "builtin",
      label: row.manifest.name,
      description: row.manifest.description,
      author: row.manifest.author,
      tools: row.manifest.tools.map((tool) => ({ name: tool.name, label: tool.label ?? tool.name, description: tool.description, parameters: tool.parameters as ToolParametersSchema })),
      extra: { plugin_id: row.pluginId, plugin_unique_identifier: `${row.pluginId}:${row.version}@${row.digest}`, allow_delete: false },
    });
  });
}

/** Dify's tool console API: provider lists per type, built-in tools, and custom OpenAPI providers. */
export function registerApiToolRoutes(app: OpenAPIHono<AppEnv>): void {
  const builtinInfos = (c: Context<AppEnv>) => builtinProviderInfos({ fetch: toolEgressFetch(c.env), clock: systemClock });

  app.openapi(listAll, async (c) => {
    const { type } = c.req.valid("query");
    const builtin = !type || type === "builtin" ? [...builtinInfos(c).map(builtinProvider), ...(await pluginProviders(c))] : [];
    const rows = type === "builtin" ? [] : await toolProviders(c).list(type);
    const own = await Promise.all(rows.map((row) => providerEntity(c, row)));
    return c.json([...builtin, ...own], 200);
  });

  for (const type of ["builtin", "api", "workflow", "mcp"] as const) {
    app.openapi(listByType(type), async (c) => {
      if (type === "builtin") return c.json([...builtinInfos(c).map(builtinProvider), ...(await pluginProviders(c))], 200);
      const rows = await toolProviders(c).list(type);
      return c.json(await Promise.all(rows.map((row) => providerEntity(c, row))), 200);
    });
  }

  app.openapi(builtinTools, async (c) => {
    const { provider } = c.req.valid("param");
    const name = provider.split("/").filter(Boolean).at(-1);
    const info = builtinInfos(c).find((candidate) => candidate.name === name);
    if (!info) throw new NotFoundError("Tool provider not found.");
    return c.json(info.tools.map((tool) => difyTool(tool, "Waggle")), 200);
  });

  app.openapi(addApi, async (c) => {
    const body = c.req.valid("json");
    const repository = toolProviders(c);
    parseSpec(body.schema);
    const credentials = checkCredentials(body.credentials);
    if (await repository.getByName("api", body.provider)) throw new BadRequestError(`A tool provider named ${body.provider} already exists.`, "tool_provider_exists");
    await repository.insert("api", {
      name: body.provider,
      description: body.description ?? "",
      icon: body.icon ?? null,
      schema: body.schema,
      config: { schema_type: body.schema_type ?? "openapi", privacy_policy: body.privacy_policy ?? "", custom_disclaimer: body.custom_disclaimer ?? "", labels: body.labels ?? [] },
      encryptedCredentials: await (await secretBox(c)).seal(JSON.stringify(credentials)),
      createdBy: c.var.principal.account.id,
    });
    return c.json({ result: "success" as const }, 200);
  });

  app.openapi(updateApi, async (c) => {
    const body = c.req.valid("json");
    const repository = toolProviders(c);
    const row = await requireProvider(c, "api", body.original_provider);
    parseSpec(body.schema);
    if (body.provider !== row.name && (await repository.getByName("api", body.provider))) throw new BadRequestError(`A tool provider named ${body.provider} already exists.`, "tool_provider_exists");
    const stored = await openToolCredentials(c.env, row);
    const credentials = checkCredentials(keepMasked(body.credentials, stored, apiToolSecretFields));
    await repository.update("api", row.id, {
      name: body.provider,
      description: body.description ?? row.description,
      icon: body.icon ?? row.icon,
      schema: body.schema,
      config: { ...row.config, schema_type: body.schema_type ?? "openapi", privacy_policy: body.privacy_policy ?? "", custom_disclaimer: body.custom_disclaimer ?? "", labels: body.labels ?? [] },
      encryptedCredentials: await (await secretBox(c)).seal(JSON.stringify(credentials)),
    });
    return c.json({ result: "success" as const }, 200);
  });

  app.openapi(deleteApi, async (c) => {
    const row = await requireProvider(c, "api", c.req.valid("json").provider);
    await toolProviders(c).delete("api", row.id);
    return c.json({ result: "success" as const }, 200);
  });

  app.openapi(getApi, async (c) => {
    const row = await requireProvider(c, "api", c.req.valid("query").provider);
    const credentials = maskValues(await openToolCredentials(c.env, row), apiToolSecretFields);
    const config = row.config as Record<string, unknown>;
    const spec = parseSpec(row.schema ?? "");
    return c.json(
      {
        id: row.id,
        provider: row.name,
        description: row.description,
        icon: row.icon,
        schema_type: config.schema_type ?? "openapi",
        schema: row.schema,
        credentials,
        privacy_policy: config.privacy_policy ?? "",
        custom_disclaimer: config.custom_disclaimer ?? "",
        labels: config.labels ?? [],
        tools: openApiTools(spec, { fetch: toolEgressFetch(c.env), credentials: { auth_type: "none" } }).map((tool) => difyTool(tool)),
      },
      200,
    );
  });

  // Dify's "import from URL" (the site of CVE-2025-56520, where Dify fetched without its SSRF proxy).
  app.openapi(remoteSchema, async (c) => {
    const { url } = c.req.valid("query");
    let text: string;
    try {
      const response = await toolEgressFetch(c.env)(url, { headers: { accept: "application/json, application/yaml, text/yaml, text/plain" }, signal: c.req.raw.signal });
      if (!response.ok) {
        await response.body?.cancel().catch(() => {});
        throw new BadRequestError(`The URL answered HTTP ${response.status}.`, "invalid_param");
      }
      text = await readLimitedText(response, MAX_SPEC_CHARS);
    } catch (error) {
      if (isToolError(error) || error instanceof EgressError) throw new BadRequestError(`Could not fetch the spec: ${error.message}`, "invalid_param");
      throw error;
    }
    parseSpec(text);
    return c.json({ schema: text }, 200);
  });

  app.openapi(previewSchema, async (c) => {
    const spec = parseSpec(c.req.valid("json").schema);
    return c.json(
      {
        schema_type: "openapi",
        server_url: spec.serverUrl,
        parameters_schema: spec.operations.map((operation) => ({ operation_id: operation.name, method: operation.method, path: operation.path, summary: operation.summary, ...difyTool({ name: operation.name, description: operation.summary, parameters: operation.parameters }) })),
        warning: {},
      },
      200,
    );
  });
}
