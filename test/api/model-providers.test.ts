import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { call, createAppAs, createKeyAs, publishAs, seedTenant } from "./harness";
import { mockModelRequests as mockRequests, mockModelUrl as mockUrl, resetMockModel, scriptMockModel as script } from "./mock-model";

const BASE = "/console/api/workspaces/current/model-providers";

beforeEach(resetMockModel);

const compatibleModel = (apiKey = "sk-mock-secret-123456") => ({
  model: "mock-chat",
  model_type: "llm",
  credentials: { endpoint_url: `${mockUrl}/v1`, api_key: apiKey, mode: "chat", context_size: "4096" },
});

function llmGraph() {
  return {
    nodes: [
      { id: "start", data: { type: "start", title: "Start", variables: [{ variable: "question", label: "Question", type: "paragraph", required: true }] } },
      {
        id: "llm",
        data: {
          type: "llm",
          title: "LLM",
          model: { provider: "langgenius/openai_api_compatible/openai_api_compatible", name: "mock-chat", mode: "chat", completion_params: { temperature: 0.1 } },
          prompt_template: [{ role: "system", text: "Answer briefly." }, { role: "user", text: "{{#start.question#}}" }],
        },
      },
      { id: "end", data: { type: "end", title: "End", outputs: [{ variable: "answer", value_selector: ["llm", "text"] }] } },
    ],
    edges: [
      { id: "e1", source: "start", target: "llm", sourceHandle: "source", targetHandle: "target" },
      { id: "e2", source: "llm", target: "end", sourceHandle: "source", targetHandle: "target" },
    ],
  };
}

function parseSse(text: string): any[] {
  return text
    .split("\n\n")
    .map((frame) => frame.split("\n").find((line) => line.startsWith("data: ")))
    .filter((line): line is string => Boolean(line))
    .map((line) => JSON.parse(line.slice(6)));
}

describe("model providers in the console", () => {
  it("lists providers with Dify's credential forms; Workers AI is unavailable locally with the reason", async () => {
    const t = await seedTenant("mp");
    const res = await call("GET", BASE, { token: t.tokens.normal });
    expect(res.status).toBe(200);
    const byName = Object.fromEntries(res.json.data.map((p: any) => [p.provider, p]));
    expect(byName.openai.provider_credential_schema.credential_form_schemas.map((f: any) => f.variable)).toEqual(["openai_api_key", "openai_organization", "openai_api_base"]);
    expect(byName.openai_api_compatible.configurate_methods).toEqual(["customizable-model"]);
    expect(byName.openai_api_compatible.model_credential_schema.credential_form_schemas.map((f: any) => f.variable)).toEqual(
      expect.arrayContaining(["endpoint_url", "api_key", "mode", "context_size", "function_calling_type"]),
    );
    expect(byName.workers_ai).toMatchObject({ available: false, unavailable_reason: expect.stringMatching(/AI binding/) });
    expect(byName.anthropic.custom_configuration.status).toBe("no-configure");
  });

  it("validates model credentials by a real call, stores them encrypted and returns them masked", async () => {
    const t = await seedTenant("mp");
    const saved = await call("POST", `${BASE}/openai_api_compatible/models`, { token: t.tokens.admin, body: compatibleModel() });
    expect(saved.status, saved.text).toBe(201);
    expect((await mockRequests()).map((r) => r.path)).toEqual(["/v1/chat/completions"]);

    const row = await env.DB.prepare("SELECT encrypted_config FROM provider_credentials WHERE tenant_id = ?").bind(t.tenantId).first<string>("encrypted_config");
    expect(row).toMatch(/^v1:/);
    expect(row).not.toContain("sk-mock-secret");

    const shown = await call("GET", `${BASE}/openai_api_compatible/models/credentials?model=mock-chat&model_type=llm`, { token: t.tokens.admin });
    expect(shown.json.credentials.api_key).not.toBe("sk-mock-secret-123456");
    expect(shown.json.credentials.endpoint_url).toBe(`${mockUrl}/v1`);
    expect(shown.text).not.toContain("sk-mock-secret-123456");

    const models = await call("GET", `${BASE}/openai_api_compatible/models`, { token: t.tokens.normal });
    expect(models.json.data).toEqual([expect.objectContaining({ model: "mock-chat", model_type: "llm", fetch_from: "customizable-model", status: "active" })]);

    // Saving again with the masked secret keeps the stored one.
    const resaved = await call("POST", `${BASE}/openai_api_compatible/models`, { token: t.tokens.admin, body: compatibleModel(shown.json.credentials.api_key) });
    expect(resaved.status).toBe(201);
    expect((await mockRequests()).at(-1)?.headers.authorization).toBe("Bearer sk-mock-secret-123456");

    const removed = await call("DELETE", `${BASE}/openai_api_compatible/models`, { token: t.tokens.admin, body: { model: "mock-chat", model_type: "llm" } });
    expect(removed.status).toBe(204);
    expect((await call("GET", `${BASE}/openai_api_compatible/models`, { token: t.tokens.normal })).json.data).toEqual([]);
  });

  it("refuses credentials the provider rejects, and stores nothing", async () => {
    const t = await seedTenant("mp");
    const res = await call("POST", `${BASE}/openai_api_compatible/models`, { token: t.tokens.admin, body: compatibleModel("invalid-key") });
    expect(res.status).toBe(400);
    expect(res.json.code).toBe("credentials_validate_failed");
    expect(res.json.message).toMatch(/401/);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM provider_credentials WHERE tenant_id = ?").bind(t.tenantId).first("n")).toBe(0);
  });

  it("saves provider-level OpenAI credentials against an API base, validated and masked", async () => {
    const t = await seedTenant("mp");
    const saved = await call("POST", `${BASE}/openai/credentials`, { token: t.tokens.owner, body: { credentials: { openai_api_key: "sk-openai-abcdefgh", openai_api_base: mockUrl } } });
    expect(saved.status, saved.text).toBe(201);
    const shown = await call("GET", `${BASE}/openai/credentials`, { token: t.tokens.admin });
    expect(shown.json.credentials).toEqual({ openai_api_key: expect.stringMatching(/^sk-\*+fgh$/), openai_api_base: mockUrl });
    const list = await call("GET", BASE, { token: t.tokens.normal });
    expect(list.json.data.find((p: any) => p.provider === "openai").custom_configuration.status).toBe("active");
    expect((await call("DELETE", `${BASE}/openai/credentials`, { token: t.tokens.admin })).status).toBe(204);
    expect((await call("GET", `${BASE}/openai/credentials`, { token: t.tokens.admin })).json.credentials).toBeNull();
  });

  it("keeps a default model per model type", async () => {
    const t = await seedTenant("mp");
    expect((await call("GET", "/console/api/workspaces/current/default-model?model_type=llm", { token: t.tokens.normal })).json).toEqual({ data: null });
    const set = await call("POST", "/console/api/workspaces/current/default-model", {
      token: t.tokens.admin,
      body: { model_settings: [{ model_type: "llm", provider: "langgenius/openai/openai", model: "gpt-4o-mini" }, { model_type: "text-embedding", provider: null, model: null }] },
    });
    expect(set.status, set.text).toBe(200);
    const got = await call("GET", "/console/api/workspaces/current/default-model?model_type=llm", { token: t.tokens.normal });
    expect(got.json.data).toMatchObject({ model: "gpt-4o-mini", model_type: "llm", provider: { provider: "openai" } });
    expect((await call("GET", "/console/api/workspaces/current/default-model?model_type=text-embedding", { token: t.tokens.normal })).json.data).toBeNull();
    // Defaults are not credentials: the provider list does not count them.
    expect((await call("GET", BASE, { token: t.tokens.normal })).json.data.find((p: any) => p.provider === "openai").custom_configuration.status).toBe("no-configure");
  });

  it("lets only admins touch credentials", async () => {
    const t = await seedTenant("mp");
    const res = await call("POST", `${BASE}/openai_api_compatible/models`, { token: t.tokens.editor, body: compatibleModel() });
    expect(res.status).toBe(403);
  });
});

describe("an llm workflow through /v1/workflows/run", () => {
  async function publishedLlmApp() {
    const t = await seedTenant("llm");
    expect((await call("POST", `${BASE}/openai_api_compatible/models`, { token: t.tokens.admin, body: compatibleModel() })).status).toBe(201);
    const appId = await createAppAs(t.tokens.owner, "workflow", "LLM app");
    const draft = await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner });
    const saved = await call("POST", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner, body: { graph: llmGraph(), hash: draft.json.hash } });
    expect(saved.status, saved.text).toBe(200);
    await publishAs(t.tokens.owner, appId);
    await resetMockModel();
    return { key: (await createKeyAs(t.tokens.owner, appId)).token, admin: t.tokens.admin };
  }

  it("answers in blocking mode with the mock's reply and the run's tokens", async () => {
    const { key } = await publishedLlmApp();
    await script({ text: "Bees dance to share directions.", usage: { prompt_tokens: 21, completion_tokens: 6 } });
    const res = await call("POST", "/v1/workflows/run", { token: key, body: { inputs: { question: "How do bees talk?" }, user: "u-1", response_mode: "blocking" } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.data).toMatchObject({ status: "succeeded", outputs: { answer: "Bees dance to share directions." }, total_tokens: 27, error: null });
    const [request] = await mockRequests();
    expect(request?.body).toMatchObject({ model: "mock-chat", temperature: 0.1, messages: [{ role: "system", content: "Answer briefly." }, { role: "user", content: "How do bees talk?" }] });
    expect(request?.headers.authorization).toBe("Bearer sk-mock-secret-123456");
  });

  it("streams the answer as text chunks and reports usage on the llm node", async () => {
    const { key } = await publishedLlmApp();
    await script({ text: "one two three", usage: { prompt_tokens: 5, completion_tokens: 3 } });
    const res = await call("POST", "/v1/workflows/run", { token: key, body: { inputs: { question: "count" }, user: "u-2", response_mode: "streaming" } });
    expect(res.status).toBe(200);
    const events = parseSse(res.text);
    const chunks = events.filter((e) => e.event === "text_chunk").map((e) => e.data.text);
    expect(chunks.join("")).toContain("one two three");
    expect(chunks.length).toBeGreaterThan(2);
    const llm = events.find((e) => e.event === "node_finished" && e.data.node_id === "llm");
    expect(llm.data.execution_metadata).toMatchObject({ total_tokens: 8, total_price: "0", currency: "USD" });
    expect(llm.data.outputs.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 3, total_tokens: 8, total_price: "0", currency: "USD" });
    expect(events.at(-1)).toMatchObject({ event: "workflow_finished", data: { status: "succeeded", total_tokens: 8, outputs: { answer: "one two three" } } });
  });

  it("uses changed or removed credentials from the very next request (credentials are cached per revision)", async () => {
    const { key, admin } = await publishedLlmApp();
    const run = () => call("POST", "/v1/workflows/run", { token: key, body: { inputs: { question: "who?" }, user: "u-rev", response_mode: "blocking" } });
    for (let i = 0; i < 2; i++) expect((await run()).json.data.status).toBe("succeeded");
    expect((await mockRequests()).map((request) => request.headers.authorization)).toEqual(["Bearer sk-mock-secret-123456", "Bearer sk-mock-secret-123456"]);

    const t = { token: admin };
    const changed = await call("POST", `${BASE}/openai_api_compatible/models`, { token: t.token, body: compatibleModel("sk-rotated-key-654321") });
    expect(changed.status, changed.text).toBe(201);
    await resetMockModel();
    expect((await run()).json.data.status).toBe("succeeded");
    expect((await mockRequests()).map((request) => request.headers.authorization)).toEqual(["Bearer sk-rotated-key-654321"]);

    const removed = await call("DELETE", `${BASE}/openai_api_compatible/models`, { token: t.token, body: { model: "mock-chat", model_type: "llm" } });
    expect(removed.status, removed.text).toBeLessThan(300);
    await resetMockModel();
    const after = await run();
    expect(after.json.data.status).toBe("failed");
    expect(await mockRequests()).toEqual([]);
  });

  it("fails the run with the provider's error when the model refuses", async () => {
    const { key } = await publishedLlmApp();
    await script({ kind: "fail", status: 400, message: "prompt too long" });
    const res = await call("POST", "/v1/workflows/run", { token: key, body: { inputs: { question: "x" }, user: "u-3", response_mode: "blocking" } });
    expect(res.json.data.status).toBe("failed");
    expect(res.json.data.error).toMatch(/prompt too long/);
  });
});
