/**
 * Apps exported from Dify 1.x, one per app mode (test/fixtures/dify-exports, DSL 0.1.5–0.3.1,
 * as Dify writes them: plugin dependencies, `langgenius/openai/openai` models, `model_config` for
 * the easy modes and `workflow` for the graph modes), imported through the console, published and
 * run through `/v1` in blocking and streaming mode. The workspace's OpenAI provider points at the
 * mock model server, so the real OpenAI provider code carries every call.
 */
import { beforeEach, describe, expect, it } from "vitest";
import advancedChat from "../fixtures/dify-exports/advanced-chat.yml?raw";
import agentChat from "../fixtures/dify-exports/agent-chat.yml?raw";
import chat from "../fixtures/dify-exports/chat.yml?raw";
import completion from "../fixtures/dify-exports/completion.yml?raw";
import workflow from "../fixtures/dify-exports/workflow.yml?raw";
import { call, createKeyAs, parseSse, publishAs, seedTenant } from "./harness";
import { mockModelRequests, mockModelUrl, resetMockModel, scriptMockModel } from "./mock-model";

beforeEach(resetMockModel);

const OPENAI_KEY = "sk-dify-export-test-0001";

/**
 * Imports a Dify export into a fresh workspace whose OpenAI provider is the mock model server,
 * publishes it and returns the app id and a service key. Older DSL versions import with the
 * version warning, and with nothing else: every plugin, node and tool in these exports is native.
 */
async function importAndPublish(yaml: string, mode: string, version: string) {
  const t = await seedTenant("export");
  const provider = await call("POST", "/console/api/workspaces/current/model-providers/openai/credentials", {
    token: t.tokens.admin,
    body: { credentials: { openai_api_key: OPENAI_KEY, openai_api_base: mockModelUrl } },
  });
  expect(provider.status, provider.text).toBe(201);
  await resetMockModel();

  const imported = await call("POST", "/console/api/apps/imports", { token: t.tokens.editor, body: { mode: "yaml-content", yaml_content: yaml } });
  expect(imported.status, imported.text).toBe(200);
  expect(imported.json).toMatchObject({ status: "completed-with-warnings", app_mode: mode, imported_dsl_version: version, current_dsl_version: "0.6.0", error: "" });
  expect(imported.json.warnings.map((warning: { field: string }) => warning.field)).toEqual(["version"]);
  const appId = imported.json.app_id as string;
  await publishAs(t.tokens.editor, appId);
  const key = (await createKeyAs(t.tokens.owner, appId)).token;
  return { t, appId, key };
}

/** The chat-completions requests the mock received, with what the OpenAI provider sent. */
async function modelCalls() {
  const requests = (await mockModelRequests()).filter((request) => request.path === "/v1/chat/completions");
  for (const request of requests) {
    expect(request.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
    expect(request.body.model).toBe("gpt-4o-mini");
  }
  return requests;
}

function expectStreamHeaders(headers: Headers) {
  expect(headers.get("content-type")).toContain("text/event-stream");
  expect(headers.get("cache-control")).toContain("no-cache");
  expect(headers.get("x-accel-buffering")).toBe("no");
}

const answerOf = (events: any[], event = "message") =>
  events
    .filter((e) => e.event === event)
    .map((e) => e.answer)
    .join("");

describe("a Dify workflow export (DSL 0.3.1)", () => {
  it("runs through /v1/workflows/run, blocking and streaming, with its env variable and template", async () => {
    const { key } = await importAndPublish(workflow, "workflow", "0.3.1");
    await scriptMockModel({ text: "  Ship faster with less YAML " }, { text: "Pixels that behave" });

    const blocking = await call("POST", "/v1/workflows/run", { token: key, body: { inputs: { product: "Waggle", audience: "developers" }, user: "export-user", response_mode: "blocking" } });
    expect(blocking.status, blocking.text).toBe(200);
    expect(blocking.json).toMatchObject({
      task_id: expect.any(String),
      workflow_run_id: expect.any(String),
      data: {
        id: blocking.json.workflow_run_id,
        workflow_id: expect.any(String),
        status: "succeeded",
        outputs: { tagline: "Ship faster with less YAML — for developers, by Acme Labs", draft: "  Ship faster with less YAML " },
        error: null,
        total_steps: 4,
        total_tokens: expect.any(Number),
        elapsed_time: expect.any(Number),
        created_at: expect.any(Number),
        finished_at: expect.any(Number),
      },
    });
    const [first] = await modelCalls();
    expect(first!.body.messages).toEqual([
      { role: "system", content: "You write one short tagline. No quotes, no preamble." },
      { role: "user", content: "Product: Waggle\nAudience: developers\nNotes: " },
    ]);

    const detail = await call("GET", `/v1/workflows/run/${blocking.json.workflow_run_id}`, { token: key });
    expect(detail.json).toMatchObject({ id: blocking.json.workflow_run_id, status: "succeeded", outputs: blocking.json.data.outputs });

    const streaming = await call("POST", "/v1/workflows/run", {
      token: key,
      body: { inputs: { product: "Sketchpad", audience: "designers", notes: "Vector first" }, user: "export-user", response_mode: "streaming" },
    });
    expect(streaming.status).toBe(200);
    expectStreamHeaders(streaming.headers);
    const events = parseSse(streaming.text);
    expect(events[0]).toMatchObject({ event: "workflow_started", data: { inputs: { product: "Sketchpad", audience: "designers", notes: "Vector first" } } });
    expect(events.at(-1)).toMatchObject({ event: "workflow_finished", data: { status: "succeeded", outputs: { tagline: "Pixels that behave — for designers, by Acme Labs", draft: "Pixels that behave" } } });
    const finished = events.filter((e) => e.event === "node_finished").map((e) => [e.data.node_id, e.data.node_type, e.data.status]);
    expect(finished).toEqual([
      ["1747000000001", "start", "succeeded"],
      ["1747000000002", "llm", "succeeded"],
      ["1747000000003", "template-transform", "succeeded"],
      ["1747000000004", "end", "succeeded"],
    ]);
    for (const event of events) expect(event).toMatchObject({ task_id: events[0].task_id, workflow_run_id: events[0].workflow_run_id });
    expect((await modelCalls())[1]!.body.messages[1].content).toBe("Product: Sketchpad\nAudience: designers\nNotes: Vector first");
  });
});

describe("a Dify chatflow export (advanced-chat, DSL 0.3.0)", () => {
  it("answers through /v1/chat-messages, remembers the conversation and keeps its conversation variable", async () => {
    const { key } = await importAndPublish(advancedChat, "advanced-chat", "0.3.0");
    const parameters = await call("GET", "/v1/parameters", { token: key });
    expect(parameters.json).toMatchObject({ opening_statement: "Hi! I answer questions about Hivemind.", suggested_questions: ["How do I reset my password?"] });
    expect(parameters.json.user_input_form).toEqual([{ select: expect.objectContaining({ variable: "language", label: "Language", options: ["English", "French"], required: false }) }]);

    await scriptMockModel({ text: "Use the reset link on the sign-in page." }, { text: "Yes, it expires after one hour." });
    const blocking = await call("POST", "/v1/chat-messages", {
      token: key,
      body: { query: "How do I reset my password?", inputs: { language: "English" }, user: "export-user", response_mode: "blocking" },
    });
    expect(blocking.status, blocking.text).toBe(200);
    expect(blocking.json).toMatchObject({
      event: "message",
      task_id: expect.any(String),
      id: expect.any(String),
      message_id: blocking.json.id,
      conversation_id: expect.any(String),
      mode: "advanced-chat",
      answer: "Use the reset link on the sign-in page.",
      metadata: { usage: { total_tokens: expect.any(Number), currency: "USD" } },
      created_at: expect.any(Number),
    });
    const [first] = await modelCalls();
    expect(first!.body.messages[0]).toEqual({ role: "system", content: "You are the support assistant for Hivemind. Answer in English." });
    // Dify's default query template appends {{#sys.files#}}, which renders empty when no file came.
    expect(first!.body.messages[1]).toEqual({ role: "user", content: "How do I reset my password?\n\n" });
    expect(first!.body.messages).toHaveLength(2);

    const conversationId = blocking.json.conversation_id as string;
    const streaming = await call("POST", "/v1/chat-messages", {
      token: key,
      body: { query: "Does the link expire?", inputs: { language: "English" }, conversation_id: conversationId, user: "export-user", response_mode: "streaming" },
    });
    expect(streaming.status).toBe(200);
    expectStreamHeaders(streaming.headers);
    const events = parseSse(streaming.text);
    expect(events[0].event).toBe("workflow_started");
    expect(events.slice(-2).map((e) => e.event)).toEqual(["message_end", "workflow_finished"]);
    expect(answerOf(events)).toBe("Yes, it expires after one hour.");
    for (const event of events.filter((e) => e.event === "message" || e.event === "message_end")) expect(event.conversation_id).toBe(conversationId);
    // Memory: the second call carries the first turn.
    const second = (await modelCalls())[1]!.body.messages.map((m: any) => [m.role, String(m.content).trim()]);
    expect(second).toEqual([
      ["system", "You are the support assistant for Hivemind. Answer in English."],
      ["user", "How do I reset my password?"],
      ["assistant", "Use the reset link on the sign-in page."],
      ["user", "Does the link expire?"],
    ]);

    const variables = await call("GET", `/v1/conversations/${conversationId}/variables?user=export-user`, { token: key });
    expect(variables.status, variables.text).toBe(200);
    expect(variables.json.data).toEqual([expect.objectContaining({ name: "last_question", value_type: "string", value: "Does the link expire?" })]);
  });
});

describe("a Dify chat export (easy mode, DSL 0.2.0)", () => {
  it("answers through /v1/chat-messages with its prompt and form, blocking then streaming in the same conversation", async () => {
    const { key } = await importAndPublish(chat, "chat", "0.2.0");
    const parameters = await call("GET", "/v1/parameters", { token: key });
    expect(parameters.json).toMatchObject({ opening_statement: "Buzz! Ask me anything about bees.", suggested_questions: ["Why do bees dance?", "How long does a queen live?"] });
    expect(parameters.json.user_input_form).toEqual([{ select: expect.objectContaining({ variable: "tone", options: ["friendly", "formal"], default: "friendly", required: true }) }]);

    await scriptMockModel({ text: "To tell the hive where flowers are." }, { text: "A few years." });
    const blocking = await call("POST", "/v1/chat-messages", { token: key, body: { query: "Why do bees dance?", inputs: { tone: "formal" }, user: "export-user", response_mode: "blocking" } });
    expect(blocking.status, blocking.text).toBe(200);
    expect(blocking.json).toMatchObject({ event: "message", mode: "chat", answer: "To tell the hive where flowers are.", conversation_id: expect.any(String), message_id: blocking.json.id });
    expect((await modelCalls())[0]!.body.messages).toEqual([
      { role: "system", content: "You are a bee expert. Answer in a formal tone and keep it short." },
      { role: "user", content: "Why do bees dance?" },
    ]);

    const streaming = await call("POST", "/v1/chat-messages", {
      token: key,
      body: { query: "How long does a queen live?", inputs: { tone: "formal" }, conversation_id: blocking.json.conversation_id, user: "export-user", response_mode: "streaming" },
    });
    expectStreamHeaders(streaming.headers);
    const events = parseSse(streaming.text);
    expect(events.map((e) => e.event)).not.toContain("workflow_started");
    expect(events.at(-1)).toMatchObject({ event: "message_end", conversation_id: blocking.json.conversation_id, metadata: { usage: expect.any(Object) } });
    expect(answerOf(events)).toBe("A few years.");
    expect((await modelCalls())[1]!.body.messages.map((m: any) => m.role)).toEqual(["system", "user", "assistant", "user"]);
  });
});

describe("a Dify agent export (agent-chat, DSL 0.3.0)", () => {
  it("streams the time tool's call and the answer through /v1/chat-messages, and refuses blocking as Dify does", async () => {
    const { key } = await importAndPublish(agentChat, "agent-chat", "0.3.0");
    const blocking = await call("POST", "/v1/chat-messages", { token: key, body: { query: "What is today's date?", inputs: {}, user: "export-user", response_mode: "blocking" } });
    expect(blocking.status).toBe(400);
    expect(blocking.json).toMatchObject({ code: "invalid_param", message: "Agent Chat App does not support blocking mode", status: 400 });

    await scriptMockModel({ toolCalls: [{ id: "call-date", name: "current_time", arguments: "{}" }] }, { text: "Today is the date the tool gave me." });
    const streaming = await call("POST", "/v1/chat-messages", { token: key, body: { query: "What is today's date?", inputs: {}, user: "export-user", response_mode: "streaming" } });
    expect(streaming.status, streaming.text).toBe(200);
    expectStreamHeaders(streaming.headers);
    const events = parseSse(streaming.text);
    expect(events.at(-1).event).toBe("message_end");
    const thought = events.find((e) => e.event === "agent_thought" && e.tool);
    expect(thought).toMatchObject({ tool: "current_time", message_id: events.at(-1).message_id, conversation_id: events.at(-1).conversation_id });
    expect(answerOf(events, "agent_message")).toBe("Today is the date the tool gave me.");

    const [firstRound, secondRound] = await modelCalls();
    expect(firstRound!.body.messages[0]).toEqual({ role: "system", content: "You answer questions about dates. Use the current_time tool when you need today's date." });
    expect(firstRound!.body.tools.map((tool: any) => tool.function.name)).toEqual(["current_time"]);
    const toolMessage = secondRound!.body.messages.find((m: any) => m.role === "tool");
    expect(toolMessage).toMatchObject({ tool_call_id: "call-date" });
    // The exported tool settings (format %Y-%m-%d, UTC) are applied: a bare date, no time of day.
    expect(toolMessage.content).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(String(thought.observation)).toContain(toolMessage.content);
  });
});

describe("a Dify completion export (DSL 0.1.5)", () => {
  it("completes through /v1/completion-messages from its form, blocking and streaming", async () => {
    const { key } = await importAndPublish(completion, "completion", "0.1.5");
    const parameters = await call("GET", "/v1/parameters", { token: key });
    expect(parameters.json.more_like_this).toEqual({ enabled: true });
    expect(parameters.json.user_input_form.map((item: Record<string, { variable: string }>) => Object.entries(item).map(([type, spec]) => [type, spec.variable])[0])).toEqual([
      ["paragraph", "sentence"],
      ["select", "style"],
    ]);

    await scriptMockModel({ text: "Arr, the ship be late." }, { text: "The ship, like dusk, came late." });
    const blocking = await call("POST", "/v1/completion-messages", {
      token: key,
      body: { inputs: { sentence: "The ship is late.", style: "pirate" }, user: "export-user", response_mode: "blocking" },
    });
    expect(blocking.status, blocking.text).toBe(200);
    expect(blocking.json).toMatchObject({ event: "message", task_id: expect.any(String), id: expect.any(String), message_id: blocking.json.id, mode: "completion", answer: "Arr, the ship be late.", metadata: { usage: expect.any(Object) } });
    expect((await modelCalls())[0]!.body.messages).toEqual([{ role: "user", content: "Rewrite the sentence below in a pirate style.\nSentence: The ship is late." }]);

    const streaming = await call("POST", "/v1/completion-messages", {
      token: key,
      body: { inputs: { sentence: "The ship is late.", style: "poetic" }, user: "export-user", response_mode: "streaming" },
    });
    expectStreamHeaders(streaming.headers);
    const events = parseSse(streaming.text);
    expect(events.at(-1)).toMatchObject({ event: "message_end", metadata: { usage: expect.any(Object) } });
    expect(answerOf(events)).toBe("The ship, like dusk, came late.");
    expect((await modelCalls())[1]!.body.messages[0].content).toBe("Rewrite the sentence below in a poetic style.\nSentence: The ship is late.");

    const missing = await call("POST", "/v1/completion-messages", { token: key, body: { inputs: { style: "pirate" }, user: "export-user", response_mode: "blocking" } });
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({ code: "invalid_param", status: 400 });
    expect(missing.json.message).toContain("sentence");
  });
});
