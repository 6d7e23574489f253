import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockModelServer, type MockModelServer } from "../../../test/mock-model-server";
import { createEgress } from "../../egress";
import { invokeTool } from "../invoke-tool";
import { ToolError } from "../tool-error";
import { listMcpTools, mcpTool } from "./mcp-tools";

let server: MockModelServer;
beforeAll(async () => {
  server = await startMockModelServer();
});
afterAll(() => server.close());

const egress = () => createEgress({ fetch: (input, init) => fetch(input, init), allowLoopback: true });
const options = () => ({ url: `${server.url}/mcp`, headers: { Authorization: "Bearer mcp-secret-token" }, fetch: egress().fetch });
const signal = new AbortController().signal;

describe("MCP client tools over Streamable HTTP", () => {
  it("lists the server's tools with their input schemas", async () => {
    const tools = await listMcpTools(options());
    expect(tools.map((tool) => tool.name)).toEqual(["add", "shout", "broken"]);
    expect(tools[0]).toMatchObject({ description: "Add two numbers", inputSchema: { type: "object", required: ["a", "b"], properties: { a: { type: "number" } } } });
  });

  it("calls a tool: text and structured content come back", async () => {
    const [add] = await listMcpTools(options());
    const messages = await invokeTool(mcpTool(options(), add!), { a: 2, b: "40" }, { signal });
    expect(messages).toEqual([{ type: "text", text: "42" }, { type: "json", json: { sum: 42 } }]);
  });

  it("reports a tool's own error result as a ToolError with its text", async () => {
    const tools = await listMcpTools(options());
    const broken = tools.find((tool) => tool.name === "broken")!;
    await expect(invokeTool(mcpTool(options(), broken), {}, { signal })).rejects.toThrow(/the database is down/);
  });

  it("fails clearly with a wrong token, and refuses a loopback server when the egress does", async () => {
    await expect(listMcpTools({ ...options(), headers: { Authorization: "Bearer wrong" } })).rejects.toThrow(ToolError);
    const guarded = createEgress({ fetch: (input, init) => fetch(input, init) });
    const before = server.requests.length;
    await expect(listMcpTools({ ...options(), fetch: guarded.fetch })).rejects.toThrow(/private|loopback/i);
    expect(server.requests.length).toBe(before);
  });
});
