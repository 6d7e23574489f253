import { beforeEach, describe, expect, it } from "vitest";
import { call, createAppAs, createKeyAs, parseSse, publishAs, seedTenant, type SeededTenant } from "./harness";
import { addMockModel, mockModelRequests, mockModelUrl, resetMockModel, scriptMockModel, llmChatflowGraph, MOCK_CHAT_MODEL } from "./mock-model";

// Content moderation (Dify's `sensitive_word_avoidance`, keywords type): flagged inputs are
// answered with the preset reply and never reach the model; a flagged answer is replaced with
// `message_replace` as soon as the keyword streams, and the message keeps the preset reply.

beforeEach(resetMockModel);

const MODEL = MOCK_CHAT_MODEL;
const INPUT_REPLY = "Let's talk about bees instead.";
const OUTPUT_REPLY = "[answer removed]";
const moderation = (keywords = "wasp\nHornet", config: Record<string, unknown> = {}) => ({
  enabled: true,
  type: "keywords",
  config: { keywords, inputs_config: { enabled: true, preset_response: INPUT_REPLY }, outputs_config: { enabled: true, preset_response: OUTPUT_REPLY }, ...config },
});

async function easyApp(t: SeededTenant, mode: "chat" | "completion", extra: Record<string, unknown> = {}) {
  const appId = await createAppAs(t.tokens.owner, mode, `${mode} app`);
  const draft = await call("GET", `/console/api/apps/${appId}/model-config`, { token: t.tokens.editor });
  const modelConfig = { ...draft.json.model_config, model: MODEL, pre_prompt: mode === "completion" ? "Write about {{topic}}." : "Be brief.", sensitive_word_avoidance: moderation(), ...extra };
  if (mode === "completion") modelConfig.user_input_form = [{ "text-input": { variable: "topic", label: "Topic", required: true } }];
  const saved = await call("POST", `/console/api/apps/${appId}/model-config`, { token: t.tokens.editor, body: { model_config: modelConfig, hash: draft.json.hash } });
  expect(saved.status, saved.text).toBe(200);
  await publishAs(t.tokens.editor, appId);
  return { appId, key: (await createKeyAs(t.tokens.owner, appId)).token };
}

const answerOf = (events: any[]) => events.filter((e) => e.event === "message").map((e) => e.answer).join("");

async function storedAnswer(key: string, conversationId: string, user: string): Promise<string> {
  const messages = await call("GET", `/v1/messages?conversation_id=${conversationId}&user=${user}`, { token: key });
  expect(messages.status, messages.text).toBe(200);
  return messages.json.data.at(-1).answer;
}

describe("keyword moderation on an easy-mode chat app", () => {
  it("answers flagged inputs with the preset reply without calling the model, streaming and blocking", async () => {
    const t = await seedTenant("mod-in");
    await addMockModel(t);
    const { key } = await easyApp(t, "chat");
    const streamed = await call("POST", "/v1/chat-messages", { token: key, body: { query: "Tell me about WASPS", inputs: {}, user: "u", response_mode: "streaming" } });
    expect(streamed.status, streamed.text).toBe(200);
    const events = parseSse(streamed.text);
    expect(events.at(-1).event).toBe("message_end");
    expect(answerOf(events)).toBe(INPUT_REPLY);
    expect(await storedAnswer(key, events[0].conversation_id, "u")).toBe(INPUT_REPLY);

    const blocking = await call("POST", "/v1/chat-messages", { token: key, body: { query: "and the hornet?", inputs: {}, user: "u", response_mode: "blocking" } });
    expect(blocking.status, blocking.text).toBe(200);
    expect(blocking.json).toMatchObject({ event: "message", answer: INPUT_REPLY, metadata: { usage: { total_tokens: 0 } } });
    expect(await mockModelRequests()).toHaveLength(0);
  });

  it("replaces a flagged answer as the keyword streams: message_replace, no more text, and the message keeps the preset reply", async () => {
    const t = await seedTenant("mod-out");
    await addMockModel(t);
    const { key } = await easyApp(t, "chat");
    await scriptMockModel({ text: "a big Hornet flew over the hive" }, { text: "bees make honey" }, { text: "one wasp" });
    const res = await call("POST", "/v1/chat-messages", { token: key, body: { query: "what flew by?", inputs: {}, user: "u", response_mode: "streaming" } });
    expect(res.status, res.text).toBe(200);
    const events = parseSse(res.text);
    const names = events.map((e) => e.event);
    const replace = events.find((e) => e.event === "message_replace");
    expect(replace).toMatchObject({ answer: OUTPUT_REPLY, reason: "output_moderation", message_id: events[0].message_id, conversation_id: events[0].conversation_id, task_id: events[0].task_id });
    // Text before the keyword had already gone out; nothing after the replacement does.
    expect(names.slice(names.indexOf("message_replace") + 1)).toEqual(["message_end"]);
    expect(answerOf(events)).not.toMatch(/hornet/i);
    expect(await storedAnswer(key, events[0].conversation_id, "u")).toBe(OUTPUT_REPLY);

    // An answer with no keyword is untouched.
    const clean = await call("POST", "/v1/chat-messages", { token: key, body: { query: "honey?", inputs: {}, user: "u", response_mode: "streaming" } });
    expect(parseSse(clean.text).map((e) => e.event)).not.toContain("message_replace");
    expect(answerOf(parseSse(clean.text))).toBe("bees make honey");

    // Blocking mode answers the preset reply.
    const blocking = await call("POST", "/v1/chat-messages", { token: key, body: { query: "count them", inputs: {}, user: "u", response_mode: "blocking" } });
    expect(blocking.status, blocking.text).toBe(200);
    expect(blocking.json.answer).toBe(OUTPUT_REPLY);
  });

  it("checks only the sides that are turned on", async () => {
    const t = await seedTenant("mod-side");
    await addMockModel(t);
    const { key } = await easyApp(t, "chat", { sensitive_word_avoidance: moderation("wasp", { inputs_config: { enabled: false, preset_response: "" } }) });
    await scriptMockModel({ text: "no insects here" });
    const res = await call("POST", "/v1/chat-messages", { token: key, body: { query: "a wasp?", inputs: {}, user: "u", response_mode: "blocking" } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.answer).toBe("no insects here");
  });
});

describe("keyword moderation on completion apps and chatflows", () => {
  it("a completion app checks its inputs", async () => {
    const t = await seedTenant("mod-comp");
    await addMockModel(t);
    const { key } = await easyApp(t, "completion");
    const res = await call("POST", "/v1/completion-messages", { token: key, body: { inputs: { topic: "wasp nests" }, user: "u", response_mode: "blocking" } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.answer).toBe(INPUT_REPLY);
    expect(await mockModelRequests()).toHaveLength(0);
  });

  it("a chatflow replaces a flagged answer and records the preset reply", async () => {
    const t = await seedTenant("mod-flow");
    await addMockModel(t);
    const appId = await createAppAs(t.tokens.owner, "advanced-chat", "chatflow");
    const draft = await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.editor });
    const graph = llmChatflowGraph();
    const saved = await call("POST", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.editor, body: { graph, features: { sensitive_word_avoidance: moderation() }, hash: draft.json.hash } });
    expect(saved.status, saved.text).toBe(200);
    await publishAs(t.tokens.editor, appId);
    const key = (await createKeyAs(t.tokens.owner, appId)).token;
    await scriptMockModel({ text: "the hornet is back" });
    const res = await call("POST", "/v1/chat-messages", { token: key, body: { query: "news?", inputs: {}, user: "u", response_mode: "streaming" } });
    expect(res.status, res.text).toBe(200);
    const events = parseSse(res.text);
    const names = events.map((e) => e.event);
    expect(names).toContain("message_replace");
    expect(names.slice(names.indexOf("message_replace") + 1).filter((name) => name === "message")).toEqual([]);
    expect(names.slice(-2)).toEqual(["message_end", "workflow_finished"]);
    expect(events.at(-1).data.status).toBe("succeeded");
    // The run's outputs carry the preset reply too, not the flagged answer.
    expect(events.at(-1).data.outputs).toEqual({ answer: OUTPUT_REPLY });
    expect(await storedAnswer(key, events[0].conversation_id, "u")).toBe(OUTPUT_REPLY);
  });
});

describe("moderation Waggle cannot apply", () => {
  it("an unfinished setting stops publishing with Dify's reasons; another type stops runs and imports say so", async () => {
    const t = await seedTenant("mod-bad");
    await addMockModel(t);
    const appId = await createAppAs(t.tokens.owner, "chat", "chat app");
    const draft = await call("GET", `/console/api/apps/${appId}/model-config`, { token: t.tokens.editor });
    const save = async (setting: unknown, hash: string) => {
      const res = await call("POST", `/console/api/apps/${appId}/model-config`, { token: t.tokens.editor, body: { model_config: { ...draft.json.model_config, model: MODEL, sensitive_word_avoidance: setting }, hash } });
      expect(res.status, res.text).toBe(200);
      return res.json.hash as string;
    };
    let hash = await save(moderation("", { outputs_config: { enabled: true, preset_response: "" } }), draft.json.hash);
    const refused = await call("POST", `/console/api/apps/${appId}/workflows/publish`, { token: t.tokens.editor, body: {} });
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ code: "invalid_param", status: 400 });
    expect(refused.json.message).toContain("keywords are required");
    expect(refused.json.message).toContain("preset reply for flagged outputs is required");

    hash = await save({ enabled: true, type: "api", config: { api_based_extension_id: "ext-1", inputs_config: { enabled: true, preset_response: "no" } } }, hash);
    const debug = await call("POST", `/console/api/apps/${appId}/chat-messages`, { token: t.tokens.editor, body: { query: "hi", inputs: {}, response_mode: "blocking" } });
    expect(debug.status).toBe(400);
    expect(debug.json).toMatchObject({ code: "app_unavailable", status: 400 });
    expect(debug.json.message).toMatch(/uses API extension, which Waggle does not run/);
    expect(await mockModelRequests()).toHaveLength(0);

    const yaml = [
      "version: 0.3.0",
      "kind: app",
      "app: { name: Moderated, mode: chat, icon: '🤖', icon_background: '#FFEAD5', description: '' }",
      "model_config:",
      "  model: { provider: openai, name: gpt-4o-mini, mode: chat, completion_params: {} }",
      "  pre_prompt: ''",
      "  sensitive_word_avoidance: { enabled: true, type: api, config: { api_based_extension_id: x, inputs_config: { enabled: true }, outputs_config: { enabled: false } } }",
    ].join("\n");
    const imported = await call("POST", "/console/api/apps/imports", { token: t.tokens.editor, body: { mode: "yaml-content", yaml_content: yaml } });
    expect(imported.status, imported.text).toBe(200);
    expect(imported.json.status).toBe("completed-with-warnings");
    expect(JSON.stringify(imported.json)).toMatch(/uses API extension, which Waggle does not run/);
  });
});

describe("OpenAI Moderation", () => {
  const openaiModeration = { enabled: true, type: "openai_moderation", config: { inputs_config: { enabled: true, preset_response: INPUT_REPLY }, outputs_config: { enabled: true, preset_response: OUTPUT_REPLY } } };
  const moderationCalls = async () => (await mockModelRequests()).filter((request) => request.path === "/v1/moderations");

  it("needs the workspace's OpenAI provider, and says so", async () => {
    const t = await seedTenant("oai-none");
    await addMockModel(t);
    const { key } = await easyApp(t, "chat", { sensitive_word_avoidance: openaiModeration });
    const res = await call("POST", "/v1/chat-messages", { token: key, body: { query: "hello", inputs: {}, user: "u", response_mode: "blocking" } });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: "provider_not_initialize", status: 400 });
    expect(res.json.message).toContain("Content moderation failed");
    expect(res.json.message).toContain("OpenAI provider's API key");
  });

  it("asks the provider about the inputs and the answer: a flagged message gets the preset reply, a flagged answer is replaced", async () => {
    const t = await seedTenant("oai-mod");
    await addMockModel(t);
    const provider = await call("POST", "/console/api/workspaces/current/model-providers/openai/credentials", { token: t.tokens.admin, body: { credentials: { openai_api_key: "sk-moderation", openai_api_base: mockModelUrl } } });
    expect(provider.status, provider.text).toBe(201);
    const { key } = await easyApp(t, "chat", { sensitive_word_avoidance: openaiModeration });
    await resetMockModel();

    const flaggedInput = await call("POST", "/v1/chat-messages", { token: key, body: { query: "how much venom is there?", inputs: {}, user: "u", response_mode: "blocking" } });
    expect(flaggedInput.status, flaggedInput.text).toBe(200);
    expect(flaggedInput.json.answer).toBe(INPUT_REPLY);
    expect(await moderationCalls()).toEqual([expect.objectContaining({ body: { model: "omni-moderation-latest", input: "how much venom is there?" } })]);
    expect((await mockModelRequests()).filter((request) => request.path.endsWith("/chat/completions"))).toHaveLength(0);

    // The answer is checked when it ends (it is shorter than one 300-character buffer).
    await scriptMockModel({ text: "it has a sharp stinger" });
    const streamed = await call("POST", "/v1/chat-messages", { token: key, body: { query: "tell me about the bee", inputs: {}, user: "u", response_mode: "streaming" } });
    expect(streamed.status, streamed.text).toBe(200);
    const events = parseSse(streamed.text);
    expect(events.map((e) => e.event).slice(-2)).toEqual(["message_replace", "message_end"]);
    expect(events.at(-2)).toMatchObject({ answer: OUTPUT_REPLY, reason: "output_moderation" });
    expect(await storedAnswer(key, events[0].conversation_id, "u")).toBe(OUTPUT_REPLY);
    expect((await moderationCalls()).map((request) => request.body.input)).toEqual(["how much venom is there?", "tell me about the bee", "it has a sharp stinger"]);

    // A long answer is checked every 300 characters as it streams, and once more at the end.
    await resetMockModel();
    const long = Array.from({ length: 80 }, (_, i) => `word${i}`).join(" ");
    await scriptMockModel({ text: long });
    const clean = await call("POST", "/v1/chat-messages", { token: key, body: { query: "talk a while", inputs: {}, user: "u", response_mode: "streaming" } });
    const cleanEvents = parseSse(clean.text);
    expect(cleanEvents.map((e) => e.event)).not.toContain("message_replace");
    expect(cleanEvents.filter((e) => e.event === "message").map((e) => e.answer).join("")).toBe(long);
    const answerChecks = (await moderationCalls()).map((request) => request.body.input as string).slice(1);
    expect(answerChecks.length).toBeGreaterThanOrEqual(2);
    expect(answerChecks[0]!.length).toBeGreaterThanOrEqual(300);
    expect(answerChecks.at(-1)).toBe(long);
  });
});
