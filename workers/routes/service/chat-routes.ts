import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { compileEasyModeApp, type EasyMode } from "../../../core/apps";
import type { WorkflowEvent } from "../../../core/engine";
import { uuidV7 } from "../../../core/ports";
import { BadRequestError, InvalidParamError, NotFoundError, WaggleError } from "../../../core/errors";
import type { ChatRunContext } from "../../../durable-objects/workflow-run-types";
import type { App, AppVersion, Conversation } from "../../db/repositories";
import type { AppEnv } from "../../http/app-env";
import { defineRoute, jsonBody, jsonResponse, successSchema } from "../../http/route";
import { sseFromEvents, sseHeaders } from "../../http/sse";
import { blockingChatResponse, chatError, chatFrameMapper, ChatTurn, type ChatAppMode, type ChatStreamContext } from "../../runs/chat-payloads";
import { prepareRun, runStub } from "../../runs/launch-run";
import { readRunEvents } from "../../runs/read-run-events";
import { publishedVersion } from "./published-version";

type Json = Record<string, unknown>;

const user = z.string({ error: "user is required" }).trim().min(1, "user is required").max(255);
const fileSchema = z.object({ type: z.string(), transfer_method: z.enum(["remote_url", "local_file"]), url: z.string().optional(), upload_file_id: z.string().optional() }).passthrough();
const chatBody = z.object({
  query: z.string().max(100_000),
  inputs: z.record(z.string(), z.unknown()).default({}),
  user,
  response_mode: z.enum(["streaming", "blocking"]).nullish(),
  conversation_id: z.string().max(64).nullish(),
  files: z.array(fileSchema).max(20).optional(),
  auto_generate_name: z.boolean().default(true),
  /** Chatflows: run a specific published version. */
  workflow_id: z.string().max(64).nullish(),
});
const completionBody = z.object({
  inputs: z.record(z.string(), z.unknown()),
  user,
  query: z.string().max(100_000).default(""),
  response_mode: z.enum(["streaming", "blocking"]).nullish(),
  files: z.array(fileSchema).max(20).optional(),
});
const chatResponse = z.object({
  event: z.string(),
  task_id: z.string(),
  id: z.string(),
  message_id: z.string(),
  conversation_id: z.string(),
  mode: z.string(),
  answer: z.string(),
  metadata: z.record(z.string(), z.unknown()),
  created_at: z.number(),
});
const streamOrJson = (description: string) => ({
  200: { description, content: { "application/json": { schema: chatResponse }, "text/event-stream": { schema: z.string() } } },
});

const chatMessages = defineRoute({
  method: "post",
  path: "/v1/chat-messages",
  policy: { auth: "app-key" },
  tags: ["service: chat"],
  request: { body: jsonBody(chatBody) },
  responses: streamOrJson("Blocking: the answer. Streaming: SSE `message` events, then `message_end` (chatflows: then `workflow_finished`)."),
});

const completionMessages = defineRoute({
  method: "post",
  path: "/v1/completion-messages",
  policy: { auth: "app-key" },
  tags: ["service: chat"],
  request: { body: jsonBody(completionBody) },
  responses: streamOrJson("Blocking: the completion. Streaming: SSE `message` events, then `message_end`."),
});

const stopChat = defineRoute({
  method: "post",
  path: "/v1/chat-messages/{task_id}/stop",
  policy: { auth: "app-key" },
  tags: ["service: chat"],
  request: { params: z.object({ task_id: z.string().max(64) }), body: jsonBody(z.object({ user })) },
  responses: { 200: jsonResponse("Stopped", successSchema) },
});

const stopCompletion = defineRoute({
  method: "post",
  path: "/v1/completion-messages/{task_id}/stop",
  policy: { auth: "app-key" },
  tags: ["service: chat"],
  request: { params: z.object({ task_id: z.string().max(64) }), body: jsonBody(z.object({ user })) },
  responses: { 200: jsonResponse("Stopped", successSchema) },
});

const CHAT_MODES = new Set(["chat", "agent-chat", "advanced-chat"]);

function requireChatApp(c: Context<AppEnv>): App & { mode: ChatAppMode } {
  const app = c.var.serviceApp;
  if (!CHAT_MODES.has(app.mode)) throw new BadRequestError("Please check if your app mode matches the right API route.", "not_chat_app");
  return app as App & { mode: ChatAppMode };
}

async function requireVersion(c: Context<AppEnv>, app: App, pinned?: string | null): Promise<AppVersion> {
  if (pinned) {
    const version = await c.var.tenant.versions.getPublished(app.id, pinned);
    if (!version) throw new NotFoundError("Workflow version not found. Use the id of a published version of this app.");
    return version;
  }
  const version = await publishedVersion(c.var.tenant, app);
  if (!version) throw new BadRequestError("This app has not been published yet. Publish it in the console first.", "app_unavailable");
  return version;
}

/** The app's features: a chatflow keeps them beside its graph, an easy-mode app in its model config. */
export function appFeatures(app: App, version: AppVersion): Json {
  return app.mode === "advanced-chat" || app.mode === "workflow" ? version.features : (version.modelConfig ?? {});
}

/** Dify names a new conversation after its first query when it is not asked to generate a name. */
function conversationName(query: string): string {
  const text = query.replace(/\s+/g, " ").trim();
  if (!text) return "New conversation";
  return text.length > 30 ? `${text.slice(0, 30)}...` : text;
}

interface TurnOptions {
  mode: ChatAppMode;
  version: AppVersion;
  query: string;
  inputs: Json;
  userSession: string;
  conversationId?: string | null;
  files?: unknown[];
  streaming: boolean;
}

/**
 * Starts one chat turn: finds or creates the conversation, loads its history for memory, writes
 * the conversation and an empty message in one D1 batch while the run starts in its Durable
 * Object, and answers blocking or streaming. The run writes the finished message itself.
 */
async function runTurn(c: Context<AppEnv>, app: App, options: TurnOptions): Promise<Response> {
  const tenant = c.var.tenant;
  const endUser = await tenant.runs.ensureEndUser(app.id, options.userSession);
  let conversation: Conversation | undefined;
  let history: Array<{ query: string; answer: string }> = [];
  let dialogueCount = 1;
  if (options.conversationId) {
    conversation = await tenant.conversations.get(app.id, options.conversationId, endUser.id);
    if (!conversation) throw new NotFoundError("Conversation Not Exists.");
    if (conversation.status !== "normal") throw new BadRequestError("Conversation has ended. Please start a new conversation.", "conversation_completed");
    const [turns, count] = await Promise.all([tenant.conversations.history(conversation.id), tenant.conversations.messageCount(conversation.id)]);
    history = turns;
    dialogueCount = count + 1;
  }
  const graph = options.mode === "advanced-chat" ? options.version.graph : compileEasyModeApp(options.mode as EasyMode, options.version.modelConfig ?? {}).graph;
  const now = Math.floor(Date.now() / 1000);
  // Time-ordered ids: conversations and messages made in the same second still page in order.
  const conversationId = conversation?.id ?? uuidV7();
  const messageId = uuidV7();
  // An existing conversation keeps the inputs it started with, as in Dify.
  const inputs = conversation ? conversation.inputs : options.inputs;
  const name = conversation?.name ?? conversationName(options.query);
  const chat: ChatRunContext = {
    appMode: options.mode,
    messageId,
    conversationId,
    endUserId: endUser.id,
    query: options.query,
    createdAt: now,
    conversation: { name, inputs, createdAt: conversation?.createdAt ?? now },
    history: options.mode === "completion" ? [] : history,
    recordWorkflowRun: options.mode === "advanced-chat",
  };
  const run = prepareRun(c, {
    app,
    version: options.version,
    graph,
    inputs,
    createdByRole: "end_user",
    createdBy: endUser.id,
    userId: endUser.id,
    triggeredFrom: "app-run",
    query: options.mode === "completion" ? undefined : options.query,
    files: options.files,
    conversationId,
    dialogueCount,
    conversationValues: conversation?.variables,
    chat,
  });
  const writes = [
    ...(conversation ? [] : [tenant.conversations.insertConversation({ id: conversationId, appId: app.id, endUserId: endUser.id, name, inputs, variables: {}, createdAt: now })]),
    tenant.conversations.insertMessage({ id: messageId, appId: app.id, conversationId, endUserId: endUser.id, workflowRunId: run.runId, inputs, query: options.query, createdAt: now }),
  ] as const;
  const features = appFeatures(app, options.version);
  const context: ChatStreamContext = {
    mode: options.mode,
    taskId: run.runId,
    messageId,
    conversationId,
    createdAt: now,
    showRetrieverResources: Boolean((features.retriever_resource as Json | undefined)?.enabled),
  };
  const [events] = await Promise.all([run.stream(), tenant.db.batch(writes as never)]);
  if (options.streaming) {
    return new Response(sseFromEvents<WorkflowEvent>(events, chatFrameMapper(context)), { headers: sseHeaders });
  }
  const turn = new ChatTurn();
  await readRunEvents(events, (event) => turn.add(event));
  if (turn.failed) {
    const error = chatError(options.mode, turn.finished?.errorType, turn.finished?.error ?? "The run failed.");
    throw new WaggleError(error.code, error.message, error.status);
  }
  return c.json(blockingChatResponse(context, turn), 200);
}

export function registerChatRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(chatMessages, async (c) => {
    const found = requireChatApp(c);
    const body = c.req.valid("json");
    if (!body.query.trim()) throw new InvalidParamError("query is required");
    const streaming = body.response_mode === "streaming";
    if (found.mode === "agent-chat" && !streaming) throw new InvalidParamError("Agent Chat App does not support blocking mode");
    const version = await requireVersion(c, found, found.mode === "advanced-chat" ? body.workflow_id : undefined);
    return runTurn(c, found, {
      mode: found.mode,
      version,
      query: body.query,
      inputs: body.inputs,
      userSession: body.user,
      conversationId: body.conversation_id || undefined,
      files: body.files,
      streaming,
    }) as never;
  });

  app.openapi(completionMessages, async (c) => {
    const found = c.var.serviceApp;
    if (found.mode !== "completion") throw new BadRequestError("Please check if your app mode matches the right API route.", "app_unavailable");
    const body = c.req.valid("json");
    const version = await requireVersion(c, found);
    return runTurn(c, found, {
      mode: "completion",
      version,
      query: body.query,
      inputs: body.inputs,
      userSession: body.user,
      files: body.files,
      streaming: body.response_mode === "streaming",
    }) as never;
  });

  const stop = async (c: Context<AppEnv>, taskId: string) => {
    const found = c.var.serviceApp;
    const stub = runStub(c.env, taskId);
    const state = await stub.getState();
    if (state && state.tenantId === found.tenantId && state.appId === found.id) await stub.stop();
    // Dify answers success for an unknown or finished task too (the stop flag is just set).
    return c.json({ result: "success" } as const, 200);
  };
  app.openapi(stopChat, async (c) => {
    requireChatApp(c);
    return stop(c, c.req.valid("param").task_id);
  });
  app.openapi(stopCompletion, async (c) => {
    if (c.var.serviceApp.mode !== "completion") throw new BadRequestError("Please check if your app mode matches the right API route.", "app_unavailable");
    return stop(c, c.req.valid("param").task_id);
  });
}
