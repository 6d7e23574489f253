import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/cfworker";
import type { Tool, ToolFile, ToolMessage, ToolParametersSchema, ToolFetch } from "../tool";
import { ToolError } from "../tool-error";

/** How to reach one MCP server over Streamable HTTP. */
export interface McpServerOptions {
  /** The server's endpoint, e.g. `https://example.com/mcp`. */
  url: string;
  /** Sent with every request (an `Authorization` header, an API key). */
  headers?: Record<string, string>;
  /** The SSRF-guarded egress fetch. */
  fetch: ToolFetch;
}

/** A tool as the MCP server lists it. */
export interface McpToolInfo {
  name: string;
  title?: string;
  description?: string;
  inputSchema: ToolParametersSchema;
}

const CLIENT_INFO = { name: "waggle", version: "1.0.0" };

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Connects, runs `use`, and closes. A session per operation keeps nothing open between a run's
 * calls (Workers cannot hold a connection across requests anyway).
 */
async function withClient<T>(server: McpServerOptions, use: (client: Client) => Promise<T>, signal?: AbortSignal): Promise<T> {
  let url: URL;
  try {
    url = new URL(server.url);
  } catch {
    throw new ToolError("tool_parameter_invalid", `The MCP server URL is not valid: ${server.url}`);
  }
  const transport = new StreamableHTTPClientTransport(url, {
    fetch: (input, init) => server.fetch(input, init),
    requestInit: { headers: server.headers ?? {} },
  });
  // Ajv (the SDK's default) compiles schemas with `new Function`, which Workers forbid.
  const client = new Client(CLIENT_INFO, { jsonSchemaValidator: new CfWorkerJsonSchemaValidator() });
  try {
    await client.connect(transport, { signal });
  } catch (error) {
    await client.close().catch(() => {});
    if (signal?.aborted) throw error;
    throw new ToolError("tool_invoke_error", `Could not connect to the MCP server at ${url.origin}: ${describe(error)}`, { cause: error });
  }
  try {
    return await use(client);
  } finally {
    await transport.terminateSession().catch(() => {});
    await client.close().catch(() => {});
  }
}

/**
 * The tools an MCP server offers (`tools/list`, following pagination).
 *
 * @example
 * const tools = await listMcpTools({ url: "https://mcp.example.com/mcp", fetch: egress.fetch });
 */
export async function listMcpTools(server: McpServerOptions, signal?: AbortSignal): Promise<McpToolInfo[]> {
  return withClient(
    server,
    async (client) => {
      const tools: McpToolInfo[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 50; page++) {
        const result = await client.listTools(cursor ? { cursor } : {}, { signal });
        for (const tool of result.tools) {
          const schema = tool.inputSchema as ToolParametersSchema;
          tools.push({ name: tool.name, title: tool.title, description: tool.description, inputSchema: { ...schema, type: "object", properties: schema.properties ?? {} } });
        }
        cursor = result.nextCursor;
        if (!cursor) break;
      }
      return tools;
    },
    signal,
  );
}

function fileOf(data: string, mimeType: string, kind: ToolFile["type"], name: string): ToolFile {
  return { type: kind, filename: name, mime_type: mimeType, url: `data:${mimeType};base64,${data}`, size: Math.floor((data.length * 3) / 4) };
}

/** An MCP `CallToolResult` as tool messages. */
export function mcpResultMessages(result: { content?: unknown[]; structuredContent?: unknown; isError?: boolean }): ToolMessage[] {
  const messages: ToolMessage[] = [];
  for (const [index, item] of (result.content ?? []).entries()) {
    const block = item as Record<string, unknown>;
    switch (block.type) {
      case "text":
        messages.push({ type: "text", text: String(block.text ?? "") });
        break;
      case "image":
        messages.push({ type: "file", file: fileOf(String(block.data ?? ""), String(block.mimeType ?? "image/png"), "image", `image-${index + 1}`) });
        break;
      case "audio":
        messages.push({ type: "file", file: fileOf(String(block.data ?? ""), String(block.mimeType ?? "audio/wav"), "audio", `audio-${index + 1}`) });
        break;
      case "resource_link":
        messages.push({ type: "link", url: String(block.uri ?? "") });
        break;
      case "resource": {
        const resource = (block.resource ?? {}) as Record<string, unknown>;
        if (typeof resource.text === "string") messages.push({ type: "text", text: resource.text });
        else if (typeof resource.blob === "string") messages.push({ type: "file", file: fileOf(resource.blob, String(resource.mimeType ?? "application/octet-stream"), "document", String(resource.uri ?? `resource-${index + 1}`)) });
        break;
      }
    }
  }
  if (result.structuredContent !== undefined && result.structuredContent !== null) messages.push({ type: "json", json: result.structuredContent });
  if (result.isError) {
    const text = messages.filter((message) => message.type === "text").map((message) => (message as { text: string }).text).join("\n");
    throw new ToolError("tool_invoke_error", text || "The MCP tool reported an error");
  }
  return messages;
}

/** One MCP tool as a Waggle tool: each call opens a session, calls `tools/call` and closes. */
export function mcpTool(server: McpServerOptions, info: McpToolInfo): Tool {
  return {
    name: info.name,
    label: info.title ?? info.name,
    description: info.description ?? info.title ?? info.name,
    parameters: info.inputSchema,
    async invoke(args, ctx) {
      return withClient(
        server,
        async (client) => {
          let result: Awaited<ReturnType<Client["callTool"]>>;
          try {
            result = await client.callTool({ name: info.name, arguments: args }, undefined, { signal: ctx.signal });
          } catch (error) {
            if (ctx.signal.aborted) throw error;
            throw new ToolError("tool_invoke_error", `The MCP tool ${info.name} failed: ${describe(error)}`, { cause: error });
          }
          return mcpResultMessages(result as { content?: unknown[]; structuredContent?: unknown; isError?: boolean });
        },
        ctx.signal,
      );
    },
  };
}
