/**
 * A published app exposed as an MCP server: the official MCP client lists its one tool (the app's
 * input form as the schema) and calls it over Streamable HTTP; the code in the URL is the
 * credential (shown once, renewable), and an inactive server or a wrong code is refused.
 */
import { env } from "cloudflare:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../workers/app";
import { call, createAppAs, publishAs, seedTenant, type SeededTenant } from "./harness";
import { mockModelUrl, resetMockModel, scriptMockModel } from "./mock-model";

beforeEach(resetMockModel);

const worker = createApp();

async function connect(url: string) {
  const client = new Client({ name: "waggle-test", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(url), { fetch: (input, init) => worker.request(String(input), init as RequestInit, env) as Promise<Response> });
  await client.connect(transport);
  return client;
}

async function workflowApp(t: SeededTenant) {
  const appId = await createAppAs(t.tokens.owner, "workflow", "Poem Writer");
  const draft = await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner });
  const node = (id: string, data: Record<string, unknown>) => ({ id, type: "custom", position: { x: 0, y: 0 }, data: { title: id, ...data } });
  const graph = {
    nodes: [
      node("start", { type: "start", variables: [
        { variable: "topic", label: "Topic", type: "text-input", required: true, max_length: 48 },
        { variable: "lines", label: "Lines", type: "number", required: false },
        { variable: "style", label: "Style", type: "select", required: false, options: ["haiku", "limerick"] },
      ] }),
      node("tpl", { type: "template-transform", variables: [{ variable: "topic", value_selector: ["start", "topic"] }, { variable: "style", value_selector: ["start", "style"] }], template: "A {{ style or 'poem' }} about {{ topic }}" }),
      node("end", { type: "end", outputs: [{ variable: "poem", value_selector: ["tpl", "output"] }] }),
    ],
    edges: [
      { id: "e1", source: "start", target: "tpl", sourceHandle: "source", targetHandle: "target" },
      { id: "e2", source: "tpl", target: "end", sourceHandle: "source", targetHandle: "target" },
    ],
  };
  const saved = await call("POST", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner, body: { graph, hash: draft.json.hash } });
  expect(saved.status, saved.text).toBe(200);
  await publishAs(t.tokens.owner, appId);
  return appId;
}

describe("an app as an MCP server", () => {
  it("lists the workflow as one tool described by its input form, and runs it on a call", async () => {
    const t = await seedTenant("mcpsrv");
    const appId = await workflowApp(t);
    const created = await call("POST", `/console/api/apps/${appId}/server`, { token: t.tokens.editor, body: { description: "Writes a short poem.", parameters: { topic: "What the poem is about" } } });
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({ status: "active", description: "Writes a short poem.", server_url: expect.stringMatching(/\/mcp\/[A-Za-z0-9]{24}$/) });
    const url: string = created.json.server_url;
    // Afterwards the console sees only a hint of the code, never the URL.
    const shown = await call("GET", `/console/api/apps/${appId}/server`, { token: t.tokens.editor });
    expect(shown.json.server_url).toBeNull();
    expect(shown.text).not.toContain(created.json.server_code);
    const stored = await env.DB.prepare("SELECT * FROM app_mcp_servers WHERE app_id = ?").bind(appId).first<Record<string, string>>();
    expect(JSON.stringify(stored)).not.toContain(created.json.server_code);

    const client = await connect(url);
    expect(client.getServerVersion()?.name).toBe("Poem Writer");
    const { tools } = await client.listTools();
    expect(tools).toEqual([
      {
        name: "poem_writer",
        description: "Writes a short poem.",
        inputSchema: {
          type: "object",
          properties: {
            topic: { type: "string", description: "What the poem is about", maxLength: 48 },
            lines: { type: "number", description: "Lines" },
            style: { type: "string", description: "Style", enum: ["haiku", "limerick"] },
          },
          required: ["topic"],
        },
      },
    ]);
    const result = await client.callTool({ name: "poem_writer", arguments: { topic: "bees", style: "haiku" } });
    expect(result.isError).toBeFalsy();
    expect(JSON.parse((result.content as Array<{ text: string }>)[0]!.text)).toEqual({ poem: "A haiku about bees" });
    const runs = await env.DB.prepare("SELECT count(*) AS n FROM workflow_runs WHERE app_id = ? AND status = 'succeeded'").bind(appId).first<number>("n");
    expect(runs).toBe(1);

    // Bad arguments come back as a tool error naming the input; so does an unknown tool.
    const missing = await client.callTool({ name: "poem_writer", arguments: {} });
    expect(missing.isError).toBe(true);
    expect((missing.content as Array<{ text: string }>)[0]!.text).toMatch(/topic/);
    const unknown = await client.callTool({ name: "other", arguments: {} });
    expect(unknown.isError).toBe(true);
    await client.close();

    // Dify's path for the same server works too.
    const code = url.split("/").at(-1)!;
    const difyPath = await connect(`http://waggle.test/mcp/server/${code}/mcp`);
    expect((await difyPath.listTools()).tools).toHaveLength(1);
    await difyPath.close();
  });

  it("a chat app's tool takes the query; renewing the code retires the old URL; an inactive server is refused", async () => {
    const t = await seedTenant("mcpchat");
    const model = await call("POST", "/console/api/workspaces/current/model-providers/openai_api_compatible/models", {
      token: t.tokens.admin,
      body: { model: "mock-chat", model_type: "llm", credentials: { endpoint_url: `${mockModelUrl}/v1`, api_key: "sk-mcp", mode: "chat", context_size: "4096" } },
    });
    expect(model.status, model.text).toBe(201);
    const appId = await createAppAs(t.tokens.owner, "chat", "Helper");
    const draft = await call("GET", `/console/api/apps/${appId}/model-config`, { token: t.tokens.editor });
    const modelConfig = { ...draft.json.model_config, model: { provider: "openai_api_compatible", name: "mock-chat", mode: "chat", completion_params: {} }, pre_prompt: "Be brief." };
    expect((await call("POST", `/console/api/apps/${appId}/model-config`, { token: t.tokens.editor, body: { model_config: modelConfig, hash: draft.json.hash } })).status).toBe(200);
    await publishAs(t.tokens.editor, appId);
    const created = await call("POST", `/console/api/apps/${appId}/server`, { token: t.tokens.editor, body: {} });
    expect(created.status).toBe(201);

    await resetMockModel();
    await scriptMockModel({ text: "Hello from the app." });
    const client = await connect(created.json.server_url);
    const [tool] = (await client.listTools()).tools;
    expect(tool).toMatchObject({ name: "helper", inputSchema: { properties: { query: { type: "string" } }, required: ["query"] } });
    const answer = await client.callTool({ name: "helper", arguments: { query: "Hi?" } });
    expect((answer.content as Array<{ text: string }>)[0]!.text).toBe("Hello from the app.");
    await client.close();

    const again = await call("POST", `/console/api/apps/${appId}/server`, { token: t.tokens.editor, body: {} });
    expect(again.status).toBe(400);
    const renewed = await call("POST", `/console/api/apps/${appId}/server/refresh`, { token: t.tokens.editor });
    expect(renewed.status).toBe(200);
    expect(renewed.json.server_url).not.toBe(created.json.server_url);
    const oldPath = new URL(created.json.server_url).pathname;
    const gone = await call("POST", oldPath, { body: { jsonrpc: "2.0", id: 1, method: "tools/list" }, headers: { Accept: "application/json, text/event-stream" } });
    expect(gone.status).toBe(404);
    expect(gone.json).toMatchObject({ code: "not_found", status: 404 });

    const off = await call("PUT", `/console/api/apps/${appId}/server`, { token: t.tokens.editor, body: { status: "inactive" } });
    expect(off.json.status).toBe("inactive");
    const refused = await call("POST", new URL(renewed.json.server_url).pathname, { body: { jsonrpc: "2.0", id: 1, method: "tools/list" }, headers: { Accept: "application/json, text/event-stream" } });
    expect(refused.status).toBe(403);
    expect(refused.json.code).toBe("mcp_server_inactive");

    // Another workspace cannot see or change this app's server.
    const other = await seedTenant("mcpother");
    expect((await call("GET", `/console/api/apps/${appId}/server`, { token: other.tokens.owner })).status).toBe(404);
  });
});
