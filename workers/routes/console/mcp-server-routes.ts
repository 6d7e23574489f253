import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { BadRequestError, NotFoundError } from "../../../core/errors";
import type { McpServerRow } from "../../db/repositories";
import type { AppEnv } from "../../http/app-env";
import { defineRoute, jsonBody, jsonResponse } from "../../http/route";
import { appParam, requireApp } from "./app-routes";

const serverSchema = z
  .object({
    id: z.string(),
    app_id: z.string(),
    status: z.enum(["active", "inactive"]),
    description: z.string(),
    parameters: z.record(z.string(), z.string()),
    server_code: z.string().describe("The full code only when the server is made or its code renewed; a hint otherwise."),
    server_url: z.string().nullable().describe("The endpoint, only when the full code is shown."),
    created_at: z.number(),
    updated_at: z.number(),
  })
  .openapi("AppMcpServer");
const serverBody = z.object({
  description: z.string().max(2000).default(""),
  /** Descriptions of the app's inputs for MCP clients, by variable name. */
  parameters: z.record(z.string().max(128), z.string().max(1000)).default({}),
});
const updateBody = serverBody.partial().extend({ status: z.enum(["active", "inactive"]).optional() });

function serialize(c: Context<AppEnv>, row: McpServerRow, code?: string) {
  const origin = new URL(c.req.url).origin;
  return {
    id: row.id,
    app_id: row.appId,
    status: row.status,
    description: row.description,
    parameters: row.parameters,
    server_code: code ?? row.codeHint,
    server_url: code ? `${origin}/mcp/${code}` : null,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}

const getServer = defineRoute({
  method: "get",
  path: "/console/api/apps/{app_id}/server",
  policy: { auth: "session", role: "editor" },
  tags: ["console: mcp server"],
  request: { params: appParam },
  responses: { 200: jsonResponse("The app's MCP server (its code as a hint), or {} when there is none", serverSchema.partial()) },
});
const createServer = defineRoute({
  method: "post",
  path: "/console/api/apps/{app_id}/server",
  policy: { auth: "session", role: "editor" },
  tags: ["console: mcp server"],
  request: { params: appParam, body: jsonBody(serverBody) },
  responses: { 201: jsonResponse("The new server; its URL is shown only now", serverSchema) },
});
const updateServer = defineRoute({
  method: "put",
  path: "/console/api/apps/{app_id}/server",
  policy: { auth: "session", role: "editor" },
  tags: ["console: mcp server"],
  request: { params: appParam, body: jsonBody(updateBody) },
  responses: { 200: jsonResponse("The updated server", serverSchema) },
});
const renewCode = defineRoute({
  method: "post",
  path: "/console/api/apps/{app_id}/server/refresh",
  policy: { auth: "session", role: "editor" },
  tags: ["console: mcp server"],
  request: { params: appParam },
  responses: { 200: jsonResponse("A new code and URL (shown only now); the old URL stops working", serverSchema) },
});

/**
 * Exposing an app as an MCP server (Dify's "MCP server" switch): create with a description and
 * input descriptions, turn on and off, renew the code. The URL carries the credential, so it is
 * shown when made or renewed, like an API key.
 */
export function registerMcpServerRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(getServer, async (c) => {
    const { app_id } = c.req.valid("param");
    await requireApp(c, app_id);
    const row = await c.var.tenant.mcpServers.forApp(app_id);
    return c.json(row ? serialize(c, row) : {}, 200);
  });

  app.openapi(createServer, async (c) => {
    const { app_id } = c.req.valid("param");
    await requireApp(c, app_id);
    if (await c.var.tenant.mcpServers.forApp(app_id)) throw new BadRequestError("This app already has an MCP server; update it or renew its code.", "mcp_server_exists");
    const body = c.req.valid("json");
    const { row, code } = await c.var.tenant.mcpServers.create(app_id, body);
    return c.json(serialize(c, row, code), 201);
  });

  app.openapi(updateServer, async (c) => {
    const { app_id } = c.req.valid("param");
    await requireApp(c, app_id);
    const row = await c.var.tenant.mcpServers.update(app_id, c.req.valid("json"));
    if (!row) throw new NotFoundError("This app has no MCP server yet; create one first.");
    return c.json(serialize(c, row), 200);
  });

  app.openapi(renewCode, async (c) => {
    const { app_id } = c.req.valid("param");
    await requireApp(c, app_id);
    const renewed = await c.var.tenant.mcpServers.renewCode(app_id);
    if (!renewed) throw new NotFoundError("This app has no MCP server yet; create one first.");
    return c.json(serialize(c, renewed.row, renewed.code), 200);
  });
}
