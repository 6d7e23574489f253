import type { IncomingMessage, ServerResponse } from "node:http";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";
import { openApiSpec } from "./openapi-spec";

/**
 * Endpoints tools call in tests, beside the mock models: an MCP server (Streamable HTTP,
 * stateless) at `/mcp`, a small JSON API described by `/openapi.json` (and `/openapi.yaml`)
 * under `/api`, and a web page at `/page.html`.
 */

const MCP_TOKEN = "mcp-secret-token";

function mcpServer(): McpServer {
  const server = new McpServer({ name: "mock-mcp", version: "1.0.0" });
  server.registerTool(
    "add",
    { description: "Add two numbers", inputSchema: { a: z.number(), b: z.number() }, outputSchema: { sum: z.number() } },
    async ({ a, b }) => ({ content: [{ type: "text", text: String(a + b) }], structuredContent: { sum: a + b } }),
  );
  server.registerTool("shout", { description: "Upper-case a text", inputSchema: { text: z.string() } }, async ({ text }) => ({ content: [{ type: "text", text: text.toUpperCase() }] }));
  server.registerTool("broken", { description: "Always fails", inputSchema: {} }, async () => ({ content: [{ type: "text", text: "the database is down" }], isError: true }));
  return server;
}

async function handleMcp(request: IncomingMessage, response: ServerResponse, body: unknown) {
  if (request.headers.authorization !== `Bearer ${MCP_TOKEN}`) {
    response.writeHead(401, { "content-type": "application/json" });
    response.end(JSON.stringify({ error: "missing or wrong token" }));
    return;
  }
  if (request.method !== "POST") {
    // Stateless: no server-initiated stream, no sessions to delete.
    response.writeHead(405, { allow: "POST" });
    response.end();
    return;
  }
  const server = mcpServer();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  response.on("close", () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(request, response, body);
}

function sendJson(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

/** Handles a tool endpoint; false when `path` is not one. */
export async function handleToolEndpoint(request: IncomingMessage, response: ServerResponse, path: string, body: Record<string, unknown>, origin: string): Promise<boolean> {
  if (path === "/mcp") {
    await handleMcp(request, response, body);
    return true;
  }
  if (path === "/openapi.json") {
    sendJson(response, 200, { ...openApiSpec, servers: [{ url: `${origin}/api` }] });
    return true;
  }
  if (path === "/page.html") {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end("<html><head><title>Bee facts</title><script>var hidden = 1;</script></head><body><h1>Honey bees</h1><p>Bees <b>dance</b> to share directions.</p></body></html>");
    return true;
  }
  if (path.startsWith("/api/")) {
    if (request.headers["x-api-key"] !== "weather-key") {
      sendJson(response, 401, { error: "bad api key" });
      return true;
    }
    const weather = /^\/api\/weather\/([^/]+)$/.exec(path);
    if (weather && request.method === "GET") {
      const units = new URL(request.url ?? "/", origin).searchParams.get("units") ?? "metric";
      sendJson(response, 200, { city: decodeURIComponent(weather[1]!), temperature: units === "imperial" ? 68 : 20, units });
      return true;
    }
    if (path === "/api/notes" && request.method === "POST") {
      sendJson(response, 201, { id: "note-1", ...body });
      return true;
    }
    sendJson(response, 404, { error: `no route ${path}` });
    return true;
  }
  return false;
}
