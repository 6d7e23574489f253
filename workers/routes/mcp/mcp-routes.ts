import { z, type OpenAPIHono } from "@hono/zod-openapi";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import type { Context } from "hono";
import { ForbiddenError, NotFoundError } from "../../../core/errors";
import { resolveMcpServer, TenantRepository } from "../../db/repositories";
import type { AppEnv } from "../../http/app-env";
import { defineRoute } from "../../http/route";
import { assertWorkspaceActive } from "../../middleware/api-key-auth";
import { appToolInputSchema, runAppAsTool, toolNameOf } from "../../runs/app-as-tool";
import { assertTokenQuota } from "../../runs/token-quota";
import { publishedVersion } from "../service/published-version";

const codeParam = z.object({ server_code: z.string().max(64) });
const mcpResponses = {
  200: { description: "JSON-RPC responses (Streamable HTTP, JSON mode)", content: { "application/json": { schema: z.unknown() } } },
  404: { description: "No server has this code" },
  405: { description: "Server-initiated streams and sessions are not offered (stateless server)" },
} as const;
const routes = ["/mcp/{server_code}", "/mcp/server/{server_code}/mcp"].flatMap((path) =>
  (["post", "get", "delete"] as const).map((method) =>
    defineRoute({ method, path, policy: { auth: "public" }, tags: ["mcp server"], request: { params: codeParam }, responses: mcpResponses }),
  ),
);

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * An app's MCP server: stateless Streamable HTTP (`@modelcontextprotocol/sdk`), one tool — the
 * published app, its input form as the tool's schema — whose call runs the app once. The server
 * code in the path is the credential; an inactive server or an archived workspace answers 403.
 */
async function serveMcp(c: Context<AppEnv>): Promise<Response> {
  const resolved = await resolveMcpServer(c.var.db, c.req.param("server_code") ?? "");
  if (!resolved) throw new NotFoundError("No MCP server has this URL. Copy the URL again from the app's MCP server settings (renewing the code changes it).");
  assertWorkspaceActive(resolved.tenantStatus);
  if (resolved.server.status !== "active") throw new ForbiddenError("This app's MCP server is turned off. Turn it on in the app's MCP server settings.", "mcp_server_inactive");
  const { app, server: settings } = resolved;
  const tenant = new TenantRepository(c.var.db, app.tenantId);
  c.set("tenant", tenant);
  c.set("serviceApp", app);
  const version = await publishedVersion(tenant, app);
  const name = toolNameOf(app);

  const server = new Server({ name: app.name, version: "1.0.0" }, { capabilities: { tools: {} }, instructions: settings.description || app.description || undefined });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: version ? [{ name, description: settings.description || app.description || app.name, inputSchema: appToolInputSchema(app, version, settings.parameters) as never }] : [],
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    if (!version) return { content: [{ type: "text" as const, text: "The app is not published yet: publish it to call it." }], isError: true };
    if (request.params.name !== name) return { content: [{ type: "text" as const, text: `There is no tool named "${request.params.name}"; this server has "${name}".` }], isError: true };
    try {
      await assertTokenQuota(c);
      const endUser = await tenant.runs.ensureEndUser(app.id, "mcp");
      const text = await runAppAsTool(c, app, version, (request.params.arguments ?? {}) as Record<string, unknown>, endUser);
      return { content: [{ type: "text" as const, text }] };
    } catch (error) {
      return { content: [{ type: "text" as const, text: errorText(error) }], isError: true };
    }
  });
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  return transport.handleRequest(c.req.raw);
}

export function registerMcpRoutes(app: OpenAPIHono<AppEnv>): void {
  for (const route of routes) app.openapi(route, serveMcp as never);
}
