import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { SecretBox } from "../../core/security";
import { call, createAppAs, createKeyAs, publishAs, seedTenant, type SeededTenant } from "./harness";
import { mockModelRequests, mockModelUrl, resetMockModel, scriptMockModel, llmChatflowGraph, MOCK_CHAT_MODEL } from "./mock-model";

beforeEach(resetMockModel);

const MODEL = MOCK_CHAT_MODEL;
const EMBEDDING = { embedding_provider_name: "langgenius/openai_api_compatible/openai_api_compatible", embedding_model_name: "mock-embed" };

/** The mock server's chat model and embedding model, as the workspace's models. */
async function addMockModels(t: SeededTenant) {
  for (const [model, model_type] of [["mock-chat", "llm"], ["mock-embed", "text-embedding"]] as const) {
    const saved = await call("POST", "/console/api/workspaces/current/model-providers/openai_api_compatible/models", {
      token: t.tokens.admin,
      body: { model, model_type, credentials: { endpoint_url: `${mockModelUrl}/v1`, api_key: "sk-mock", mode: "chat", context_size: "4096" } },
    });
    expect(saved.status, saved.text).toBe(201);
  }
  await resetMockModel();
}

/** A published chat app on the mock model, and its key. */
async function chatApp(t: SeededTenant) {
  const appId = await createAppAs(t.tokens.owner, "chat", "Support bot");
  const draft = await call("GET", `/console/api/apps/${appId}/model-config`, { token: t.tokens.editor });
  const saved = await call("POST", `/console/api/apps/${appId}/model-config`, { token: t.tokens.editor, body: { model_config: { ...draft.json.model_config, model: MODEL, pre_prompt: "Be brief." }, hash: draft.json.hash } });
  expect(saved.status, saved.text).toBe(200);
  await publishAs(t.tokens.editor, appId);
  return { appId, key: (await createKeyAs(t.tokens.owner, appId)).token };
}

/** A published chatflow (start → llm → answer) on the mock model, and its key. */
async function chatflowApp(t: SeededTenant) {
  const appId = await createAppAs(t.tokens.owner, "advanced-chat", "Support flow");
  const draft = await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.editor });
  const graph = llmChatflowGraph();
  const saved = await call("POST", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.editor, body: { graph, features: {}, hash: draft.json.hash } });
  expect(saved.status, saved.text).toBe(200);
  await publishAs(t.tokens.editor, appId);
  return { appId, key: (await createKeyAs(t.tokens.owner, appId)).token };
}

function parseSse(text: string): any[] {
  return text
    .split("\n\n")
    .map((frame) => frame.split("\n").find((line) => line.startsWith("data: ")))
    .filter((line): line is string => Boolean(line))
    .map((line) => JSON.parse(line.slice(6)));
}

async function addAnnotation(key: string, question: string, answer: string) {
  const res = await call("POST", "/v1/apps/annotations", { token: key, body: { question, answer } });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

/** Enables annotation reply through the job API and waits for the job to finish. */
async function enableReply(key: string, scoreThreshold = 0.95, model = EMBEDDING) {
  const started = await call("POST", "/v1/apps/annotation-reply/enable", { token: key, body: { ...model, score_threshold: scoreThreshold } });
  expect(started.status, started.text).toBe(200);
  expect(["waiting", "processing"]).toContain(started.json.job_status);
  let status: any;
  await expect
    .poll(async () => {
      status = (await call("GET", `/v1/apps/annotation-reply/enable/status/${started.json.job_id}`, { token: key })).json;
      return status.job_status;
    }, { timeout: 10_000 })
    .toMatch(/completed|error/);
  return { jobId: started.json.job_id as string, status };
}

const chatCalls = async () => (await mockModelRequests()).filter((request) => request.path.endsWith("/chat/completions"));
const embeddingCalls = async () => (await mockModelRequests()).filter((request) => request.path.endsWith("/embeddings"));

describe("annotations CRUD (service API and console)", () => {
  it("creates, lists page by page, updates and deletes with Dify's shapes", async () => {
    const t = await seedTenant("ann");
    const { appId, key } = await chatApp(t);
    const created = [];
    for (let i = 1; i <= 5; i++) created.push(await addAnnotation(key, `Question ${i}?`, `Answer ${i}.`));
    expect(created[0]).toEqual({ id: expect.any(String), question: "Question 1?", answer: "Answer 1.", hit_count: 0, created_at: expect.any(Number) });

    const first = await call("GET", "/v1/apps/annotations?page=1&limit=2", { token: key });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ has_more: true, limit: 2, total: 5, page: 1 });
    expect(first.json.data.map((a: any) => a.question)).toEqual(["Question 5?", "Question 4?"]);
    const last = await call("GET", "/v1/apps/annotations?page=3&limit=2", { token: key });
    expect(last.json).toMatchObject({ has_more: false, total: 5, page: 3 });
    expect(last.json.data.map((a: any) => a.question)).toEqual(["Question 1?"]);
    const searched = await call("GET", "/v1/apps/annotations?keyword=Answer%203", { token: key });
    expect(searched.json.data.map((a: any) => a.id)).toEqual([created[2].id]);

    const updated = await call("PUT", `/v1/apps/annotations/${created[0].id}`, { token: key, body: { question: "Question one?", answer: "Answer one." } });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.json).toMatchObject({ id: created[0].id, question: "Question one?", answer: "Answer one.", hit_count: 0 });

    const deleted = await call("DELETE", `/v1/apps/annotations/${created[1].id}`, { token: key });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");
    expect((await call("GET", "/v1/apps/annotations", { token: key })).json.total).toBe(4);

    // The console sees the same annotations and edits them (Dify's console routes).
    const consoleList = await call("GET", `/console/api/apps/${appId}/annotations?limit=10`, { token: t.tokens.editor });
    expect(consoleList.status).toBe(200);
    expect(consoleList.json.data.map((a: any) => a.question)).toEqual(["Question 5?", "Question 4?", "Question 3?", "Question one?"]);
    const consoleCreated = await call("POST", `/console/api/apps/${appId}/annotations`, { token: t.tokens.editor, body: { question: "From the console?", answer: "Yes." } });
    expect(consoleCreated.status, consoleCreated.text).toBe(200);
    const consoleUpdated = await call("POST", `/console/api/apps/${appId}/annotations/${consoleCreated.json.id}`, { token: t.tokens.editor, body: { question: "From the console?", answer: "Yes, edited." } });
    expect(consoleUpdated.json.answer).toBe("Yes, edited.");
    expect((await call("DELETE", `/console/api/apps/${appId}/annotations/${consoleCreated.json.id}`, { token: t.tokens.editor })).status).toBe(204);
    const byMember = await call("GET", `/console/api/apps/${appId}/annotations`, { token: t.tokens.normal });
    expect(byMember.status).toBe(403);
    // Service-API annotations are written by the workspace owner, as in Dify.
    const row = await env.DB.prepare("SELECT created_by FROM app_annotations WHERE id = ?").bind(created[0].id).first<string>("created_by");
    expect(row).toBe(t.accountIds.owner);
  });

  it("answers unknown annotations, bad bodies and bad actions in Dify's error envelope", async () => {
    const t = await seedTenant("anne");
    const { key } = await chatApp(t);
    const missing = crypto.randomUUID();
    for (const res of [
      await call("PUT", `/v1/apps/annotations/${missing}`, { token: key, body: { question: "q", answer: "a" } }),
      await call("DELETE", `/v1/apps/annotations/${missing}`, { token: key }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ code: "not_found", message: "Annotation not found.", status: 404 });
    }
    const noQuestion = await call("POST", "/v1/apps/annotations", { token: key, body: { answer: "a" } });
    expect(noQuestion.status).toBe(400);
    expect(noQuestion.json).toMatchObject({ code: "invalid_param", message: expect.stringContaining("question is required") });
    const badAction = await call("POST", "/v1/apps/annotation-reply/toggle", { token: key, body: { ...EMBEDDING, score_threshold: 0.9 } });
    expect(badAction.status).toBe(400);
    expect(badAction.json).toMatchObject({ code: "invalid_param", message: expect.stringContaining("use enable or disable") });
    const unknownJob = await call("GET", `/v1/apps/annotation-reply/enable/status/${crypto.randomUUID()}`, { token: key });
    expect(unknownJob.status).toBe(404);
    expect(unknownJob.json).toMatchObject({ code: "not_found", message: "The job does not exist." });
    const noThreshold = await call("POST", "/v1/apps/annotation-reply/enable", { token: key, body: EMBEDDING });
    expect(noThreshold.json).toMatchObject({ code: "invalid_param", message: expect.stringContaining("score_threshold") });
    // No credentials for the embedding model: the message says where to add them.
    const noModel = await call("POST", "/v1/apps/annotation-reply/enable", { token: key, body: { ...EMBEDDING, score_threshold: 0.9 } });
    expect(noModel.status).toBe(400);
    expect(noModel.json).toMatchObject({ code: "provider_not_initialize", status: 400, message: expect.stringMatching(/mock-embed.*Settings → Model providers/) });
    const unknownProvider = await call("POST", "/v1/apps/annotation-reply/enable", { token: key, body: { embedding_provider_name: "nope", embedding_model_name: "x", score_threshold: 0.9 } });
    expect(unknownProvider.status).toBe(400);
    expect(unknownProvider.json.message).toContain('Embedding provider "nope" does not exist');
  });

  it("keeps each workspace's annotations to itself", async () => {
    const a = await seedTenant("annA");
    const b = await seedTenant("annB");
    const appA = await chatApp(a);
    const appB = await chatApp(b);
    const secret = await addAnnotation(appA.key, "Secret question of A?", "Secret answer of A.");
    await addAnnotation(appB.key, "Question of B?", "Answer of B.");
    const listedByB = await call("GET", "/v1/apps/annotations", { token: appB.key });
    expect(listedByB.json.total).toBe(1);
    expect(listedByB.text).not.toContain("Secret");
    expect((await call("PUT", `/v1/apps/annotations/${secret.id}`, { token: appB.key, body: { question: "hijack", answer: "hijack" } })).status).toBe(404);
    expect((await call("DELETE", `/v1/apps/annotations/${secret.id}`, { token: appB.key })).status).toBe(404);
    expect((await call("GET", `/console/api/apps/${appA.appId}/annotations`, { token: b.tokens.owner })).status).toBe(404);
    expect((await call("POST", `/console/api/apps/${appA.appId}/annotations/${secret.id}`, { token: b.tokens.owner, body: { question: "x", answer: "y" } })).status).toBe(404);
    // Another app of the same workspace has its own annotations too.
    const otherApp = await chatApp(a);
    expect((await call("GET", "/v1/apps/annotations", { token: otherApp.key })).json.total).toBe(0);
    expect((await call("DELETE", `/v1/apps/annotations/${secret.id}`, { token: otherApp.key })).status).toBe(404);
    const stillThere = await call("GET", "/v1/apps/annotations", { token: appA.key });
    expect(stillThere.json.data).toEqual([expect.objectContaining({ id: secret.id, question: "Secret question of A?" })]);
  });
});

describe("annotation reply", () => {
  it("enabling embeds every existing question; /parameters reports the setting; disabling turns it off", async () => {
    const t = await seedTenant("annr");
    await addMockModels(t);
    const { appId, key } = await chatApp(t);
    await addAnnotation(key, "How do I reset my password?", "Open Settings, then Security.");
    await addAnnotation(key, "What are your opening hours?", "Nine to five.");
    expect((await call("GET", "/v1/parameters", { token: key })).json.annotation_reply).toEqual({ enabled: false });

    const { status } = await enableReply(key, 0.9);
    expect(status).toEqual({ job_id: expect.any(String), job_status: "completed", error_msg: "" });
    const embedded = (await embeddingCalls()).flatMap((request) => request.body.input);
    expect(embedded).toEqual(expect.arrayContaining(["How do I reset my password?", "What are your opening hours?"]));

    const parameters = (await call("GET", "/v1/parameters", { token: key })).json;
    expect(parameters.annotation_reply).toEqual({ id: expect.any(String), enabled: true, score_threshold: 0.9, embedding_model: EMBEDDING });
    const setting = await call("GET", `/console/api/apps/${appId}/annotation-setting`, { token: t.tokens.editor });
    expect(setting.json).toEqual(parameters.annotation_reply);
    const changed = await call("POST", `/console/api/apps/${appId}/annotation-settings/${setting.json.id}`, { token: t.tokens.editor, body: { score_threshold: 0.8 } });
    expect(changed.json.score_threshold).toBe(0.8);

    const disabled = await call("POST", "/v1/apps/annotation-reply/disable", { token: key, body: { ...EMBEDDING, score_threshold: 0.8 } });
    expect(disabled.status).toBe(200);
    await expect.poll(async () => (await call("GET", `/v1/apps/annotation-reply/disable/status/${disabled.json.job_id}`, { token: key })).json.job_status).toBe("completed");
    expect((await call("GET", "/v1/parameters", { token: key })).json.annotation_reply).toEqual({ enabled: false });
    // The job's id belongs to its action.
    expect((await call("GET", `/v1/apps/annotation-reply/enable/status/${disabled.json.job_id}`, { token: key })).status).toBe(404);
  });

  it("a matching query gets the annotation's answer without the model, blocking and streaming; hits are counted", async () => {
    const t = await seedTenant("annh");
    await addMockModels(t);
    const { appId, key } = await chatApp(t);
    const annotation = await addAnnotation(key, "How do I reset my password?", "Open Settings, then Security, then Reset password.");
    await enableReply(key, 0.95);
    await resetMockModel();

    const blocking = await call("POST", "/v1/chat-messages", { token: key, body: { query: "How do I reset my password?", inputs: {}, user: "u-1", response_mode: "blocking" } });
    expect(blocking.status, blocking.text).toBe(200);
    expect(blocking.json).toMatchObject({
      event: "message",
      mode: "chat",
      answer: "Open Settings, then Security, then Reset password.",
      metadata: { annotation_reply: { id: annotation.id, account: { id: t.accountIds.owner, name: expect.stringContaining("owner") } }, usage: { total_tokens: 0 } },
    });
    expect(blocking.json.id).toBe(blocking.json.message_id);

    const streaming = await call("POST", "/v1/chat-messages", {
      token: key,
      body: { query: "How do I reset my password?", inputs: {}, user: "u-1", response_mode: "streaming", conversation_id: blocking.json.conversation_id },
    });
    expect(streaming.status).toBe(200);
    expect(streaming.headers.get("content-type")).toContain("text/event-stream");
    const events = parseSse(streaming.text);
    expect(events.at(-1)).toMatchObject({ event: "message_end", conversation_id: blocking.json.conversation_id, metadata: { annotation_reply: { id: annotation.id, account: { id: t.accountIds.owner } } } });
    expect(events.slice(0, -1).every((event) => event.event === "message")).toBe(true);
    expect(events.filter((event) => event.event === "message").map((event) => event.answer).join("")).toBe("Open Settings, then Security, then Reset password.");
    for (const event of events) expect(event).toMatchObject({ task_id: events.at(-1).task_id, message_id: events.at(-1).message_id });

    // No chat completion was requested: only the queries were embedded.
    expect(await chatCalls()).toEqual([]);
    expect((await embeddingCalls()).length).toBe(2);

    // The turns are stored like any other (zero tokens), and the annotation counts its hits.
    const messages = await call("GET", `/v1/messages?conversation_id=${blocking.json.conversation_id}&user=u-1`, { token: key });
    expect(messages.json.data.map((m: any) => [m.query, m.answer, m.message_tokens, m.answer_tokens])).toEqual([
      ["How do I reset my password?", "Open Settings, then Security, then Reset password.", 0, 0],
      ["How do I reset my password?", "Open Settings, then Security, then Reset password.", 0, 0],
    ]);
    const conversations = await call("GET", "/v1/conversations?user=u-1", { token: key });
    expect(conversations.json.data).toEqual([expect.objectContaining({ id: blocking.json.conversation_id, name: "How do I reset my password?" })]);
    const listed = await call("GET", "/v1/apps/annotations", { token: key });
    expect(listed.json.data[0]).toMatchObject({ id: annotation.id, hit_count: 2 });
    const histories = await call("GET", `/console/api/apps/${appId}/annotations/${annotation.id}/hit-histories`, { token: t.tokens.editor });
    expect(histories.json).toMatchObject({ total: 2, has_more: false });
    expect(histories.json.data[0]).toMatchObject({ source: "api", question: "How do I reset my password?", match: "How do I reset my password?", response: "Open Settings, then Security, then Reset password." });
    expect(histories.json.data[0].score).toBeGreaterThanOrEqual(0.95);
  });

  it("a query below the threshold goes to the model, and a new or edited annotation answers at once", async () => {
    const t = await seedTenant("annm");
    await addMockModels(t);
    const { key } = await chatApp(t);
    const annotation = await addAnnotation(key, "How do I reset my password?", "Open Settings.");
    await enableReply(key, 0.99);
    await resetMockModel();
    await scriptMockModel({ text: "From the model.", usage: { prompt_tokens: 4, completion_tokens: 3 } });

    const other = await call("POST", "/v1/chat-messages", { token: key, body: { query: "zzzz zzzz", inputs: {}, user: "u", response_mode: "blocking" } });
    expect(other.status, other.text).toBe(200);
    expect(other.json.answer).toBe("From the model.");
    expect(other.json.metadata.annotation_reply).toBeUndefined();
    expect((await chatCalls()).length).toBe(1);
    expect((await call("GET", "/v1/apps/annotations", { token: key })).json.data[0].hit_count).toBe(0);

    // Added while reply is on: indexed as it is written.
    await addAnnotation(key, "zzzz zzzz", "Sleepy answer.");
    const sleepy = await call("POST", "/v1/chat-messages", { token: key, body: { query: "zzzz zzzz", inputs: {}, user: "u", response_mode: "blocking" } });
    expect(sleepy.json).toMatchObject({ answer: "Sleepy answer.", metadata: { annotation_reply: { account: { id: t.accountIds.owner } } } });
    // Edited question: the old one no longer matches, the new one does.
    await call("PUT", `/v1/apps/annotations/${annotation.id}`, { token: key, body: { question: "Where is the invoice?", answer: "In Billing." } });
    await scriptMockModel({ text: "Model again." });
    expect((await call("POST", "/v1/chat-messages", { token: key, body: { query: "How do I reset my password?", inputs: {}, user: "u", response_mode: "blocking" } })).json.answer).toBe("Model again.");
    expect((await call("POST", "/v1/chat-messages", { token: key, body: { query: "Where is the invoice?", inputs: {}, user: "u", response_mode: "blocking" } })).json.answer).toBe("In Billing.");
    // Deleted: the model answers again.
    await call("DELETE", `/v1/apps/annotations/${annotation.id}`, { token: key });
    await scriptMockModel({ text: "Model once more." });
    expect((await call("POST", "/v1/chat-messages", { token: key, body: { query: "Where is the invoice?", inputs: {}, user: "u", response_mode: "blocking" } })).json.answer).toBe("Model once more.");
    expect((await chatCalls()).length).toBe(3);
  });

  it("answers chatflows and console debugging from annotations too", async () => {
    const t = await seedTenant("annf");
    await addMockModels(t);
    const flow = await chatflowApp(t);
    await addAnnotation(flow.key, "What is Waggle?", "An LLM app platform.");
    await enableReply(flow.key, 0.95);
    await resetMockModel();
    const streamed = await call("POST", "/v1/chat-messages", { token: flow.key, body: { query: "What is Waggle?", inputs: {}, user: "u", response_mode: "streaming" } });
    const events = parseSse(streamed.text);
    expect(events.map((event) => event.event).at(-1)).toBe("message_end");
    expect(events.filter((event) => event.event === "message").map((event) => event.answer).join("")).toBe("An LLM app platform.");

    const chat = await chatApp(t);
    const consoleAnnotation = await call("POST", `/console/api/apps/${chat.appId}/annotations`, { token: t.tokens.editor, body: { question: "Who wrote this?", answer: "The editor." } });
    const enabled = await call("POST", `/console/api/apps/${chat.appId}/annotation-reply/enable`, { token: t.tokens.editor, body: { ...EMBEDDING, score_threshold: 0.95 } });
    expect(enabled.status, enabled.text).toBe(200);
    await expect
      .poll(async () => (await call("GET", `/console/api/apps/${chat.appId}/annotation-reply/enable/status/${enabled.json.job_id}`, { token: t.tokens.editor })).json.job_status)
      .toBe("completed");
    const debug = await call("POST", `/console/api/apps/${chat.appId}/chat-messages`, { token: t.tokens.editor, body: { query: "Who wrote this?", inputs: {}, response_mode: "blocking" } });
    expect(debug.status, debug.text).toBe(200);
    expect(debug.json).toMatchObject({ answer: "The editor.", metadata: { annotation_reply: { id: consoleAnnotation.json.id, account: { id: t.accountIds.editor, name: expect.stringContaining("editor") } } } });
    const histories = await call("GET", `/console/api/apps/${chat.appId}/annotations/${consoleAnnotation.json.id}/hit-histories`, { token: t.tokens.editor });
    expect(histories.json.data[0]).toMatchObject({ source: "console" });
    expect(await chatCalls()).toEqual([]);
  });

  it("an enable job whose model fails reports error with the reason, and reply stays off", async () => {
    const t = await seedTenant("annx");
    await addMockModels(t);
    const { key } = await chatApp(t);
    await addAnnotation(key, "Anything?", "Something.");
    // The stored key goes bad after it was validated: the job starts, then the embedding call is refused.
    const box = await SecretBox.fromSecret(env.WAGGLE_SECRET_KEY);
    const sealed = await box.seal(JSON.stringify({ endpoint_url: `${mockModelUrl}/v1`, api_key: "invalid-key", context_size: "4096" }));
    await env.DB.prepare("UPDATE provider_credentials SET encrypted_config = ? WHERE tenant_id = ? AND model_name = 'mock-embed'").bind(sealed, t.tenantId).run();
    const { status } = await enableReply(key, 0.9);
    expect(status.job_status).toBe("error");
    expect(status.error_msg).toMatch(/embedding model.*API key/i);
    expect((await call("GET", "/v1/parameters", { token: key })).json.annotation_reply).toEqual({ enabled: false });
  });
});
