import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { call, createAppAs, createKeyAs, parseSse, publishAs, seedTenant, type SeededTenant } from "./harness";
import { addMockModel, mockModelRequests, resetMockModel, scriptMockModel } from "./mock-model";

beforeEach(resetMockModel);

const MODEL = { provider: "langgenius/openai_api_compatible/openai_api_compatible", name: "mock-chat", mode: "chat", completion_params: { temperature: 0.1 } };

/** A published chat app whose key is returned. */
async function chatApp(t: SeededTenant, mode: "chat" | "completion", modelConfig: Record<string, unknown>) {
  const appId = await createAppAs(t.tokens.owner, mode, `${mode} app`);
  const draft = await call("GET", `/console/api/apps/${appId}/model-config`, { token: t.tokens.editor });
  const saved = await call("POST", `/console/api/apps/${appId}/model-config`, { token: t.tokens.editor, body: { model_config: { ...draft.json.model_config, ...modelConfig }, hash: draft.json.hash } });
  expect(saved.status).toBe(200);
  await publishAs(t.tokens.editor, appId);
  return { appId, key: (await createKeyAs(t.tokens.owner, appId)).token };
}

function chatflowGraph() {
  return {
    nodes: [
      { id: "start", data: { type: "start", title: "Start", variables: [{ variable: "tone", label: "Tone", type: "text-input", required: false }] } },
      {
        id: "llm",
        data: {
          type: "llm",
          title: "LLM",
          model: MODEL,
          prompt_template: [{ role: "system", text: "Answer in a {{#start.tone#}} tone." }],
          memory: { window: { enabled: true, size: 5 }, query_prompt_template: "{{#sys.query#}}" },
        },
      },
      { id: "assign", data: { type: "assigner", version: "2", title: "Count", items: [{ variable_selector: ["conversation", "turns"], operation: "+=", input_type: "constant", value: 1 }] } },
      { id: "answer", data: { type: "answer", title: "Answer", answer: "{{#llm.text#}} (turn {{#conversation.turns#}}, dialogue {{#sys.dialogue_count#}})" } },
    ],
    edges: [
      { id: "e1", source: "start", target: "llm", sourceHandle: "source", targetHandle: "target" },
      { id: "e2", source: "llm", target: "assign", sourceHandle: "source", targetHandle: "target" },
      { id: "e3", source: "assign", target: "answer", sourceHandle: "source", targetHandle: "target" },
    ],
  };
}

async function chatflowApp(t: SeededTenant) {
  const appId = await createAppAs(t.tokens.owner, "advanced-chat", "chatflow");
  const draft = await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.editor });
  const saved = await call("POST", `/console/api/apps/${appId}/workflows/draft`, {
    token: t.tokens.editor,
    body: {
      graph: chatflowGraph(),
      features: { retriever_resource: { enabled: true }, opening_statement: "Hi!" },
      conversation_variables: [{ id: "cv-turns", name: "turns", value_type: "number", value: 0, description: "How many turns" }],
      hash: draft.json.hash,
    },
  });
  expect(saved.status, saved.text).toBe(200);
  await publishAs(t.tokens.editor, appId);
  return { appId, key: (await createKeyAs(t.tokens.owner, appId)).token };
}

describe("POST /v1/chat-messages on an easy-mode chat app", () => {
  it("answers blocking with Dify's body, remembers the conversation and records usage", async () => {
    const t = await seedTenant("chat");
    await addMockModel(t);
    const { key } = await chatApp(t, "chat", { model: MODEL, pre_prompt: "You are {{persona}}.", user_input_form: [{ "text-input": { variable: "persona", label: "Persona", required: true } }] });
    await scriptMockModel({ text: "Ahoy there!", usage: { prompt_tokens: 12, completion_tokens: 3 } }, { text: "Still a pirate.", usage: { prompt_tokens: 20, completion_tokens: 4 } });

    const first = await call("POST", "/v1/chat-messages", { token: key, body: { query: "Hello", inputs: { persona: "a pirate" }, user: "u-1", response_mode: "blocking" } });
    expect(first.status, first.text).toBe(200);
    expect(first.json).toMatchObject({ event: "message", mode: "chat", answer: "Ahoy there!", metadata: { usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 } } });
    expect(first.json.id).toBe(first.json.message_id);
    expect(first.json.task_id).not.toBe(first.json.message_id);
    expect(typeof first.json.metadata.usage.total_price).toBe("string");

    const second = await call("POST", "/v1/chat-messages", { token: key, body: { query: "And now?", inputs: {}, user: "u-1", conversation_id: first.json.conversation_id, response_mode: "blocking" } });
    expect(second.status, second.text).toBe(200);
    expect(second.json.conversation_id).toBe(first.json.conversation_id);
    const sent = (await mockModelRequests()).map((request) => request.body.messages);
    // The second call carries the first turn as memory; the conversation keeps its first inputs.
    expect(sent[1]).toEqual([
      { role: "system", content: "You are a pirate." },
      { role: "user", content: "Hello" },
      { role: "assistant", content: "Ahoy there!" },
      { role: "user", content: "And now?" },
    ]);

    const messages = await call("GET", `/v1/messages?conversation_id=${first.json.conversation_id}&user=u-1`, { token: key });
    expect(messages.status).toBe(200);
    expect(messages.json).toMatchObject({ limit: 20, has_more: false });
    expect(messages.json.data.map((m: any) => [m.query, m.answer])).toEqual([
      ["Hello", "Ahoy there!"],
      ["And now?", "Still a pirate."],
    ]);
    expect(messages.json.data[1]).toMatchObject({ message_tokens: 20, answer_tokens: 4, total_tokens: 24, status: "normal", error: null, feedback: null });

    const conversations = await call("GET", "/v1/conversations?user=u-1", { token: key });
    expect(conversations.json.data).toEqual([expect.objectContaining({ id: first.json.conversation_id, name: "Hello", inputs: { persona: "a pirate" }, status: "normal" })]);
    // Another end user sees none of it.
    const other = await call("GET", "/v1/conversations?user=u-2", { token: key });
    expect(other.json.data).toEqual([]);
    const foreign = await call("POST", "/v1/chat-messages", { token: key, body: { query: "hi", inputs: {}, user: "u-2", conversation_id: first.json.conversation_id, response_mode: "blocking" } });
    expect(foreign.status).toBe(404);
    expect(foreign.json).toMatchObject({ code: "not_found", message: "Conversation Not Exists." });
  });

  it("streams message events and ends with message_end carrying usage", async () => {
    const t = await seedTenant("chats");
    await addMockModel(t);
    const { key } = await chatApp(t, "chat", { model: MODEL, pre_prompt: "Be brief." });
    await scriptMockModel({ text: "one two three", usage: { prompt_tokens: 5, completion_tokens: 3 } });
    const res = await call("POST", "/v1/chat-messages", { token: key, body: { query: "count", inputs: {}, user: "u", response_mode: "streaming" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const events = parseSse(res.text);
    expect(events.map((e) => e.event)).toEqual(["message", "message", "message", "message_end"]);
    expect(events.filter((e) => e.event === "message").map((e) => e.answer).join("")).toBe("one two three");
    const end = events.at(-1);
    expect(end).toMatchObject({ id: events[0].message_id, conversation_id: events[0].conversation_id, metadata: { usage: { total_tokens: 8 } } });
    for (const event of events) expect(event).toMatchObject({ task_id: end.task_id, message_id: end.message_id, conversation_id: end.conversation_id });
  });

  it("reports a model failure as Dify's error: HTTP 400 when blocking, an error event when streaming", async () => {
    const t = await seedTenant("chatf");
    await addMockModel(t);
    const { key } = await chatApp(t, "chat", { model: MODEL });
    await scriptMockModel({ kind: "fail", status: 400, message: "bad prompt" }, { kind: "fail", status: 400, message: "bad prompt" });
    const blocking = await call("POST", "/v1/chat-messages", { token: key, body: { query: "x", inputs: {}, user: "u", response_mode: "blocking" } });
    expect(blocking.status).toBe(400);
    expect(blocking.json).toMatchObject({ code: "completion_request_error", status: 400 });
    const streaming = await call("POST", "/v1/chat-messages", { token: key, body: { query: "x", inputs: {}, user: "u", response_mode: "streaming" } });
    expect(streaming.status).toBe(200);
    const events = parseSse(streaming.text);
    expect(events.at(-1)).toMatchObject({ event: "error", code: "completion_request_error", status: 400 });
    const messages = await call("GET", `/v1/messages?conversation_id=${events.at(-1).conversation_id}&user=u`, { token: key });
    expect(messages.json.data[0]).toMatchObject({ status: "error", error: expect.stringContaining("bad prompt") });
  });

  it("refuses bad requests with Dify's codes", async () => {
    const t = await seedTenant("chatb");
    await addMockModel(t);
    const { key } = await chatApp(t, "chat", { model: MODEL, user_input_form: [{ "text-input": { variable: "persona", label: "Persona", required: true } }] });
    const missing = await call("POST", "/v1/chat-messages", { token: key, body: { query: "hi", inputs: {}, user: "u", response_mode: "blocking" } });
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({ code: "invalid_param", message: expect.stringContaining("persona") });
    const noQuery = await call("POST", "/v1/chat-messages", { token: key, body: { query: " ", inputs: { persona: "x" }, user: "u" } });
    expect(noQuery.json).toMatchObject({ code: "invalid_param", message: "query is required" });
    const noUser = await call("POST", "/v1/chat-messages", { token: key, body: { query: "hi", inputs: { persona: "x" } } });
    expect(noUser.status).toBe(400);
    const unknown = await call("POST", "/v1/chat-messages", { token: key, body: { query: "hi", inputs: { persona: "x" }, user: "u", conversation_id: crypto.randomUUID() } });
    expect(unknown.status).toBe(404);
    const wrongRoute = await call("POST", "/v1/completion-messages", { token: key, body: { inputs: {}, user: "u" } });
    expect(wrongRoute.json).toMatchObject({ code: "app_unavailable" });
    const workflowKey = (await createKeyAs(t.tokens.owner, await createAppAs(t.tokens.owner, "workflow"))).token;
    const notChat = await call("POST", "/v1/chat-messages", { token: workflowKey, body: { query: "hi", inputs: {}, user: "u" } });
    expect(notChat.json).toMatchObject({ code: "not_chat_app", status: 400 });
  });

  it("an app without a model answers provider_not_initialize", async () => {
    const t = await seedTenant("chatn");
    const { key } = await chatApp(t, "chat", {});
    const res = await call("POST", "/v1/chat-messages", { token: key, body: { query: "hi", inputs: {}, user: "u", response_mode: "blocking" } });
    expect(res.status).toBe(400);
    expect(res.json.code).toBe("provider_not_initialize");
  });
});

describe("POST /v1/completion-messages", () => {
  it("completes from the inputs, blocking and streaming", async () => {
    const t = await seedTenant("comp");
    await addMockModel(t);
    const { key } = await chatApp(t, "completion", { model: MODEL, pre_prompt: "Translate: {{text}}", user_input_form: [{ paragraph: { variable: "text", label: "Text", required: true } }] });
    await scriptMockModel({ text: "Bonjour" }, { text: "Salut toi" });
    const blocking = await call("POST", "/v1/completion-messages", { token: key, body: { inputs: { text: "Hello" }, user: "u", response_mode: "blocking" } });
    expect(blocking.status, blocking.text).toBe(200);
    expect(blocking.json).toMatchObject({ event: "message", mode: "completion", answer: "Bonjour" });
    expect((await mockModelRequests())[0]?.body.messages).toEqual([{ role: "user", content: "Translate: Hello" }]);
    const streaming = await call("POST", "/v1/completion-messages", { token: key, body: { inputs: { text: "Hi you" }, user: "u", response_mode: "streaming" } });
    const events = parseSse(streaming.text);
    expect(events.at(-1).event).toBe("message_end");
    expect(events.filter((e) => e.event === "message").map((e) => e.answer).join("")).toBe("Salut toi");
  });

  it("generates more like an earlier answer when the app offers it: same inputs, temperature 0.9, a new message", async () => {
    const t = await seedTenant("more");
    await addMockModel(t);
    const form = [{ paragraph: { variable: "text", label: "Text", required: true } }];
    const { appId, key } = await chatApp(t, "completion", { model: MODEL, pre_prompt: "Translate: {{text}}", user_input_form: form });
    await scriptMockModel({ text: "Bonjour" }, { text: "Salut" }, { text: "Coucou" });
    const first = await call("POST", "/v1/completion-messages", { token: key, body: { inputs: { text: "Hello" }, user: "u", response_mode: "blocking" } });
    const path = `/v1/messages/${first.json.message_id}/more-like-this`;
    // Off by default, as in Dify.
    const disabled = await call("GET", `${path}?user=u`, { token: key });
    expect(disabled.status).toBe(403);
    expect(disabled.json).toMatchObject({ code: "app_more_like_this_disabled", status: 403 });

    const draft = await call("GET", `/console/api/apps/${appId}/model-config`, { token: t.tokens.editor });
    await call("POST", `/console/api/apps/${appId}/model-config`, { token: t.tokens.editor, body: { model_config: { ...draft.json.model_config, more_like_this: { enabled: true } }, hash: draft.json.hash } });
    await publishAs(t.tokens.editor, appId);
    const more = await call("GET", `${path}?user=u&response_mode=streaming`, { token: key });
    expect(more.status, more.text).toBe(200);
    const events = parseSse(more.text);
    expect(events.at(-1).event).toBe("message_end");
    expect(events.filter((e) => e.event === "message").map((e) => e.answer).join("")).toBe("Salut");
    expect(events[0].message_id).not.toBe(first.json.message_id);
    const sent = (await mockModelRequests())[1]?.body;
    expect(sent.messages).toEqual([{ role: "user", content: "Translate: Hello" }]);
    expect(sent.temperature).toBe(0.9);
    // Only the user's own messages; others are not found.
    const stranger = await call("GET", `${path}?user=someone-else`, { token: key });
    expect(stranger.status).toBe(404);
    expect(stranger.json).toMatchObject({ code: "not_found", message: "Message Not Exists." });

    // The console's debug route does the same for the draft's own messages.
    const debug = await call("POST", `/console/api/apps/${appId}/completion-messages`, { token: t.tokens.editor, body: { inputs: { text: "Bye" }, response_mode: "blocking" } });
    expect(debug.status, debug.text).toBe(200);
    const again = await call("GET", `/console/api/apps/${appId}/completion-messages/${debug.json.message_id}/more-like-this`, { token: t.tokens.editor });
    expect(again.status, again.text).toBe(200);
    expect(again.json).toMatchObject({ event: "message", mode: "completion" });
    expect(again.json.message_id).not.toBe(debug.json.message_id);
    const notMine = await call("GET", `/console/api/apps/${appId}/completion-messages/${first.json.message_id}/more-like-this`, { token: t.tokens.editor });
    expect(notMine.status).toBe(404);
  });
});

describe("POST /v1/chat-messages on a chatflow", () => {
  it("streams workflow events and answer text; ends with message_end then workflow_finished; conversation variables persist", async () => {
    const t = await seedTenant("flow");
    await addMockModel(t);
    const { key } = await chatflowApp(t);
    await scriptMockModel({ text: "Hello friend", usage: { prompt_tokens: 9, completion_tokens: 2 } }, { text: "Again", usage: { prompt_tokens: 15, completion_tokens: 1 } });

    const first = await call("POST", "/v1/chat-messages", { token: key, body: { query: "hi", inputs: { tone: "warm" }, user: "u", response_mode: "streaming" } });
    expect(first.status).toBe(200);
    const events = parseSse(first.text);
    const names = events.map((e) => e.event);
    expect(names[0]).toBe("workflow_started");
    expect(names.slice(-2)).toEqual(["message_end", "workflow_finished"]);
    expect(names).toContain("node_finished");
    const answer = events.filter((e) => e.event === "message").map((e) => e.answer).join("");
    expect(answer).toBe("Hello friend (turn 1, dialogue 1)");
    const started = events[0];
    expect(started).toMatchObject({ task_id: started.workflow_run_id, conversation_id: expect.any(String), message_id: expect.any(String) });
    expect(started.data.inputs).toMatchObject({ tone: "warm", "sys.query": "hi", "sys.conversation_id": started.conversation_id, "sys.dialogue_count": 1 });
    expect(events.at(-2).metadata.usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 2 });
    expect(events.at(-1).data).not.toHaveProperty("error_type");

    const second = await call("POST", "/v1/chat-messages", { token: key, body: { query: "more", inputs: {}, user: "u", conversation_id: started.conversation_id, response_mode: "blocking" } });
    expect(second.status, second.text).toBe(200);
    expect(second.json).toMatchObject({ mode: "advanced-chat", answer: "Again (turn 2, dialogue 2)", conversation_id: started.conversation_id });
    const sent = (await mockModelRequests())[1]?.body.messages;
    expect(sent).toEqual([
      { role: "system", content: "Answer in a warm tone." },
      { role: "user", content: "hi" },
      { role: "assistant", content: "Hello friend (turn 1, dialogue 1)" },
      { role: "user", content: "more" },
    ]);

    const variables = await call("GET", `/v1/conversations/${started.conversation_id}/variables?user=u`, { token: key });
    expect(variables.status).toBe(200);
    expect(variables.json.data).toEqual([expect.objectContaining({ id: "cv-turns", name: "turns", value_type: "number", value: 2, description: "How many turns" })]);
    const updated = await call("PUT", `/v1/conversations/${started.conversation_id}/variables/cv-turns`, { token: key, body: { value: 10, user: "u" } });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.json).toMatchObject({ id: "cv-turns", value: 10 });
    const wrongType = await call("PUT", `/v1/conversations/${started.conversation_id}/variables/cv-turns`, { token: key, body: { value: "ten", user: "u" } });
    expect(wrongType.status).toBe(400);

    // The message is linked to its workflow run, which the run logs of the console can show.
    const row = await env.DB.prepare("SELECT workflow_run_id FROM messages WHERE id = ?").bind(second.json.message_id).first<{ workflow_run_id: string }>();
    expect(row?.workflow_run_id).toBe(second.json.task_id);
  });
});

describe("reasoning models in a chatflow", () => {
  it("stream the reasoning as reasoning_chunk events apart from the answer when the LLM node separates it", async () => {
    const t = await seedTenant("reason");
    await addMockModel(t);
    const appId = await createAppAs(t.tokens.owner, "advanced-chat", "reasoning");
    const draft = await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.editor });
    const graph = {
      nodes: [
        { id: "start", data: { type: "start", title: "Start", variables: [] } },
        { id: "llm", data: { type: "llm", title: "LLM", model: MODEL, reasoning_format: "separated", prompt_template: [{ role: "user", text: "{{#sys.query#}}" }] } },
        { id: "answer", data: { type: "answer", title: "Answer", answer: "{{#llm.text#}}" } },
      ],
      edges: [
        { id: "e1", source: "start", target: "llm", sourceHandle: "source", targetHandle: "target" },
        { id: "e2", source: "llm", target: "answer", sourceHandle: "source", targetHandle: "target" },
      ],
    };
    const saved = await call("POST", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.editor, body: { graph, features: {}, hash: draft.json.hash } });
    expect(saved.status, saved.text).toBe(200);
    await publishAs(t.tokens.editor, appId);
    const key = (await createKeyAs(t.tokens.owner, appId)).token;
    await scriptMockModel({ reasoning: "Six times seven.", text: "42" });

    const streamed = await call("POST", "/v1/chat-messages", { token: key, body: { query: "6*7?", inputs: {}, user: "u", response_mode: "streaming" } });
    expect(streamed.status).toBe(200);
    const events = parseSse(streamed.text);
    const reasoning = events.filter((e) => e.event === "reasoning_chunk");
    expect(reasoning.map((e) => e.data)).toEqual([
      { reasoning: "Six times seven.", node_id: "llm", is_final: false },
      { reasoning: "", node_id: "llm", is_final: true },
    ]);
    expect(reasoning[0]).toMatchObject({ task_id: expect.any(String), message_id: expect.any(String), conversation_id: expect.any(String), workflow_run_id: reasoning[0].task_id });
    expect(events.filter((e) => e.event === "message").map((e) => e.answer).join("")).toBe("42");
    const finished = events.find((e) => e.event === "node_finished" && e.data.node_id === "llm");
    expect(finished.data.outputs).toMatchObject({ text: "42", reasoning_content: "Six times seven." });
  });
});

describe("conversations, messages and feedback", () => {
  it("pages, renames, deletes and takes feedback like Dify", async () => {
    const t = await seedTenant("conv");
    await addMockModel(t);
    const { key } = await chatApp(t, "chat", { model: MODEL });
    const ids: string[] = [];
    for (const query of ["first question", "second question", "third question"]) {
      await scriptMockModel({ text: `re: ${query}` });
      const res = await call("POST", "/v1/chat-messages", { token: key, body: { query, inputs: {}, user: "pager", response_mode: "blocking" } });
      ids.push(res.json.conversation_id);
    }
    const page1 = await call("GET", "/v1/conversations?user=pager&limit=2", { token: key });
    expect(page1.json.has_more).toBe(true);
    expect(page1.json.data.map((c: any) => c.id)).toEqual([ids[2], ids[1]]);
    const page2 = await call("GET", `/v1/conversations?user=pager&limit=2&last_id=${ids[1]}`, { token: key });
    expect(page2.json).toMatchObject({ has_more: false, data: [expect.objectContaining({ id: ids[0] })] });
    const ascending = await call("GET", "/v1/conversations?user=pager&sort_by=created_at", { token: key });
    expect(ascending.json.data.map((c: any) => c.id)).toEqual(ids);

    const renamed = await call("POST", `/v1/conversations/${ids[0]}/name`, { token: key, body: { name: "Renamed", user: "pager" } });
    expect(renamed.status).toBe(200);
    expect(renamed.json).toMatchObject({ id: ids[0], name: "Renamed" });
    const notOwner = await call("POST", `/v1/conversations/${ids[0]}/name`, { token: key, body: { name: "x", user: "someone-else" } });
    expect(notOwner.status).toBe(404);

    const messages = await call("GET", `/v1/messages?conversation_id=${ids[0]}&user=pager`, { token: key });
    const messageId = messages.json.data[0].id;
    const liked = await call("POST", `/v1/messages/${messageId}/feedbacks`, { token: key, body: { rating: "like", user: "pager", content: "great" } });
    expect(liked.json).toEqual({ result: "success" });
    const after = await call("GET", `/v1/messages?conversation_id=${ids[0]}&user=pager`, { token: key });
    expect(after.json.data[0].feedback).toEqual({ rating: "like" });
    const feedbacks = await call("GET", "/v1/app/feedbacks", { token: key });
    expect(feedbacks.json.data).toEqual([expect.objectContaining({ message_id: messageId, rating: "like", content: "great", from_source: "user" })]);
    const cleared = await call("POST", `/v1/messages/${messageId}/feedbacks`, { token: key, body: { rating: null, user: "pager" } });
    expect(cleared.status).toBe(200);
    expect((await call("GET", "/v1/app/feedbacks", { token: key })).json.data).toEqual([]);

    const deleted = await call("DELETE", `/v1/conversations/${ids[0]}`, { token: key, body: { user: "pager" } });
    expect(deleted.status).toBe(204);
    const gone = await call("GET", `/v1/messages?conversation_id=${ids[0]}&user=pager`, { token: key });
    expect(gone.status).toBe(404);
    const remaining = await call("GET", "/v1/conversations?user=pager", { token: key });
    expect(remaining.json.data.map((c: any) => c.id)).toEqual([ids[2], ids[1]]);
  });

  it("suggested questions need the feature: 400 when it is off", async () => {
    const t = await seedTenant("sugg");
    await addMockModel(t);
    const { key } = await chatApp(t, "chat", { model: MODEL });
    await scriptMockModel({ text: "ok" });
    const res = await call("POST", "/v1/chat-messages", { token: key, body: { query: "q", inputs: {}, user: "u", response_mode: "blocking" } });
    const suggested = await call("GET", `/v1/messages/${res.json.message_id}/suggested?user=u`, { token: key });
    expect(suggested.status).toBe(400);
    expect(suggested.json.message).toBe("Suggested Questions Is Disabled.");
  });
});

describe("console chat debugging", () => {
  it("runs the draft of a chat app and a chatflow; the logs list their conversations apart from end users'", async () => {
    const t = await seedTenant("dbg");
    await addMockModel(t);
    const chat = await chatApp(t, "chat", { model: MODEL, pre_prompt: "Published prompt." });
    // Change the draft after publishing: the console runs the draft, the service API the published version.
    const draft = await call("GET", `/console/api/apps/${chat.appId}/model-config`, { token: t.tokens.editor });
    await call("POST", `/console/api/apps/${chat.appId}/model-config`, { token: t.tokens.editor, body: { model_config: { ...draft.json.model_config, pre_prompt: "Draft prompt." }, hash: draft.json.hash } });
    await scriptMockModel({ text: "from draft" }, { text: "from published" });
    const debug = await call("POST", `/console/api/apps/${chat.appId}/chat-messages`, { token: t.tokens.editor, body: { query: "hi", inputs: {}, response_mode: "streaming" } });
    expect(debug.status, debug.text).toBe(200);
    const events = parseSse(debug.text);
    expect(events.at(-1).event).toBe("message_end");
    await call("POST", "/v1/chat-messages", { token: chat.key, body: { query: "hi", inputs: {}, user: "end-user", response_mode: "blocking" } });
    const prompts = (await mockModelRequests()).map((request) => request.body.messages[0].content);
    expect(prompts).toEqual(["Draft prompt.", "Published prompt."]);

    const logs = await call("GET", `/console/api/apps/${chat.appId}/chat-conversations`, { token: t.tokens.editor });
    expect(logs.status).toBe(200);
    expect(logs.json.data.map((c: any) => c.from_source).sort()).toEqual(["api", "console"]);
    const consoleConversation = logs.json.data.find((c: any) => c.from_source === "console");
    expect(consoleConversation.from_account_id).toBe(t.accountIds.editor);
    const messages = await call("GET", `/console/api/apps/${chat.appId}/chat-messages?conversation_id=${consoleConversation.id}`, { token: t.tokens.editor });
    expect(messages.json.data).toEqual([expect.objectContaining({ query: "hi", answer: "from draft" })]);
    // The account's debug conversation is not reachable as an end user's.
    const asEndUser = await call("GET", `/v1/messages?conversation_id=${consoleConversation.id}&user=account:${t.accountIds.editor}`, { token: chat.key });
    expect(asEndUser.status).toBe(404);

    const flow = await chatflowApp(t);
    await scriptMockModel({ text: "flow answer" });
    const flowRun = await call("POST", `/console/api/apps/${flow.appId}/advanced-chat/workflows/draft/run`, { token: t.tokens.editor, body: { query: "hello", inputs: { tone: "calm" } } });
    const flowEvents = parseSse(flowRun.text);
    expect(flowEvents.map((e) => e.event).slice(-2)).toEqual(["message_end", "workflow_finished"]);
    const runs = await call("GET", `/console/api/apps/${flow.appId}/workflow-runs`, { token: t.tokens.editor });
    expect(runs.json.data[0]).toMatchObject({ id: flowEvents[0].workflow_run_id, triggered_from: "debugging", created_by_role: "account" });

    const viewer = await call("POST", `/console/api/apps/${chat.appId}/chat-messages`, { token: t.tokens.normal, body: { query: "hi" } });
    expect(viewer.status).toBe(403);
  });
});

describe("agent-chat apps", () => {
  it("stream agent_message and agent_thought with the tool call, end with message_end, and keep the thoughts on the message", async () => {
    const t = await seedTenant("agent");
    await addMockModel(t);
    const appId = await createAppAs(t.tokens.owner, "agent-chat", "agent");
    const draft = await call("GET", `/console/api/apps/${appId}/model-config`, { token: t.tokens.editor });
    const modelConfig = {
      ...draft.json.model_config,
      model: MODEL,
      pre_prompt: "You tell the time.",
      agent_mode: { enabled: true, strategy: "function_call", max_iteration: 3, tools: [{ provider_type: "builtin", provider_id: "time", provider_name: "time", tool_name: "current_time", tool_parameters: { timezone: "UTC" }, enabled: true }] },
    };
    const saved = await call("POST", `/console/api/apps/${appId}/model-config`, { token: t.tokens.editor, body: { model_config: modelConfig, hash: draft.json.hash } });
    expect(saved.status, saved.text).toBe(200);
    await publishAs(t.tokens.editor, appId);
    const key = (await createKeyAs(t.tokens.owner, appId)).token;
    await scriptMockModel(
      { toolCalls: [{ id: "call-1", name: "current_time", arguments: "{}" }], usage: { prompt_tokens: 30, completion_tokens: 5 } },
      { text: "It is late.", usage: { prompt_tokens: 50, completion_tokens: 4 } },
    );

    const blocking = await call("POST", "/v1/chat-messages", { token: key, body: { query: "time?", inputs: {}, user: "u", response_mode: "blocking" } });
    expect(blocking.status).toBe(400);
    expect(blocking.json.message).toBe("Agent Chat App does not support blocking mode");

    const res = await call("POST", "/v1/chat-messages", { token: key, body: { query: "What time is it?", inputs: {}, user: "u", response_mode: "streaming" } });
    expect(res.status).toBe(200);
    const events = parseSse(res.text);
    const names = events.map((e) => e.event);
    expect(names).toContain("agent_thought");
    expect(names.at(-1)).toBe("message_end");
    expect(names).not.toContain("message");
    expect(names).not.toContain("workflow_started");
    const toolThought = events.find((e) => e.event === "agent_thought" && e.tool);
    expect(toolThought).toMatchObject({ tool: "current_time", position: 1, message_id: events.at(-1).message_id });
    expect(JSON.parse(toolThought.tool_input)).toHaveProperty("current_time");
    expect(JSON.parse(toolThought.observation).current_time).toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(events.filter((e) => e.event === "agent_message").map((e) => e.answer).join("")).toBe("It is late.");
    expect(events.at(-1).metadata.usage).toMatchObject({ prompt_tokens: 80, completion_tokens: 9 });
    // The model saw the tool and, in its second round, the tool's answer.
    const requests = await mockModelRequests();
    expect(requests[0]?.body.tools?.[0]?.function?.name).toBe("current_time");
    expect(requests[1]?.body.messages.some((m: any) => m.role === "tool")).toBe(true);

    const messages = await call("GET", `/v1/messages?conversation_id=${events.at(-1).conversation_id}&user=u`, { token: key });
    expect(messages.json.data[0].answer).toBe("It is late.");
    expect(messages.json.data[0].agent_thoughts.map((thought: any) => thought.tool)).toContain("current_time");

    const meta = await call("GET", "/v1/meta", { token: key });
    expect(meta.json).toEqual({ tool_icons: { current_time: { background: "#EFF1F5", content: "🔧" } } });
    const site = await call("GET", "/v1/site", { token: key });
    expect(site.json).toMatchObject({ title: "agent", icon_type: "emoji", default_language: "en-US" });
    const endUserId = (await env.DB.prepare("SELECT end_user_id FROM messages WHERE id = ?").bind(events.at(-1).message_id).first<{ end_user_id: string }>())!.end_user_id;
    const endUser = await call("GET", `/v1/end-users/${endUserId}`, { token: key });
    expect(endUser.json).toMatchObject({ id: endUserId, session_id: "u", app_id: appId, is_anonymous: false });
    const otherAppKey = (await createKeyAs(t.tokens.owner, await createAppAs(t.tokens.owner, "chat"))).token;
    expect((await call("GET", `/v1/end-users/${endUserId}`, { token: otherAppKey })).status).toBe(404);
  });
});

describe("a chatflow with question-classifier, parameter-extractor, agent and llm nodes", () => {
  it("routes by class, extracts, calls a tool through the agent, answers, and records usage of every model call", async () => {
    const t = await seedTenant("combo");
    await addMockModel(t);
    const appId = await createAppAs(t.tokens.owner, "advanced-chat", "combo");
    const draft = await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.editor });
    const graph = {
      nodes: [
        { id: "start", data: { type: "start", title: "Start", variables: [] } },
        { id: "classify", data: { type: "question-classifier", title: "Classify", model: MODEL, query_variable_selector: ["sys", "query"], classes: [{ id: "time", name: "Questions about time" }, { id: "other", name: "Anything else" }] } },
        { id: "extract", data: { type: "parameter-extractor", title: "Extract", model: MODEL, query: ["sys", "query"], reasoning_mode: "prompt", parameters: [{ name: "city", type: "string", description: "The city", required: true }] } },
        {
          id: "agent",
          data: {
            type: "agent",
            title: "Agent",
            agent_strategy_provider_name: "langgenius/agent/agent",
            agent_strategy_name: "function_calling",
            agent_parameters: {
              model: { type: "constant", value: { provider: MODEL.provider, model: MODEL.name, mode: "chat", completion_params: {} } },
              tools: { type: "constant", value: [{ type: "builtin", provider_name: "time", tool_name: "current_time", settings: {}, parameters: { timezone: { auto: 0, value: "UTC" } } }] },
              instruction: { type: "constant", value: "Tell the time in {{#extract.city#}}." },
              query: { type: "mixed", value: "{{#sys.query#}}" },
              maximum_iterations: { type: "constant", value: 3 },
            },
          },
        },
        { id: "answer-time", data: { type: "answer", title: "Time", answer: "{{#extract.city#}}: {{#agent.text#}}" } },
        { id: "llm", data: { type: "llm", title: "LLM", model: MODEL, prompt_template: [{ role: "system", text: "Chat." }], memory: { window: { enabled: false } } } },
        { id: "answer-other", data: { type: "answer", title: "Other", answer: "{{#llm.text#}}" } },
      ],
      edges: [
        { id: "e1", source: "start", target: "classify", sourceHandle: "source", targetHandle: "target" },
        { id: "e2", source: "classify", target: "extract", sourceHandle: "time", targetHandle: "target" },
        { id: "e3", source: "extract", target: "agent", sourceHandle: "source", targetHandle: "target" },
        { id: "e4", source: "agent", target: "answer-time", sourceHandle: "source", targetHandle: "target" },
        { id: "e5", source: "classify", target: "llm", sourceHandle: "other", targetHandle: "target" },
        { id: "e6", source: "llm", target: "answer-other", sourceHandle: "source", targetHandle: "target" },
      ],
    };
    const saved = await call("POST", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.editor, body: { graph, hash: draft.json.hash } });
    expect(saved.status, saved.text).toBe(200);
    await publishAs(t.tokens.editor, appId);
    const key = (await createKeyAs(t.tokens.owner, appId)).token;

    await scriptMockModel(
      { text: '{"keywords": ["time"], "category_id": "time", "category_name": "Questions about time"}', usage: { prompt_tokens: 10, completion_tokens: 5 } },
      { text: '{"city": "Paris"}', usage: { prompt_tokens: 10, completion_tokens: 5 } },
      { toolCalls: [{ id: "c1", name: "current_time", arguments: "{}" }], usage: { prompt_tokens: 10, completion_tokens: 5 } },
      { text: "noon", usage: { prompt_tokens: 10, completion_tokens: 5 } },
      { text: '{"keywords": [], "category_id": "other", "category_name": "Anything else"}', usage: { prompt_tokens: 10, completion_tokens: 5 } },
      { text: "Hello there", usage: { prompt_tokens: 10, completion_tokens: 5 } },
    );
    const first = await call("POST", "/v1/chat-messages", { token: key, body: { query: "What time is it in Paris?", inputs: {}, user: "u", response_mode: "streaming" } });
    const events = parseSse(first.text);
    expect(events.filter((e) => e.event === "message").map((e) => e.answer).join("")).toBe("Paris: noon");
    expect(events.some((e) => e.event === "agent_log")).toBe(true);
    expect(events.filter((e) => e.event === "node_finished").map((e) => e.data.node_id)).toEqual(expect.arrayContaining(["classify", "extract", "agent", "answer-time"]));
    expect(events.at(-2)).toMatchObject({ event: "message_end", metadata: { usage: { prompt_tokens: 40, completion_tokens: 20, total_tokens: 60 } } });
    expect(events.at(-1)).toMatchObject({ event: "workflow_finished", data: { status: "succeeded", total_tokens: 60 } });

    const second = await call("POST", "/v1/chat-messages", { token: key, body: { query: "hi", inputs: {}, user: "u", conversation_id: events[0].conversation_id, response_mode: "blocking" } });
    expect(second.json.answer).toBe("Hello there");
    const messages = await call("GET", `/v1/messages?conversation_id=${events[0].conversation_id}&user=u`, { token: key });
    expect(messages.json.data.map((m: any) => [m.answer, m.total_tokens])).toEqual([
      ["Paris: noon", 60],
      ["Hello there", 30],
    ]);
  });
});

describe("usage records and the monthly token quota", () => {
  it("records each model call's usage and refuses new generations once the workspace's quota is used", async () => {
    const t = await seedTenant("quota");
    await addMockModel(t);
    const { appId, key } = await chatApp(t, "chat", { model: MODEL });
    const setByEditor = await call("PUT", "/console/api/workspaces/current/usage", { token: t.tokens.admin, body: { monthly_token_quota: 20 } });
    expect(setByEditor.status).toBe(403);
    const set = await call("PUT", "/console/api/workspaces/current/usage", { token: t.tokens.owner, body: { monthly_token_quota: 20 } });
    expect(set.json).toMatchObject({ monthly_token_quota: 20, tokens_used: 0 });

    await scriptMockModel({ text: "one", usage: { prompt_tokens: 10, completion_tokens: 5 } }, { text: "two", usage: { prompt_tokens: 10, completion_tokens: 5 } });
    const first = await call("POST", "/v1/chat-messages", { token: key, body: { query: "a", inputs: {}, user: "u", response_mode: "blocking" } });
    expect(first.status).toBe(200);
    const rows = await env.DB.prepare("SELECT source, source_id, provider, model, total_tokens, app_id FROM usage_records WHERE tenant_id = ?").bind(t.tenantId).all();
    expect(rows.results).toEqual([{ source: "message", source_id: first.json.message_id, provider: MODEL.provider, model: "mock-chat", total_tokens: 15, app_id: appId }]);
    expect((await call("GET", "/console/api/workspaces/current/usage", { token: t.tokens.normal })).json.tokens_used).toBe(15);

    const second = await call("POST", "/v1/chat-messages", { token: key, body: { query: "b", inputs: {}, user: "u", response_mode: "streaming" } });
    expect(second.status).toBe(200);
    const refused = await call("POST", "/v1/chat-messages", { token: key, body: { query: "c", inputs: {}, user: "u", response_mode: "streaming" } });
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ code: "provider_quota_exceeded", message: expect.stringContaining("30 of 20 tokens") });
    const consoleRefused = await call("POST", `/console/api/apps/${appId}/chat-messages`, { token: t.tokens.editor, body: { query: "c" } });
    expect(consoleRefused.json.code).toBe("provider_quota_exceeded");
    // Reading conversations still works, and raising the quota lets generations go on.
    expect((await call("GET", "/v1/conversations?user=u", { token: key })).status).toBe(200);
    await call("PUT", "/console/api/workspaces/current/usage", { token: t.tokens.owner, body: { monthly_token_quota: null } });
    await scriptMockModel({ text: "three" });
    expect((await call("POST", "/v1/chat-messages", { token: key, body: { query: "d", inputs: {}, user: "u", response_mode: "blocking" } })).status).toBe(200);
  });
});

describe("automatic conversation names", () => {
  it("the workspace's default model names a new conversation after its first answer; without one the query does", async () => {
    const t = await seedTenant("naming");
    await addMockModel(t);
    const { key } = await chatApp(t, "chat", { model: MODEL });
    await scriptMockModel({ text: "plain answer" });
    const unnamed = await call("POST", "/v1/chat-messages", { token: key, body: { query: "How do bees find flowers in the morning?", inputs: {}, user: "u", response_mode: "blocking" } });
    expect((await call("GET", "/v1/conversations?user=u", { token: key })).json.data[0].name).toBe("How do bees find flowers in th...");
    expect(unnamed.status).toBe(200);

    const setDefault = await call("POST", "/console/api/workspaces/current/default-model", { token: t.tokens.admin, body: { model_settings: [{ model_type: "llm", provider: "openai_api_compatible", model: "mock-chat" }] } });
    expect(setDefault.status, setDefault.text).toBeLessThan(300);
    await scriptMockModel({ text: "They follow scent and colour." }, { text: '"Bee navigation."' });
    const named = await call("POST", "/v1/chat-messages", { token: key, body: { query: "How do bees navigate?", inputs: {}, user: "v", response_mode: "streaming" } });
    expect(named.status).toBe(200);
    await expect.poll(async () => (await call("GET", "/v1/conversations?user=v", { token: key })).json.data[0].name, { timeout: 10_000 }).toBe("Bee navigation");
    // auto_generate_name: false keeps the provisional name and makes no naming call.
    await scriptMockModel({ text: "ok" });
    await call("POST", "/v1/chat-messages", { token: key, body: { query: "No title please", inputs: {}, user: "w", auto_generate_name: false, response_mode: "blocking" } });
    const requests = await mockModelRequests();
    expect(requests).toHaveLength(4);
    expect((await call("GET", "/v1/conversations?user=w", { token: key })).json.data[0].name).toBe("No title please");
  });
});

describe("vision", () => {
  it("passes an uploaded image to the model with the user's message, and fetches image links only through the egress guard", async () => {
    const t = await seedTenant("vision");
    await addMockModel(t);
    const { key } = await chatApp(t, "chat", { model: MODEL, file_upload: { image: { enabled: true, number_limits: 3, transfer_methods: ["local_file", "remote_url"] } } });
    const form = new FormData();
    form.append("file", new File([new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 1, 2, 3])], "dot.png", { type: "image/png" }));
    form.append("user", "u");
    const { createApp } = await import("../../workers/app");
    const uploaded = await createApp().request("http://waggle.test/v1/files/upload", { method: "POST", headers: { Authorization: `Bearer ${key}` }, body: form }, env);
    const file = await uploaded.json<any>();
    await scriptMockModel({ text: "A tiny image." });
    const res = await call("POST", "/v1/chat-messages", {
      token: key,
      body: {
        query: "What is this?",
        inputs: {},
        user: "u",
        response_mode: "blocking",
        files: [
          { type: "image", transfer_method: "local_file", upload_file_id: file.id },
        ],
      },
    });
    expect(res.status, res.text).toBe(200);
    const content = (await mockModelRequests())[0]?.body.messages.at(-1).content;
    expect(content[0]).toEqual({ type: "text", text: "What is this?" });
    expect(content[1].type).toBe("image_url");
    expect(content[1].image_url.url).toBe(`data:image/png;base64,${btoa(String.fromCharCode(137, 80, 78, 71, 13, 10, 26, 10, 1, 2, 3))}`);
    expect(content).toHaveLength(2);
    // A link to a private address is refused by the egress guard before anything is fetched.
    const ssrf = await call("POST", "/v1/chat-messages", {
      token: key,
      body: { query: "And this?", inputs: {}, user: "u", response_mode: "blocking", files: [{ type: "image", transfer_method: "remote_url", url: "http://169.254.169.254/latest/meta-data/x.png" }] },
    });
    expect(ssrf.status).toBe(400);
    expect(ssrf.json.code).toBe("invalid_param");
    expect(ssrf.json.message).toMatch(/Reading an image for the model failed: .*(not allowed|private|link-local|denied|blocked)/i);
  });
});

/**
 * Starts a streaming answer, reads until two `message` events have arrived, then goes away:
 * what the client saw, the last event id and the task id.
 */
async function twoMessagesThenDisconnect(app: ReturnType<typeof import("../../workers/app").createApp>, path: string, key: string, body: Record<string, unknown>) {
  const response = await app.request(`http://waggle.test${path}`, { method: "POST", headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" }, body: JSON.stringify({ ...body, response_mode: "streaming" }) }, env);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while ((text.match(/"event":"message"/g) ?? []).length < 2) text += decoder.decode((await reader.read()).value, { stream: true });
  await reader.cancel();
  const frames = text.split("\n\n").filter((frame) => frame.includes("data: "));
  const lastId = frames.at(-1)!.split("\n").find((line) => line.startsWith("id: "))!.slice(4);
  const seen = frames.map((frame) => JSON.parse(frame.split("\n").find((line) => line.startsWith("data: "))!.slice(6)));
  return { seen, lastId, taskId: seen[0].task_id as string };
}

describe("stopping a chat turn", () => {
  it("stop and a client that goes away both cancel the model request; the message keeps what was said", async () => {
    const t = await seedTenant("stop");
    await addMockModel(t);
    const { key } = await chatApp(t, "chat", { model: MODEL });
    const { createApp } = await import("../../workers/app");
    const app = createApp();
    const words = Array.from({ length: 40 }, (_, index) => `w${index}`).join(" ");

    // The stop endpoint, with the task id from the stream.
    await scriptMockModel({ text: words, chunkDelayMs: 100 });
    const response = await app.request("http://waggle.test/v1/chat-messages", { method: "POST", headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" }, body: JSON.stringify({ query: "talk", inputs: {}, user: "u", response_mode: "streaming" }) }, env);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    while (!text.includes('"event":"message"')) text += decoder.decode((await reader.read()).value, { stream: true });
    const first = JSON.parse(text.split("\n").find((line) => line.startsWith("data: "))!.slice(6));
    const stopped = await call("POST", `/v1/chat-messages/${first.task_id}/stop`, { token: key, body: { user: "u" } });
    expect(stopped.json).toEqual({ result: "success" });
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    expect(text).toContain('"event":"message_end"');
    await expect.poll(async () => (await mockModelRequests())[0]?.aborted).toBe(true);
    const messages = await call("GET", `/v1/messages?conversation_id=${first.conversation_id}&user=u`, { token: key });
    expect(messages.json.data[0].answer.length).toBeGreaterThan(0);
    expect(messages.json.data[0].answer.length).toBeLessThan(words.length);

    // A client that disconnects mid-answer.
    await resetMockModel();
    await scriptMockModel({ text: words, chunkDelayMs: 100 });
    const second = await app.request("http://waggle.test/v1/chat-messages", { method: "POST", headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" }, body: JSON.stringify({ query: "talk more", inputs: {}, user: "u", response_mode: "streaming" }) }, env);
    const secondReader = second.body!.getReader();
    let secondText = "";
    while (!secondText.includes('"event":"message"')) secondText += decoder.decode((await secondReader.read()).value, { stream: true });
    await secondReader.cancel();
    await expect.poll(async () => (await mockModelRequests())[0]?.aborted, { timeout: 10_000 }).toBe(true);
  });

  it("resumes a streaming answer after a disconnect, from Last-Event-ID, and only for its own user", async () => {
    const t = await seedTenant("resume");
    await addMockModel(t);
    const { key } = await chatApp(t, "chat", { model: MODEL });
    const { createApp } = await import("../../workers/app");
    const app = createApp();
    const words = Array.from({ length: 20 }, (_, index) => `w${index}`).join(" ");
    await scriptMockModel({ text: words, chunkDelayMs: 60 });
    const { seen, lastId, taskId } = await twoMessagesThenDisconnect(app, "/v1/chat-messages", key, { query: "talk", inputs: {}, user: "u" });

    expect((await call("GET", `/v1/chat-messages/${taskId}/events?user=someone-else`, { token: key })).status).toBe(404);
    const resumed = await call("GET", `/v1/chat-messages/${taskId}/events?user=u`, { token: key, headers: { "Last-Event-ID": lastId } });
    expect(resumed.status).toBe(200);
    expect(resumed.headers.get("Content-Type")).toContain("text/event-stream");
    const rest = parseSse(resumed.text);
    expect(rest.at(-1)).toMatchObject({ event: "message_end", task_id: taskId, message_id: seen[0].message_id });
    const answer = [...seen, ...rest].filter((e) => e.event === "message").map((e) => e.answer).join("");
    expect(answer).toBe(words);
    // Resumed within the grace period, the answer was not stopped: the model finished it.
    expect((await mockModelRequests())[0]?.aborted).toBeFalsy();
    const messages = await call("GET", `/v1/messages?conversation_id=${seen[0].conversation_id}&user=u`, { token: key });
    expect(messages.json.data[0].answer).toBe(words);
    // Replaying from the start gives every event again.
    const replay = parseSse((await call("GET", `/v1/chat-messages/${taskId}/events?user=u`, { token: key })).text);
    expect(replay.filter((e) => e.event === "message").map((e) => e.answer).join("")).toBe(words);
  });

  it("resumes a streaming completion the same way, on the completion route only", async () => {
    const t = await seedTenant("resumec");
    await addMockModel(t);
    const { key } = await chatApp(t, "completion", { model: MODEL, pre_prompt: "Say {{text}}", user_input_form: [{ paragraph: { variable: "text", label: "Text", required: true } }] });
    const { createApp } = await import("../../workers/app");
    const app = createApp();
    const words = Array.from({ length: 20 }, (_, index) => `c${index}`).join(" ");
    await scriptMockModel({ text: words, chunkDelayMs: 60 });
    const { seen, lastId, taskId } = await twoMessagesThenDisconnect(app, "/v1/completion-messages", key, { inputs: { text: "words" }, user: "u" });

    expect((await call("GET", `/v1/completion-messages/${taskId}/events?user=someone-else`, { token: key })).status).toBe(404);
    const wrongRoute = await call("GET", `/v1/chat-messages/${taskId}/events?user=u`, { token: key });
    expect(wrongRoute.status).toBe(400);
    expect(wrongRoute.json.code).toBe("not_chat_app");
    const resumed = await call("GET", `/v1/completion-messages/${taskId}/events?user=u`, { token: key, headers: { "Last-Event-ID": lastId } });
    expect(resumed.status).toBe(200);
    expect(resumed.headers.get("Content-Type")).toContain("text/event-stream");
    const rest = parseSse(resumed.text);
    expect(rest.at(-1)).toMatchObject({ event: "message_end", task_id: taskId, message_id: seen[0].message_id });
    expect([...seen, ...rest].filter((e) => e.event === "message").map((e) => e.answer).join("")).toBe(words);
    expect((await mockModelRequests())[0]?.aborted).toBeFalsy();
  });
});
