/**
 * Conformance: the official `dify-client` npm package, unchanged, against the real platform
 * (`wrangler dev`) and the mock model server — every method of DifyClient, ChatClient and
 * CompletionClient (whose `runWorkflow` drives a workflow app), blocking and streaming.
 * Defined as a function and run from console.test.ts, after the console test has set the
 * platform up through its pages (suites in one file run in order).
 */
import { Readable } from "node:stream";
import { ChatClient, CompletionClient, DifyClient } from "dify-client";
import { beforeAll, describe, expect, inject, it } from "vitest";

const base = () => inject("baseUrl");
const mockUrl = () => inject("mockModelUrl");
// The same owner as the console's browser test: whichever suite runs first sets the platform up.
const owner = { email: "owner@example.com", name: "Olive Owner", password: "first-pass-1", workspace_name: "Acme Labs" };

interface Keys {
  chat: string;
  completion: string;
  workflow: string;
}
let keys: Keys;

async function console(path: string, init: { method?: string; body?: unknown; token?: string } = {}) {
  const response = await fetch(`${base()}/console/api${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: { "Content-Type": "application/json", Origin: base(), ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Signs in (setting the platform up if this is its first visitor) and returns a console token. */
async function signIn(): Promise<string> {
  const status = await console("/setup");
  if (status.step === "not_started") await console("/setup", { body: owner });
  return (await console("/login", { body: { email: owner.email, password: owner.password } })).data.access_token;
}

async function easyApp(token: string, mode: "chat" | "completion", extra: Record<string, unknown>): Promise<string> {
  const app = await console("/apps", { token, body: { name: `client ${mode}`, mode } });
  const draft = await console(`/apps/${app.id}/model-config`, { token });
  const modelConfig = { ...draft.model_config, model: { provider: "openai_api_compatible", name: "client-model", mode: "chat", completion_params: {} }, ...extra };
  await console(`/apps/${app.id}/model-config`, { token, body: { model_config: modelConfig, hash: draft.hash } });
  await console(`/apps/${app.id}/workflows/publish`, { token, body: {} });
  return (await console(`/apps/${app.id}/api-keys`, { token, body: {} })).token;
}

async function workflowApp(token: string): Promise<string> {
  const app = await console("/apps", { token, body: { name: "client workflow", mode: "workflow" } });
  const draft = await console(`/apps/${app.id}/workflows/draft`, { token });
  const graph = {
    nodes: [
      { id: "start", data: { type: "start", title: "Start", variables: [{ variable: "name", label: "Name", type: "text-input", required: true }] } },
      { id: "end", data: { type: "end", title: "End", outputs: [{ variable: "greeting", value_selector: ["start", "name"] }] } },
    ],
    edges: [{ id: "e1", source: "start", target: "end", sourceHandle: "source", targetHandle: "target" }],
  };
  await console(`/apps/${app.id}/workflows/draft`, { token, body: { graph, hash: draft.hash } });
  await console(`/apps/${app.id}/workflows/publish`, { token, body: {} });
  return (await console(`/apps/${app.id}/api-keys`, { token, body: {} })).token;
}

/** Reads a `responseType: "stream"` axios body and parses Dify's SSE frames. */
async function sseEvents(stream: Readable): Promise<any[]> {
  let text = "";
  for await (const chunk of stream) text += chunk.toString();
  return text
    .split("\n\n")
    .map((frame) => frame.split("\n").find((line) => line.startsWith("data: ")))
    .filter((line): line is string => Boolean(line))
    .map((line) => JSON.parse(line.slice(6)));
}

export function difyClientSuite(): void {
  describe("dify-client against Waggle", () => {
  beforeAll(async () => {
    const token = await signIn();
    await console("/workspaces/current/model-providers/openai_api_compatible/models", {
      token,
      body: { model: "client-model", model_type: "llm", credentials: { endpoint_url: `${mockUrl()}/v1`, api_key: "sk-client", mode: "chat", context_size: "4096" } },
    });
    keys = {
      chat: await easyApp(token, "chat", { pre_prompt: "Echo.", opening_statement: "Hi there", user_input_form: [{ "text-input": { variable: "tone", label: "Tone", required: false } }] }),
      completion: await easyApp(token, "completion", { pre_prompt: "Say {{word}}", user_input_form: [{ "text-input": { variable: "word", label: "Word", required: true } }] }),
      workflow: await workflowApp(token),
    };
  });

  describe("every client method", () => {
    it("DifyClient: application parameters, file upload and message feedback", async () => {
      const client = new DifyClient(keys.chat, `${base()}/v1`);
      const parameters = await client.getApplicationParameters("client-user");
      expect(parameters.data).toMatchObject({ opening_statement: "Hi there", user_input_form: [{ "text-input": expect.objectContaining({ variable: "tone" }) }] });

      const form = new FormData();
      form.append("file", new Blob(["hello"], { type: "text/plain" }), "hello.txt");
      form.append("user", "client-user");
      const uploaded = await client.fileUpload(form);
      expect(uploaded.status).toBe(201);
      expect(uploaded.data).toMatchObject({ name: "hello.txt", size: 5, extension: "txt", mime_type: "text/plain" });

      const chat = new ChatClient(keys.chat, `${base()}/v1`);
      const answer = await chat.createChatMessage({}, "feedback please", "client-user");
      const feedback = await client.messageFeedback(answer.data.message_id, "like", "client-user");
      expect(feedback.data).toEqual({ result: "success" });
    });

    it("ChatClient: blocking and streaming messages, conversation history, list, rename and delete", async () => {
      const chat = new ChatClient(keys.chat, `${base()}/v1`);
      const first = await chat.createChatMessage({ tone: "calm" }, "bees are busy", "chat-user");
      expect(first.data).toMatchObject({ event: "message", mode: "chat", answer: "bees are busy", metadata: { usage: expect.objectContaining({ total_tokens: expect.any(Number) }) } });
      const conversationId = first.data.conversation_id;

      const streamed = await chat.createChatMessage({}, "and so am I", "chat-user", true, conversationId);
      expect(streamed.headers["content-type"]).toContain("text/event-stream");
      const events = await sseEvents(streamed.data);
      expect(events.filter((event) => event.event === "message").map((event) => event.answer).join("")).toBe("and so am I");
      expect(events.at(-1)).toMatchObject({ event: "message_end", conversation_id: conversationId });

      const messages = await chat.getConversationMessages("chat-user", conversationId);
      expect(messages.data.data.map((message: any) => message.query)).toEqual(["bees are busy", "and so am I"]);
      const limited = await chat.getConversationMessages("chat-user", conversationId, null, 1);
      expect(limited.data).toMatchObject({ limit: 1, has_more: true });

      const conversations = await chat.getConversations("chat-user");
      expect(conversations.data.data.map((conversation: any) => conversation.id)).toEqual([conversationId]);
      const renamed = await chat.renameConversation(conversationId, "Bee talk", "chat-user");
      expect(renamed.data).toMatchObject({ id: conversationId, name: "Bee talk" });
      const deleted = await chat.deleteConversation(conversationId, "chat-user");
      expect(deleted.status).toBe(204);
      expect((await chat.getConversations("chat-user")).data.data).toEqual([]);
    });

    it("CompletionClient: blocking and streaming completions, and runWorkflow on a workflow app in both modes", async () => {
      const completion = new CompletionClient(keys.completion, `${base()}/v1`);
      const blocking = await completion.createCompletionMessage({ word: "honey" }, "completion-user");
      expect(blocking.data).toMatchObject({ event: "message", mode: "completion", answer: "Say honey" });
      const streamed = await completion.createCompletionMessage({ word: "wax" }, "completion-user", true);
      const events = await sseEvents(streamed.data);
      expect(events.filter((event) => event.event === "message").map((event) => event.answer).join("")).toBe("Say wax");
      expect(events.at(-1).event).toBe("message_end");

      const workflow = new CompletionClient(keys.workflow, `${base()}/v1`);
      const run = await workflow.runWorkflow({ name: "Ada" }, "workflow-user");
      expect(run.data).toMatchObject({ task_id: expect.any(String), workflow_run_id: expect.any(String), data: { status: "succeeded", outputs: { greeting: "Ada" } } });
      const streamedRun = await workflow.runWorkflow({ name: "Grace" }, "workflow-user", true);
      const runEvents = await sseEvents(streamedRun.data);
      expect(runEvents[0].event).toBe("workflow_started");
      expect(runEvents.at(-1)).toMatchObject({ event: "workflow_finished", data: { status: "succeeded", outputs: { greeting: "Grace" } } });
    });

    it("errors keep Dify's envelope through the client", async () => {
      const chat = new ChatClient(keys.completion, `${base()}/v1`);
      const refused = await chat.createChatMessage({}, "hi", "u").catch((error: { response: { status: number; data: unknown } }) => error.response);
      expect(refused.status).toBe(400);
      expect(refused.data).toMatchObject({ code: "not_chat_app", status: 400 });
      const wrongKey = await new ChatClient("app-notarealkeynotarealkey12", `${base()}/v1`).getApplicationParameters("u").catch((error: { response: { status: number; data: unknown } }) => error.response);
      expect(wrongKey.status).toBe(401);
      expect(wrongKey.data).toMatchObject({ code: "unauthorized" });
    });
  });

  });
}
