/**
 * What the console's Logs tab and Settings → Usage read: who started each run and conversation,
 * keyword search over runs, and this month's usage per app and per model.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { call, createAppAs, createKeyAs, publishAs, seedTenant } from "./harness";
import { mockModelUrl, resetMockModel, scriptMockModel } from "./mock-model";

beforeEach(resetMockModel);

const MODEL = { provider: "langgenius/openai_api_compatible/openai_api_compatible", name: "mock-chat", mode: "chat", completion_params: {} };

describe("console logs and usage", () => {
  it("names who started runs and conversations, finds runs by keyword, and breaks usage down per app and model", async () => {
    const t = await seedTenant("logs");
    const saved = await call("POST", "/console/api/workspaces/current/model-providers/openai_api_compatible/models", {
      token: t.tokens.admin,
      body: { model: "mock-chat", model_type: "llm", credentials: { endpoint_url: `${mockModelUrl}/v1`, api_key: "sk-mock", mode: "chat", context_size: "4096" } },
    });
    expect(saved.status, saved.text).toBe(201);

    // A workflow with one LLM node, run by an API caller and from the console.
    const flowId = await createAppAs(t.tokens.owner, "workflow", "Summarizer");
    const graph = {
      nodes: [
        { id: "start", data: { type: "start", title: "Start", variables: [{ variable: "topic", label: "Topic", type: "text-input", required: true }] } },
        { id: "llm", data: { type: "llm", title: "Write", model: MODEL, prompt_template: [{ role: "user", text: "{{#start.topic#}}" }] } },
        { id: "end", data: { type: "end", title: "End", outputs: [{ variable: "text", value_selector: ["llm", "text"] }] } },
      ],
      edges: [
        { id: "e1", source: "start", target: "llm", sourceHandle: "source", targetHandle: "target" },
        { id: "e2", source: "llm", target: "end", sourceHandle: "source", targetHandle: "target" },
      ],
    };
    expect((await call("POST", `/console/api/apps/${flowId}/workflows/draft`, { token: t.tokens.owner, body: { graph } })).status).toBe(200);
    await publishAs(t.tokens.owner, flowId);
    const key = (await createKeyAs(t.tokens.owner, flowId)).token;
    await scriptMockModel({ text: "about bees", usage: { prompt_tokens: 7, completion_tokens: 3 } }, { text: "about wasps", usage: { prompt_tokens: 4, completion_tokens: 2 } });
    const apiRun = await call("POST", "/v1/workflows/run", { token: key, body: { inputs: { topic: "bees" }, user: "reader-42", response_mode: "blocking" } });
    expect(apiRun.status, apiRun.text).toBe(200);
    const debug = await call("POST", `/console/api/apps/${flowId}/workflows/draft/run`, { token: t.tokens.editor, body: { inputs: { topic: "wasps" } } });
    expect(debug.status).toBe(200);
    await debug.text;

    const list = async (query = "") => {
      let json: any;
      await expect.poll(async () => (json = (await call("GET", `/console/api/apps/${flowId}/workflow-runs${query}`, { token: t.tokens.normal })).json).total).toBeGreaterThan(0);
      return json;
    };
    const all = await list();
    expect(all.total).toBe(2);
    const byRole = Object.fromEntries(all.data.map((run: any) => [run.created_by_role, run]));
    expect(byRole.end_user).toMatchObject({ triggered_from: "app-run", total_tokens: 10, created_by_end_user: { session_id: "reader-42" }, created_by_account: null });
    expect(byRole.account).toMatchObject({ triggered_from: "debugging", total_tokens: 6, created_by_account: { id: t.accountIds.editor, name: expect.any(String) }, created_by_end_user: null });
    const found = await list("?keyword=bees");
    expect(found.data.map((run: any) => run.id)).toEqual([byRole.end_user.id]);
    const detail = await call("GET", `/console/api/apps/${flowId}/workflow-runs/${byRole.end_user.id}`, { token: t.tokens.normal });
    expect(detail.json).toMatchObject({ inputs: { topic: "bees" }, outputs: { text: "about bees" }, created_by_end_user: { session_id: "reader-42" } });

    // A chat app's conversation from an API caller names its `user`.
    const chatId = await createAppAs(t.tokens.owner, "chat", "Helper");
    const draft = await call("GET", `/console/api/apps/${chatId}/model-config`, { token: t.tokens.owner });
    await call("POST", `/console/api/apps/${chatId}/model-config`, { token: t.tokens.owner, body: { model_config: { ...draft.json.model_config, model: MODEL }, hash: draft.json.hash } });
    await publishAs(t.tokens.owner, chatId);
    const chatKey = (await createKeyAs(t.tokens.owner, chatId)).token;
    await scriptMockModel({ text: "hello", usage: { prompt_tokens: 20, completion_tokens: 5 } });
    expect((await call("POST", "/v1/chat-messages", { token: chatKey, body: { query: "hi", inputs: {}, user: "visitor-7", response_mode: "blocking" } })).status).toBe(200);
    const conversations = await call("GET", `/console/api/apps/${chatId}/chat-conversations`, { token: t.tokens.editor });
    expect(conversations.json.data).toEqual([expect.objectContaining({ from_source: "api", from_end_user_session_id: "visitor-7", from_account_name: null, message_count: 1 })]);
    const one = await call("GET", `/console/api/apps/${chatId}/chat-conversations/${conversations.json.data[0].id}`, { token: t.tokens.editor });
    expect(one.json).toEqual(conversations.json.data[0]);
    expect((await call("GET", `/console/api/apps/${flowId}/chat-conversations/${conversations.json.data[0].id}`, { token: t.tokens.editor })).status).toBe(404);

    let usage: any;
    await expect.poll(async () => (usage = (await call("GET", "/console/api/workspaces/current/usage", { token: t.tokens.normal })).json).tokens_used).toBe(41);
    expect(usage).toMatchObject({ calls: 3, currency: "USD", monthly_token_quota: null });
    expect(usage.by_app).toEqual([
      expect.objectContaining({ app_id: chatId, app_name: "Helper", app_mode: "chat", tokens: 25, calls: 1 }),
      expect.objectContaining({ app_id: flowId, app_name: "Summarizer", app_mode: "workflow", tokens: 16, calls: 2 }),
    ]);
    expect(usage.by_model).toEqual([expect.objectContaining({ model: "mock-chat", tokens: 41, calls: 3 })]);
    expect(typeof usage.total_price).toBe("number");
  });
});
