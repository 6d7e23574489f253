import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { BadRequestError, InvalidParamError, NotFoundError } from "../../../core/errors";
import type { App, AppVersion } from "../../db/repositories";
import type { AppEnv } from "../../http/app-env";
import { endUserField, filesField } from "../../http/service-schemas";
import { defineRoute, jsonBody, jsonResponse, successSchema } from "../../http/route";
import type { ChatAppMode } from "../../runs/chat-payloads";
import type { WorkflowEvent } from "../../../core/engine";
import { sseFromEvents, sseHeaders } from "../../http/sse";
import { chatFrameMapper } from "../../runs/chat-payloads";
import { appFeatures, detachChatTurn, requireChatApp, runChatTurn, type TurnCaller } from "../../runs/chat-turn";
import { moreLikeThis } from "../../runs/more-like-this";
import { runStub, stopRunOf } from "../../runs/launch-run";
import { withRateLimit } from "../../runs/rate-limit";
import { publishedVersion } from "./published-version";

const user = endUserField;
const chatBody = z.object({
  query: z.string().max(100_000),
  inputs: z.record(z.string(), z.unknown()).default({}),
  user,
  response_mode: z.enum(["streaming", "blocking"]).nullish(),
  conversation_id: z.string().max(64).nullish(),
  files: filesField,
  auto_generate_name: z.boolean().default(true),
  /** Chatflows: run a specific published version. */
  workflow_id: z.string().max(64).nullish(),
});
const completionBody = z.object({
  inputs: z.record(z.string(), z.unknown()),
  user,
  query: z.string().max(100_000).default(""),
  response_mode: z.enum(["streaming", "blocking"]).nullish(),
  files: filesField,
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

const chatEvents = defineRoute({
  method: "get",
  path: "/v1/chat-messages/{task_id}/events",
  policy: { auth: "app-key" },
  tags: ["service: chat"],
  summary: "Resume a streaming answer",
  description:
    "Beyond Dify: the SSE stream of a streaming chat answer (`task_id` from its events), replayed from the start or after the `Last-Event-ID` header, then live until it ends. A streaming answer whose client disconnected keeps going for a grace period (30 s by default) so it can be resumed here; then it is stopped.",
  request: { params: z.object({ task_id: z.string().max(64) }), query: z.object({ user }), headers: z.object({ "last-event-id": z.string().max(20).optional() }) },
  responses: { 200: { description: "The answer's events as SSE", content: { "text/event-stream": { schema: z.string() } } } },
});

const moreLikeThisRoute = defineRoute({
  method: "get",
  path: "/v1/messages/{message_id}/more-like-this",
  policy: { auth: "app-key" },
  tags: ["service: chat"],
  summary: "Generate an alternative to a text generator's answer",
  description:
    "Beyond Dify's service API (Dify has it on the web app API, which forwards here): the inputs of one of the user's earlier messages run again at temperature 0.9, as a new message. Needs the app's `more_like_this` feature (403 `app_more_like_this_disabled`).",
  request: { params: z.object({ message_id: z.string().max(64) }), query: z.object({ user, response_mode: z.enum(["blocking", "streaming"]).default("blocking") }) },
  responses: streamOrJson("Blocking: the new message. Streaming: SSE `message` events, then `message_end`."),
});

const completionEvents = defineRoute({
  method: "get",
  path: "/v1/completion-messages/{task_id}/events",
  policy: { auth: "app-key" },
  tags: ["service: chat"],
  summary: "Resume a streaming completion",
  description:
    "Beyond Dify, as `GET /v1/chat-messages/{task_id}/events` for text generators: the SSE stream of a streaming completion, replayed from the start or after the `Last-Event-ID` header, then live until it ends.",
  request: { params: z.object({ task_id: z.string().max(64) }), query: z.object({ user }), headers: z.object({ "last-event-id": z.string().max(20).optional() }) },
  responses: { 200: { description: "The completion's events as SSE", content: { "text/event-stream": { schema: z.string() } } } },
});

/**
 * The events of a streaming answer (chat or completion) of this end user, from the run's Durable
 * Object: replayed after `Last-Event-ID` (all of them without it), then live until the answer ends.
 * Resuming re-attaches a client, so the answer is not stopped at the end of its grace period.
 */
async function resumeTurn(c: Context<AppEnv>, found: App, taskId: string, session: string): Promise<Response> {
  const endUser = await c.var.tenant.runs.ensureEndUser(found.id, session);
  const message = await c.var.tenant.conversations.messageOfRun(found.id, taskId);
  if (!message || message.endUserId !== endUser.id || !message.conversationId) throw new NotFoundError("No answer of this user has that task id.");
  const version = await publishedVersion(c.var.tenant, found);
  const features = version ? appFeatures(found, version) : {};
  const after = Number(c.req.header("Last-Event-ID") ?? 0);
  const events = await runStub(c.env, taskId).events(Number.isFinite(after) && after > 0 ? after : 0);
  const context = {
    mode: found.mode as ChatAppMode,
    taskId,
    messageId: message.id,
    conversationId: message.conversationId,
    createdAt: message.createdAt,
    showRetrieverResources: Boolean((features.retriever_resource as { enabled?: boolean } | undefined)?.enabled),
  };
  return new Response(sseFromEvents<WorkflowEvent>(events, chatFrameMapper(context), undefined, () => detachChatTurn(c, taskId)), { headers: sseHeaders });
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


async function endUserCaller(c: Context<AppEnv>, app: App, session: string): Promise<TurnCaller> {
  const endUser = await c.var.tenant.runs.ensureEndUser(app.id, session);
  return { ownerId: endUser.id, createdByRole: "end_user", createdBy: endUser.id, triggeredFrom: "app-run" };
}

export function registerChatRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(chatMessages, async (c) => {
    const found = requireChatApp(c);
    const body = c.req.valid("json");
    if (!body.query.trim()) throw new InvalidParamError("query is required");
    const streaming = body.response_mode === "streaming";
    if (found.mode === "agent-chat" && !streaming) throw new InvalidParamError("Agent Chat App does not support blocking mode");
    const version = await requireVersion(c, found, found.mode === "advanced-chat" ? body.workflow_id : undefined);
    return withRateLimit(c, async () => runChatTurn(c, found, {
      mode: found.mode,
      version,
      query: body.query,
      inputs: body.inputs,
      caller: await endUserCaller(c, found, body.user),
      conversationId: body.conversation_id || undefined,
      files: body.files ?? undefined,
      streaming,
      autoGenerateName: body.auto_generate_name,
    })) as never;
  });

  app.openapi(completionMessages, async (c) => {
    const found = c.var.serviceApp;
    if (found.mode !== "completion") throw new BadRequestError("Please check if your app mode matches the right API route.", "app_unavailable");
    const body = c.req.valid("json");
    const version = await requireVersion(c, found);
    return withRateLimit(c, async () => runChatTurn(c, found, {
      mode: "completion",
      version,
      query: body.query,
      inputs: body.inputs,
      caller: await endUserCaller(c, found, body.user),
      files: body.files ?? undefined,
      streaming: body.response_mode === "streaming",
    })) as never;
  });

  app.openapi(moreLikeThisRoute, async (c) => {
    const found = c.var.serviceApp;
    const query = c.req.valid("query");
    const version = await requireVersion(c, found);
    return withRateLimit(c, async () =>
      moreLikeThis(c, found, { version, messageId: c.req.valid("param").message_id, caller: await endUserCaller(c, found, query.user), streaming: query.response_mode === "streaming" }),
    ) as never;
  });

  app.openapi(chatEvents, async (c) => {
    const found = requireChatApp(c);
    return resumeTurn(c, found, c.req.valid("param").task_id, c.req.valid("query").user) as never;
  });

  app.openapi(completionEvents, async (c) => {
    const found = c.var.serviceApp;
    if (found.mode !== "completion") throw new BadRequestError("Please check if your app mode matches the right API route.", "app_unavailable");
    return resumeTurn(c, found, c.req.valid("param").task_id, c.req.valid("query").user) as never;
  });

  const stop = async (c: Context<AppEnv>, taskId: string) => {
    await stopRunOf(c.env, c.var.serviceApp, taskId);
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
