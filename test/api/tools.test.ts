import { describe, expect, it } from "vitest";
import { createEgress } from "../../core/egress";
import { invokeTool, listMcpTools, mcpTool } from "../../core/tools";
import { mockModelUrl } from "./mock-model";

describe("MCP client inside workerd", () => {
  it("lists and calls a tool on the loopback MCP server through the egress guard", async () => {
    const egress = createEgress({ fetch: (input, init) => fetch(input, init), isAllowedHost: (url) => (url.origin === mockModelUrl ? true : undefined) });
    const server = { url: `${mockModelUrl}/mcp`, headers: { Authorization: "Bearer mcp-secret-token" }, fetch: egress.fetch };
    const tools = await listMcpTools(server);
    expect(tools.map((tool) => tool.name)).toContain("add");
    const messages = await invokeTool(mcpTool(server, tools.find((tool) => tool.name === "add")!), { a: 1, b: 2 }, { signal: new AbortController().signal });
    expect(messages[0]).toEqual({ type: "text", text: "3" });
  });
});
