import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { BadRequestError } from "../../../../core/errors";
import { isToolError, listMcpTools, type McpToolInfo } from "../../../../core/tools";
import { mcpHeaders, openToolCredentials, toolEgressFetch } from "../../../adapters/tool-provider";
import type { AppEnv } from "../../../http/app-env";
import { defineRoute, jsonBody, jsonResponse, successSchema } from "../../../http/route";
import { difyProvider, difyTool, keepMasked, maskValues, requireProvider, secretBox, TOOL_TAGS, TOOLS_BASE, toolProviders } from "./tool-provider-shapes";

const looseObject = z.record(z.string(), z.unknown());
const MCP = `${TOOLS_BASE}/tool-provider/mcp`;
const mcpBody = z.object({
  server_url: z.string().trim().url().max(2000),
  name: z.string().trim().min(1).max(100),
  server_identifier: z.string().trim().min(1).max(100).regex(/^[a-z0-9_-]+$/, "lowercase letters, digits, _ and - only"),
  icon: z.unknown().optional(),
  icon_type: z.string().max(40).optional(),
  icon_background: z.string().max(40).optional(),
  /** Sent with every request to the server (e.g. Authorization); stored sealed, shown masked. */
  headers: z.record(z.string().max(200), z.string().max(8000)).optional(),
});
const providerIdParam = z.object({ provider_id: z.string().min(1).max(100) });

const createMcp = defineRoute({
  method: "post",
  path: MCP,
  policy: { auth: "session", role: "admin" },
  tags: TOOL_TAGS,
  request: { body: jsonBody(mcpBody) },
  responses: { 200: jsonResponse("Connected, its tools listed, and stored", looseObject) },
});
const updateMcp = defineRoute({
  method: "put",
  path: MCP,
  policy: { auth: "session", role: "admin" },
  tags: TOOL_TAGS,
  request: { body: jsonBody(mcpBody.extend({ provider_id: z.string().min(1).max(100) })) },
  responses: { 200: jsonResponse("Updated and its tools listed again", successSchema) },
});
const deleteMcp = defineRoute({
  method: "delete",
  path: MCP,
  policy: { auth: "session", role: "admin" },
  tags: TOOL_TAGS,
  request: { body: jsonBody(z.object({ provider_id: z.string().min(1).max(100) })) },
  responses: { 200: jsonResponse("Deleted", successSchema) },
});
const mcpTools = defineRoute({
  method: "get",
  path: `${MCP}/tools/{provider_id}`,
  policy: { auth: "session" },
  tags: TOOL_TAGS,
  request: { params: providerIdParam },
  responses: { 200: jsonResponse("The tools listed when the server was added or last refreshed", z.object({ tools: z.array(looseObject) })) },
});
const refreshMcp = defineRoute({
  method: "get",
  path: `${MCP}/update/{provider_id}`,
  policy: { auth: "session", role: "admin" },
  tags: TOOL_TAGS,
  request: { params: providerIdParam },
  responses: { 200: jsonResponse("The server's tools, listed again and stored", z.object({ tools: z.array(looseObject) })) },
});

async function listOrRefuse(c: Context<AppEnv>, url: string, headers: Record<string, string>): Promise<McpToolInfo[]> {
  try {
    return await listMcpTools({ url, headers, fetch: toolEgressFetch(c.env) }, c.req.raw.signal);
  } catch (error) {
    if (isToolError(error)) throw new BadRequestError(`Could not list the MCP server's tools: ${error.message}`, "mcp_connection_failed");
    throw error;
  }
}

/** Dify's MCP tool-provider console API (Streamable HTTP servers, listed through the egress guard). */
export function registerMcpToolRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(createMcp, async (c) => {
    const body = c.req.valid("json");
    const repository = toolProviders(c);
    if (await repository.getByName("mcp", body.name)) throw new BadRequestError(`An MCP server named ${body.name} already exists.`, "tool_provider_exists");
    if ((await repository.list("mcp")).some((row) => (row.config as { server_identifier?: string }).server_identifier === body.server_identifier)) {
      throw new BadRequestError(`An MCP server with identifier ${body.server_identifier} already exists.`, "tool_provider_exists");
    }
    const headers = body.headers ?? {};
    const tools = await listOrRefuse(c, body.server_url, headers);
    const row = await repository.insert("mcp", {
      name: body.name,
      icon: body.icon ?? null,
      serverUrl: body.server_url,
      config: { server_identifier: body.server_identifier, icon_type: body.icon_type ?? null, icon_background: body.icon_background ?? null, tools },
      encryptedCredentials: await (await secretBox(c)).seal(JSON.stringify({ headers })),
      createdBy: c.var.principal.account.id,
    });
    return c.json(
      difyProvider({ id: row.id, name: row.name, type: "mcp", label: row.name, description: "", icon: row.icon, tools: tools.map((info) => ({ name: info.name, label: info.title, description: info.description ?? "", parameters: info.inputSchema })), extra: { server_url: row.serverUrl, server_identifier: body.server_identifier, masked_headers: maskValues(headers) } }),
      200,
    );
  });

  app.openapi(updateMcp, async (c) => {
    const body = c.req.valid("json");
    const repository = toolProviders(c);
    const row = await requireProvider(c, "mcp", body.provider_id);
    const other = await repository.getByName("mcp", body.name);
    if (other && other.id !== row.id) throw new BadRequestError(`An MCP server named ${body.name} already exists.`, "tool_provider_exists");
    const stored = mcpHeaders(await openToolCredentials(c.env, row));
    const headers = keepMasked(body.headers ?? stored, stored) as Record<string, string>;
    const tools = await listOrRefuse(c, body.server_url, headers);
    await repository.update("mcp", row.id, {
      name: body.name,
      icon: body.icon ?? row.icon,
      serverUrl: body.server_url,
      config: { ...row.config, server_identifier: body.server_identifier, tools },
      encryptedCredentials: await (await secretBox(c)).seal(JSON.stringify({ headers })),
    });
    return c.json({ result: "success" as const }, 200);
  });

  app.openapi(deleteMcp, async (c) => {
    const row = await requireProvider(c, "mcp", c.req.valid("json").provider_id);
    await toolProviders(c).delete("mcp", row.id);
    return c.json({ result: "success" as const }, 200);
  });

  app.openapi(mcpTools, async (c) => {
    const row = await requireProvider(c, "mcp", c.req.valid("param").provider_id);
    const tools = (row.config.tools as McpToolInfo[] | undefined) ?? [];
    return c.json({ tools: tools.map((info) => difyTool({ name: info.name, label: info.title, description: info.description ?? "", parameters: info.inputSchema })) }, 200);
  });

  app.openapi(refreshMcp, async (c) => {
    const row = await requireProvider(c, "mcp", c.req.valid("param").provider_id);
    const tools = await listOrRefuse(c, row.serverUrl ?? "", mcpHeaders(await openToolCredentials(c.env, row)));
    await toolProviders(c).update("mcp", row.id, { config: { ...row.config, tools } });
    return c.json({ tools: tools.map((info) => difyTool({ name: info.name, label: info.title, description: info.description ?? "", parameters: info.inputSchema })) }, 200);
  });
}
