import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { createEgress } from "../../core/egress";
import { buildAgentNodeData } from "../../core/nodes/agent";
import { invokeTool, listMcpTools, mcpTool } from "../../core/tools";
import agentDsl from "../fixtures/dsl/agent-and-tool.yml?raw";
import { openApiSpec } from "../mock-model-server/openapi-spec";
import { call, createAppAs, createKeyAs, publishAs, seedTenant, type SeededTenant } from "./harness";
import { mockModelRequests, mockModelUrl, resetMockModel, scriptMockModel } from "./mock-model";

const BASE = "/console/api/workspaces/current";
const spec = () => stringify({ ...openApiSpec, servers: [{ url: `${mockModelUrl}/api` }] });
const apiCredentials = { auth_type: "api_key_header", api_key_header: "X-Api-Key", api_key_header_prefix: "custom", api_key_value: "weather-key" };
const mcpBody = (name = "Calculator") => ({ server_url: `${mockModelUrl}/mcp`, name, server_identifier: name.toLowerCase(), headers: { Authorization: "Bearer mcp-secret-token" } });

beforeEach(resetMockModel);

function parseSse(text: string): any[] {
  return text
    .split("\n\n")
    .map((frame) => frame.split("\n").find((line) => line.startsWith("data: ")))
    .filter((line): line is string => Boolean(line))
    .map((line) => JSON.parse(line.slice(6)));
}

async function publishGraph(t: SeededTenant, graph: unknown, name: string): Promise<string> {
  const appId = await createAppAs(t.tokens.owner, "workflow", name);
  const draft = await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner });
  const saved = await call("POST", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner, body: { graph, hash: draft.json.hash } });
  expect(saved.status, saved.text).toBe(200);
  await publishAs(t.tokens.owner, appId);
  return appId;
}

const edges = (...ids: string[]) => ids.slice(1).map((target, index) => ({ id: `e${index}`, source: ids[index], target, sourceHandle: "source", targetHandle: "target" }));

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

describe("tool providers in the console", () => {
  it("lists the built-in providers with Dify's names and their tools", async () => {
    const t = await seedTenant("tools");
    const res = await call("GET", `${BASE}/tools/builtin`, { token: t.tokens.normal });
    expect(res.status).toBe(200);
    expect(res.json.map((provider: any) => provider.name)).toEqual(["time", "webscraper", "json_process", "maths"]);
    const tools = await call("GET", `${BASE}/tool-provider/builtin/langgenius%2Ftime%2Ftime/tools`, { token: t.tokens.normal });
    expect(tools.json[0]).toMatchObject({ name: "current_time", parameters: expect.arrayContaining([expect.objectContaining({ name: "timezone", type: "string", form: "llm" })]) });
  });

  it("adds an OpenAPI provider (YAML), shows it with secrets masked, keeps the secret on a masked update, and deletes it", async () => {
    const t = await seedTenant("tools");
    const preview = await call("POST", `${BASE}/tool-provider/api/schema`, { token: t.tokens.normal, body: { schema: spec() } });
    expect(preview.json.parameters_schema.map((tool: any) => tool.operation_id)).toEqual(["getWeather", "createNote"]);

    const added = await call("POST", `${BASE}/tool-provider/api/add`, { token: t.tokens.admin, body: { provider: "Weather", schema: spec(), credentials: apiCredentials } });
    expect(added.status, added.text).toBe(200);
    const row = await env.DB.prepare("SELECT encrypted_credentials FROM tool_providers WHERE tenant_id = ?").bind(t.tenantId).first<string>("encrypted_credentials");
    expect(row).toMatch(/^v1:/);
    expect(row).not.toContain("weather-key");

    const shown = await call("GET", `${BASE}/tool-provider/api/get?provider=Weather`, { token: t.tokens.normal });
    expect(shown.json).toMatchObject({ provider: "Weather", credentials: { auth_type: "api_key_header", api_key_header: "X-Api-Key" } });
    expect(shown.text).not.toContain("weather-key");
    expect(shown.json.tools.map((tool: any) => tool.name)).toEqual(["getWeather", "createNote"]);

    const updated = await call("POST", `${BASE}/tool-provider/api/update`, {
      token: t.tokens.admin,
      body: { provider: "Weather 2", original_provider: "Weather", schema: spec(), credentials: shown.json.credentials },
    });
    expect(updated.status, updated.text).toBe(200);
    const list = await call("GET", `${BASE}/tools/api`, { token: t.tokens.normal });
    expect(list.json).toEqual([expect.objectContaining({ name: "Weather 2", type: "api", tools: [expect.objectContaining({ name: "getWeather" }), expect.objectContaining({ name: "createNote" })] })]);

    // The kept secret still works: a tool node calls the API with it.
    const appId = await publishGraph(
      t,
      {
        nodes: [
          { id: "start", data: { type: "start", title: "Start", variables: [] } },
          { id: "tool", data: { type: "tool", title: "Weather", provider_id: list.json[0].id, provider_type: "api", provider_name: "Weather 2", tool_name: "getWeather", tool_parameters: { city: { type: "constant", value: "Lyon" } } } },
          { id: "end", data: { type: "end", title: "End", outputs: [{ variable: "json", value_selector: ["tool", "json"] }] } },
        ],
        edges: edges("start", "tool", "end"),
      },
      "Weather tool",
    );
    const key = (await createKeyAs(t.tokens.owner, appId)).token;
    const run = await call("POST", "/v1/workflows/run", { token: key, body: { inputs: {}, user: "u", response_mode: "blocking" } });
    expect(run.json.data, run.text).toMatchObject({ status: "succeeded", outputs: { json: [{ city: "Lyon", temperature: 20, units: "metric" }] } });

    expect((await call("POST", `${BASE}/tool-provider/api/delete`, { token: t.tokens.admin, body: { provider: "Weather 2" } })).status).toBe(200);
    expect((await call("GET", `${BASE}/tools/api`, { token: t.tokens.normal })).json).toEqual([]);
  });

  it("imports a spec from a URL through the egress guard, and refuses private addresses", async () => {
    const t = await seedTenant("tools");
    const fetched = await call("GET", `${BASE}/tool-provider/api/remote?url=${encodeURIComponent(`${mockModelUrl}/openapi.json`)}`, { token: t.tokens.admin });
    expect(fetched.status, fetched.text).toBe(200);
    expect(JSON.parse(fetched.json.schema)).toMatchObject({ openapi: "3.0.3", info: { title: "Weather API" } });
    for (const url of ["http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:1/openapi.json", `${mockModelUrl}/page.html`]) {
      const refused = await call("GET", `${BASE}/tool-provider/api/remote?url=${encodeURIComponent(url)}`, { token: t.tokens.admin });
      expect(refused.status, url).toBe(400);
      expect(refused.json.code).toBe("invalid_param");
    }
  });

  it("refuses a spec that is not OpenAPI 3, a duplicate name, and non-admins", async () => {
    const t = await seedTenant("tools");
    const bad = await call("POST", `${BASE}/tool-provider/api/add`, { token: t.tokens.admin, body: { provider: "X", schema: "swagger: '2.0'\npaths: {}", credentials: {} } });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ code: "invalid_param", message: expect.stringMatching(/Swagger 2.0/) });
    expect((await call("POST", `${BASE}/tool-provider/api/add`, { token: t.tokens.admin, body: { provider: "X", schema: spec(), credentials: {} } })).status).toBe(200);
    const duplicate = await call("POST", `${BASE}/tool-provider/api/add`, { token: t.tokens.admin, body: { provider: "X", schema: spec(), credentials: {} } });
    expect(duplicate.json).toMatchObject({ status: 400, code: "tool_provider_exists" });
    expect((await call("POST", `${BASE}/tool-provider/api/add`, { token: t.tokens.editor, body: { provider: "Y", schema: spec(), credentials: {} } })).status).toBe(403);
  });

  it("adds an MCP server by listing its tools, refreshes them, and refuses a server that rejects the credentials", async () => {
    const t = await seedTenant("tools");
    const created = await call("POST", `${BASE}/tool-provider/mcp`, { token: t.tokens.admin, body: mcpBody() });
    expect(created.status, created.text).toBe(200);
    expect(created.json.tools.map((tool: any) => tool.name)).toEqual(["add", "shout", "broken"]);
    expect(created.text).not.toContain("mcp-secret-token");
    const tools = await call("GET", `${BASE}/tool-provider/mcp/tools/${created.json.id}`, { token: t.tokens.normal });
    expect(tools.json.tools[0]).toMatchObject({ name: "add", parameters: [expect.objectContaining({ name: "a", type: "number", required: true }), expect.objectContaining({ name: "b" })] });
    const refreshed = await call("GET", `${BASE}/tool-provider/mcp/update/${created.json.id}`, { token: t.tokens.admin });
    expect(refreshed.json.tools).toHaveLength(3);

    const rejected = await call("POST", `${BASE}/tool-provider/mcp`, { token: t.tokens.admin, body: { ...mcpBody("Other"), headers: { Authorization: "Bearer wrong" } } });
    expect(rejected.status).toBe(400);
    expect(rejected.json.code).toBe("mcp_connection_failed");
    const blocked = await call("POST", `${BASE}/tool-provider/mcp`, { token: t.tokens.admin, body: { ...mcpBody("Internal"), server_url: "http://127.0.0.1:9/mcp" } });
    expect(blocked.status).toBe(400);
    expect(blocked.json.message).toMatch(/private|loopback/i);

    const other = await seedTenant("tools-b");
    expect((await call("GET", `${BASE}/tool-provider/mcp/tools/${created.json.id}`, { token: other.tokens.owner })).status).toBe(404);
    expect((await call("DELETE", `${BASE}/tool-provider/mcp`, { token: t.tokens.admin, body: { provider_id: created.json.id } })).status).toBe(200);
  });
});

describe("an agent workflow through /v1/workflows/run", () => {
  it("calls a built-in tool, an OpenAPI tool and an MCP tool, then answers; agent_log events stream", async () => {
    const t = await seedTenant("agent");
    const model = await call("POST", `${BASE}/model-providers/openai_api_compatible/models`, {
      token: t.tokens.admin,
      body: { model: "mock-agent", model_type: "llm", credentials: { endpoint_url: `${mockModelUrl}/v1`, api_key: "sk-agent", mode: "chat", context_size: "4096" } },
    });
    expect(model.status, model.text).toBe(201);
    expect((await call("POST", `${BASE}/tool-provider/api/add`, { token: t.tokens.admin, body: { provider: "Weather", schema: spec(), credentials: apiCredentials } })).status).toBe(200);
    const mcp = await call("POST", `${BASE}/tool-provider/mcp`, { token: t.tokens.admin, body: mcpBody() });
    expect(mcp.status, mcp.text).toBe(200);

    const agent = buildAgentNodeData({
      model: { provider: "langgenius/openai_api_compatible/openai_api_compatible", name: "mock-agent" },
      tools: [
        { provider_type: "builtin", provider_id: "maths", tool_name: "eval_expression" },
        { provider_type: "api", provider_id: "Weather", tool_name: "getWeather" },
        { provider_type: "mcp", provider_id: mcp.json.id, tool_name: "add" },
      ],
      instruction: "Use the tools.",
      query: "{{#start.question#}}",
    });
    const appId = await publishGraph(
      t,
      {
        nodes: [
          { id: "start", data: { type: "start", title: "Start", variables: [{ variable: "question", label: "Question", type: "paragraph", required: true }] } },
          { id: "agent", data: agent },
          { id: "end", data: { type: "end", title: "End", outputs: [{ variable: "answer", value_selector: ["agent", "text"] }, { variable: "calls", value_selector: ["agent", "json"] }] } },
        ],
        edges: edges("start", "agent", "end"),
      },
      "Agent app",
    );
    const key = (await createKeyAs(t.tokens.owner, appId)).token;
    await resetMockModel();
    await scriptMockModel(
      {
        toolCalls: [
          { id: "c1", name: "eval_expression", arguments: '{"expression": "2^10"}' },
          { id: "c2", name: "getWeather", arguments: '{"city": "Paris"}' },
          { id: "c3", name: "add", arguments: '{"a": 40, "b": 2}' },
        ],
        usage: { prompt_tokens: 100, completion_tokens: 20 },
      },
      { text: "1024, 20 degrees in Paris, and 42.", usage: { prompt_tokens: 200, completion_tokens: 10 } },
    );
    const res = await call("POST", "/v1/workflows/run", { token: key, body: { inputs: { question: "Compute things" }, user: "u-agent", response_mode: "streaming" } });
    expect(res.status).toBe(200);
    const events = parseSse(res.text);
    const finished = events.at(-1);
    expect(finished, res.text.slice(-2000)).toMatchObject({ event: "workflow_finished", data: { status: "succeeded", total_tokens: 330, outputs: { answer: "1024, 20 degrees in Paris, and 42." } } });
    expect(finished.data.outputs.calls.map((call: any) => [call.tool_name, call.observation, call.error])).toEqual([
      ["eval_expression", "1024", null],
      ["getWeather", '{"city":"Paris","temperature":20,"units":"metric"}', null],
      ["add", "42", null],
    ]);
    const logs = events.filter((event) => event.event === "agent_log");
    expect(logs.filter((event) => event.data.status === "success").map((event) => event.data.label)).toEqual(
      expect.arrayContaining(["CALL eval_expression", "CALL getWeather", "CALL add", "ROUND 1", "ROUND 2", "mock-agent Thought"]),
    );
    expect(logs[0]).toMatchObject({ event: "agent_log", workflow_run_id: finished.workflow_run_id, data: { node_id: "agent", label: "ROUND 1", status: "start", parent_id: null } });
    const agentNode = events.find((event) => event.event === "node_finished" && event.data.node_id === "agent");
    expect(agentNode.data.execution_metadata).toMatchObject({ total_tokens: 330, currency: "USD" });

    const requests = await mockModelRequests();
    expect(requests.find((request) => request.path === "/api/weather/Paris")?.headers["x-api-key"]).toBe("weather-key");
    expect(requests.filter((request) => request.path === "/mcp").length).toBeGreaterThan(0);
    const secondModelCall = requests.filter((request) => request.path.endsWith("/chat/completions"))[1]!;
    expect(secondModelCall.body.messages.filter((message: any) => message.role === "tool").map((message: any) => message.content)).toEqual(["1024", '{"city":"Paris","temperature":20,"units":"metric"}', "42"]);
  });
});

describe("workflow as tool", () => {
  it("runs a published workflow of the workspace from a tool node, one call level deeper", async () => {
    const t = await seedTenant("wft");
    const shoutAppId = await publishGraph(
      t,
      {
        nodes: [
          { id: "start", data: { type: "start", title: "Start", variables: [{ variable: "word", label: "Word", type: "text-input", required: true }] } },
          { id: "tpl", data: { type: "template-transform", title: "Shout", variables: [{ variable: "w", value_selector: ["start", "word"] }], template: "{{ w | upper }}!" } },
          { id: "end", data: { type: "end", title: "End", outputs: [{ variable: "text", value_selector: ["tpl", "output"] }] } },
        ],
        edges: edges("start", "tpl", "end"),
      },
      "Shouter",
    );
    const made = await call("POST", `${BASE}/tool-provider/workflow/create`, {
      token: t.tokens.editor,
      body: { workflow_app_id: shoutAppId, name: "shouter", label: "Shouter", description: "Shouts a word", parameters: [{ name: "word", description: "The word to shout", form: "llm" }] },
    });
    expect(made.status, made.text).toBe(200);
    const got = await call("GET", `${BASE}/tool-provider/workflow/get?workflow_app_id=${shoutAppId}`, { token: t.tokens.normal });
    expect(got.json).toMatchObject({ name: "shouter", tool: { parameters: [expect.objectContaining({ name: "word", required: true, llm_description: "The word to shout" })] } });

    const callerId = await publishGraph(
      t,
      {
        nodes: [
          { id: "start", data: { type: "start", title: "Start", variables: [] } },
          { id: "tool", data: { type: "tool", title: "Shout", provider_id: got.json.workflow_tool_id, provider_type: "workflow", provider_name: "shouter", tool_name: "shouter", tool_parameters: { word: { type: "constant", value: "bees" } } } },
          { id: "end", data: { type: "end", title: "End", outputs: [{ variable: "text", value_selector: ["tool", "text"] }] } },
        ],
        edges: edges("start", "tool", "end"),
      },
      "Caller",
    );
    const key = (await createKeyAs(t.tokens.owner, callerId)).token;
    const run = await call("POST", "/v1/workflows/run", { token: key, body: { inputs: {}, user: "u", response_mode: "blocking" } });
    expect(run.json.data, run.text).toMatchObject({ status: "succeeded", outputs: { text: "BEES!" } });

    const other = await seedTenant("wft-b");
    const foreign = await call("POST", `${BASE}/tool-provider/workflow/create`, { token: other.tokens.owner, body: { workflow_app_id: shoutAppId, name: "stolen", label: "Stolen" } });
    expect(foreign.status).toBe(404);
  });
});

describe("workflow as tool: recursion", () => {
  it("a workflow that calls itself as a tool stops at the call-depth limit with a clear error", async () => {
    const t = await seedTenant("wft-loop");
    const start = { id: "start", data: { type: "start", title: "Start", variables: [] } };
    const end = (from: string) => ({ id: "end", data: { type: "end", title: "End", outputs: [{ variable: "text", value_selector: [from, "text"] }] } });
    const appId = await publishGraph(t, { nodes: [start, { id: "tpl", data: { type: "template-transform", title: "T", variables: [], template: "x" } }, end("tpl")], edges: edges("start", "tpl", "end") }, "Loop");
    expect((await call("POST", `${BASE}/tool-provider/workflow/create`, { token: t.tokens.editor, body: { workflow_app_id: appId, name: "loop", label: "Loop" } })).status).toBe(200);
    const toolId = (await call("GET", `${BASE}/tool-provider/workflow/get?workflow_app_id=${appId}`, { token: t.tokens.normal })).json.workflow_tool_id;
    const draft = await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner });
    const selfCall = { id: "tool", data: { type: "tool", title: "Me", provider_id: toolId, provider_type: "workflow", tool_name: "loop", tool_parameters: {} } };
    const saved = await call("POST", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner, body: { graph: { nodes: [start, selfCall, end("tool")], edges: edges("start", "tool", "end") }, hash: draft.json.hash } });
    expect(saved.status, saved.text).toBe(200);
    await publishAs(t.tokens.owner, appId);
    const key = (await createKeyAs(t.tokens.owner, appId)).token;
    const run = await call("POST", "/v1/workflows/run", { token: key, body: { inputs: {}, user: "u", response_mode: "blocking" } });
    expect(run.json.data.status).toBe("failed");
    expect(run.json.data.error).toMatch(/Max workflow call depth 5 reached/);
  });
});

describe("a Dify DSL with agent and tool nodes", () => {
  it("imports without warnings (the agent strategies and built-in tool plugins are native) and runs through /v1", async () => {
    const t = await seedTenant("dsl-agent");
    const model = await call("POST", `${BASE}/model-providers/openai_api_compatible/models`, {
      token: t.tokens.admin,
      body: { model: "mock-agent", model_type: "llm", credentials: { endpoint_url: `${mockModelUrl}/v1`, api_key: "sk-agent", mode: "chat", context_size: "4096" } },
    });
    expect(model.status, model.text).toBe(201);
    const imported = await call("POST", "/console/api/apps/imports", { token: t.tokens.owner, body: { mode: "yaml-content", yaml_content: agentDsl } });
    expect(imported.json, imported.text).toMatchObject({ status: "completed", warnings: [] });
    await publishAs(t.tokens.owner, imported.json.app_id);
    const key = (await createKeyAs(t.tokens.owner, imported.json.app_id)).token;
    await resetMockModel();
    await scriptMockModel({ toolCalls: [{ id: "t1", name: "current_time", arguments: '{"timezone": "UTC"}' }] }, { text: "It is the year, and the value is 1024." });
    const run = await call("POST", "/v1/workflows/run", { token: key, body: { inputs: { question: "What year is it?", expression: "2 ** 10" }, user: "u", response_mode: "blocking" } });
    expect(run.json.data, run.text).toMatchObject({ status: "succeeded", outputs: { computed: "1024", answer: "It is the year, and the value is 1024." } });
    const [first, second] = (await mockModelRequests()).filter((request) => request.path.endsWith("/chat/completions"));
    expect(first!.body).toMatchObject({ temperature: 0.2, messages: [{ role: "system", content: "Answer in one sentence. The computed value is 1024." }, { role: "user", content: "What year is it?" }] });
    // `format` is a fixed setting: the model sees only `timezone`, and the call used the setting.
    expect(Object.keys(first!.body.tools[0].function.parameters.properties)).toEqual(["timezone"]);
    expect(second!.body.messages.at(-1).content).toBe(String(new Date().getUTCFullYear()));
  });
});

describe("model-chosen URLs go through the SSRF guard", () => {
  it("an agent's web page tool reaches the allowed page, and private, metadata and localhost addresses are refused without a request", async () => {
    const t = await seedTenant("ssrf");
    const model = await call("POST", `${BASE}/model-providers/openai_api_compatible/models`, {
      token: t.tokens.admin,
      body: { model: "mock-agent", model_type: "llm", credentials: { endpoint_url: `${mockModelUrl}/v1`, api_key: "sk-agent", mode: "chat", context_size: "4096" } },
    });
    expect(model.status, model.text).toBe(201);
    const agent = buildAgentNodeData({
      model: { provider: "openai_api_compatible", name: "mock-agent" },
      tools: [{ provider_type: "builtin", provider_id: "webscraper", tool_name: "webscraper" }],
      query: "{{#start.question#}}",
    });
    const appId = await publishGraph(
      t,
      {
        nodes: [
          { id: "start", data: { type: "start", title: "Start", variables: [{ variable: "question", label: "Q", type: "paragraph", required: true }] } },
          { id: "agent", data: agent },
          { id: "end", data: { type: "end", title: "End", outputs: [{ variable: "calls", value_selector: ["agent", "json"] }] } },
        ],
        edges: edges("start", "agent", "end"),
      },
      "Scraper",
    );
    const key = (await createKeyAs(t.tokens.owner, appId)).token;
    await resetMockModel();
    const port = new URL(mockModelUrl).port;
    const urls = [`${mockModelUrl}/page.html`, "http://169.254.169.254/latest/meta-data/", `http://localhost:${port}/page.html`, "http://[::ffff:127.0.0.1]:1/", "http://2130706433:1/", "http://10.0.0.1/"];
    // (Another spelling of the mock's own origin, e.g. 2130706433 on its port, is that origin once normalised: allowed.)
    await scriptMockModel({ toolCalls: urls.map((url, index) => ({ id: `u${index}`, name: "webscraper", arguments: JSON.stringify({ url }) })) }, { text: "done" });
    const run = await call("POST", "/v1/workflows/run", { token: key, body: { inputs: { question: "Read these pages" }, user: "u", response_mode: "blocking" } });
    expect(run.json.data.status, run.text).toBe("succeeded");
    const calls = run.json.data.outputs.calls as Array<{ observation: string; error: string | null }>;
    expect(calls[0]).toMatchObject({ observation: expect.stringContaining("Bees dance to share directions."), error: null });
    for (const refused of calls.slice(1)) expect(refused.observation).toMatch(/^Error: .*(private|loopback|not allowed|metadata|localhost)/i);
    expect((await mockModelRequests()).filter((request) => request.path === "/page.html")).toHaveLength(1);
  });
});

describe("an agent-chat app with an OpenAPI tool and an MCP tool", () => {
  it("answers through /v1/chat-messages with agent_thought per round, and the console's debug route does the same on the draft", async () => {
    const t = await seedTenant("agentchat");
    const model = await call("POST", `${BASE}/model-providers/openai_api_compatible/models`, {
      token: t.tokens.admin,
      body: { model: "mock-agent", model_type: "llm", credentials: { endpoint_url: `${mockModelUrl}/v1`, api_key: "sk-agent", mode: "chat", context_size: "4096" } },
    });
    expect(model.status, model.text).toBe(201);
    expect((await call("POST", `${BASE}/tool-provider/api/add`, { token: t.tokens.admin, body: { provider: "Weather", schema: spec(), credentials: apiCredentials } })).status).toBe(200);
    const mcp = await call("POST", `${BASE}/tool-provider/mcp`, { token: t.tokens.admin, body: mcpBody() });
    expect(mcp.status, mcp.text).toBe(200);

    const appId = await createAppAs(t.tokens.owner, "agent-chat", "Weather agent");
    const draft = await call("GET", `/console/api/apps/${appId}/model-config`, { token: t.tokens.owner });
    const modelConfig = {
      ...draft.json.model_config,
      model: { provider: "langgenius/openai_api_compatible/openai_api_compatible", name: "mock-agent", mode: "chat", completion_params: {} },
      pre_prompt: "Answer with the tools.",
      agent_mode: {
        enabled: true,
        strategy: "function_call",
        max_iteration: 4,
        tools: [
          { provider_type: "api", provider_id: "Weather", provider_name: "Weather", tool_name: "getWeather", tool_parameters: {}, enabled: true },
          { provider_type: "mcp", provider_id: mcp.json.id, provider_name: "Calculator", tool_name: "add", tool_parameters: {}, enabled: true },
        ],
      },
    };
    expect((await call("POST", `/console/api/apps/${appId}/model-config`, { token: t.tokens.owner, body: { model_config: modelConfig, hash: draft.json.hash } })).status).toBe(200);
    await publishAs(t.tokens.owner, appId);
    const key = (await createKeyAs(t.tokens.owner, appId)).token;
    await resetMockModel();
    const script = () =>
      scriptMockModel(
        { toolCalls: [{ id: "c1", name: "getWeather", arguments: '{"city": "Paris"}' }, { id: "c2", name: "add", arguments: '{"a": 20, "b": 1}' }], usage: { prompt_tokens: 50, completion_tokens: 10 } },
        { text: "20 degrees in Paris; plus one is 21.", usage: { prompt_tokens: 80, completion_tokens: 10 } },
      );
    await script();
    const res = await call("POST", "/v1/chat-messages", { token: key, body: { query: "Weather in Paris, plus one?", inputs: {}, user: "u", response_mode: "streaming" } });
    expect(res.status).toBe(200);
    const events = parseSse(res.text);
    const thought = events.find((event) => event.event === "agent_thought" && event.tool);
    expect(thought).toMatchObject({ tool: "getWeather;add", position: 1 });
    expect(JSON.parse(thought.observation)).toEqual({ getWeather: '{"city":"Paris","temperature":20,"units":"metric"}', add: "21" });
    expect(events.filter((event) => event.event === "agent_message").map((event) => event.answer).join("")).toBe("20 degrees in Paris; plus one is 21.");
    expect(events.at(-1)).toMatchObject({ event: "message_end", metadata: { usage: { total_tokens: 150 } } });
    // The OpenAPI tool sent the stored API key header to its server.
    const weatherCall = (await mockModelRequests()).find((request) => request.path.startsWith("/api/"));
    expect(weatherCall?.headers["x-api-key"]).toBe("weather-key");

    await resetMockModel();
    await script();
    const debug = await call("POST", `/console/api/apps/${appId}/chat-messages`, { token: t.tokens.editor, body: { query: "Again?", inputs: {} } });
    expect(parseSse(debug.text).at(-1).event).toBe("message_end");
    const usage = await env.DB.prepare("SELECT sum(total_tokens) AS total FROM usage_records WHERE tenant_id = ?").bind(t.tenantId).first<number>("total");
    expect(usage).toBe(300);
  });
});
