import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { BadRequestError, InvalidParamError, NotFoundError } from "../../../core/errors";
import type { AppVersion, Conversation } from "../../db/repositories";
import type { AppEnv } from "../../http/app-env";
import { filesField } from "../../http/service-schemas";
import { defineRoute, jsonBody, jsonResponse, successSchema } from "../../http/route";
import type { ChatAppMode } from "../../runs/chat-payloads";
import { runChatTurn, type TurnCaller } from "../../runs/chat-turn";
import { moreLikeThis } from "../../runs/more-like-this";
import { stopRunOf } from "../../runs/launch-run";
import { assertTokenQuota } from "../../runs/token-quota";
import { appParam, requireApp } from "./app-routes";

const looseRecord = z.record(z.string(), z.unknown());
const turnBody = z.object({
  query: z.string().max(100_000).default(""),
  inputs: z.record(z.string(), z.unknown()).default({}),
  conversation_id: z.string().max(64).nullish(),
  response_mode: z.enum(["streaming", "blocking"]).default("streaming"),
  files: filesField,
});
const turnResponses = { 200: { description: "SSE chat events (or, blocking, the answer)", content: { "text/event-stream": { schema: z.string() }, "application/json": { schema: looseRecord } } } };

/** A debug turn route: the same body and answers, a different app mode behind each path. */
const turnRoute = (path: string) =>
  defineRoute({ method: "post", path, policy: { auth: "session", role: "editor" }, tags: ["console: debugging"], request: { params: appParam, body: jsonBody(turnBody) }, responses: turnResponses });

const debugChat = turnRoute("/console/api/apps/{app_id}/chat-messages");
const debugCompletion = turnRoute("/console/api/apps/{app_id}/completion-messages");
const debugChatflow = turnRoute("/console/api/apps/{app_id}/advanced-chat/workflows/draft/run");

const debugMoreLikeThis = defineRoute({
  method: "get",
  path: "/console/api/apps/{app_id}/completion-messages/{message_id}/more-like-this",
  policy: { auth: "session", role: "editor" },
  tags: ["console: debugging"],
  summary: "Another answer like one of the draft's (a text generator's More like this)",
  request: { params: appParam.extend({ message_id: z.string().max(64) }), query: z.object({ response_mode: z.enum(["blocking", "streaming"]).default("blocking") }) },
  responses: turnResponses,
});

const stopDebug = defineRoute({
  method: "post",
  path: "/console/api/apps/{app_id}/chat-messages/{task_id}/stop",
  policy: { auth: "session", role: "editor" },
  tags: ["console: debugging"],
  request: { params: appParam.extend({ task_id: z.string().max(64) }) },
  responses: { 200: jsonResponse("Stopped", successSchema) },
});

const listConversations = defineRoute({
  method: "get",
  path: "/console/api/apps/{app_id}/chat-conversations",
  policy: { auth: "session", role: "editor" },
  tags: ["console: logs"],
  request: { params: appParam, query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20), last_id: z.string().max(64).optional() }) },
  responses: { 200: jsonResponse("The app's conversations, most recently active first, with who had them (`from_end_user_session_id`: the API caller's `user`; `from_account_name`: a console member)", z.object({ limit: z.number(), has_more: z.boolean(), data: z.array(looseRecord) })) },
});

const listMessages = defineRoute({
  method: "get",
  path: "/console/api/apps/{app_id}/chat-messages",
  policy: { auth: "session", role: "editor" },
  tags: ["console: logs"],
  request: { params: appParam, query: z.object({ conversation_id: z.string().max(64), first_id: z.string().max(64).optional(), limit: z.coerce.number().int().min(1).max(100).default(20) }) },
  responses: { 200: jsonResponse("A conversation's messages, oldest first", z.object({ limit: z.number(), has_more: z.boolean(), data: z.array(looseRecord) })) },
});

const getConversation = defineRoute({
  method: "get",
  path: "/console/api/apps/{app_id}/chat-conversations/{conversation_id}",
  policy: { auth: "session", role: "editor" },
  tags: ["console: logs"],
  request: { params: appParam.extend({ conversation_id: z.string().max(64) }) },
  responses: { 200: jsonResponse("One conversation, as the list gives it", looseRecord) },
});

/**
 * Conversations as the console's logs show them, with who had them: an API caller's `user`
 * (`from_end_user_session_id`) or a console member's name (`from_account_name`).
 */
async function conversationLogs(c: Context<AppEnv>, rows: Conversation[]) {
  const accountOf = (row: Conversation) => (row.endUserId?.startsWith("account:") ? row.endUserId.slice("account:".length) : null);
  const endUserIds = [...new Set(rows.flatMap((row) => (row.endUserId && !accountOf(row) ? [row.endUserId] : [])))];
  const [endUsers, members] = await Promise.all([
    c.var.tenant.conversations.endUsers(endUserIds),
    rows.some((row) => accountOf(row)) ? c.var.tenant.members.list() : Promise.resolve([]),
  ]);
  const sessions = new Map(endUsers.map((endUser) => [endUser.id, endUser.sessionId]));
  const names = new Map(members.map((member) => [member.id, member.name]));
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    inputs: row.inputs,
    status: row.status,
    from_source: accountOf(row) ? "console" : "api",
    from_end_user_id: accountOf(row) ? null : row.endUserId,
    from_end_user_session_id: accountOf(row) || !row.endUserId ? null : (sessions.get(row.endUserId) ?? null),
    from_account_id: accountOf(row),
    from_account_name: names.get(accountOf(row) ?? "") ?? null,
    message_count: row.dialogueCount,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  }));
}

function accountCaller(c: Context<AppEnv>): TurnCaller {
  const account = c.var.principal.account;
  return { ownerId: `account:${account.id}`, createdByRole: "account", createdBy: account.id, triggeredFrom: "debugging" };
}

async function draftOf(c: Context<AppEnv>, appId: string): Promise<AppVersion> {
  const draft = await c.var.tenant.versions.getDraft(appId);
  if (!draft) throw new NotFoundError("Draft not found.");
  return draft;
}

/**
 * Debugging chat apps from the console: a turn against the app's draft (easy-mode model config or
 * chatflow graph) in a conversation owned by the account, and the logs of every conversation.
 */
export function registerChatDebugRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(debugChat, async (c) => {
    const { app_id } = c.req.valid("param");
    const found = await requireApp(c, app_id);
    await assertTokenQuota(c);
    if (found.mode !== "chat" && found.mode !== "agent-chat") throw new BadRequestError("Please check if your app mode matches the right API route.", "not_chat_app");
    const body = c.req.valid("json");
    if (!body.query.trim()) throw new InvalidParamError("query is required");
    return runChatTurn(c, found, {
      mode: found.mode as ChatAppMode,
      version: await draftOf(c, app_id),
      query: body.query,
      inputs: body.inputs,
      caller: accountCaller(c),
      conversationId: body.conversation_id || undefined,
      files: body.files ?? undefined,
      streaming: found.mode === "agent-chat" || body.response_mode === "streaming",
    }) as never;
  });

  app.openapi(debugCompletion, async (c) => {
    const { app_id } = c.req.valid("param");
    const found = await requireApp(c, app_id);
    await assertTokenQuota(c);
    if (found.mode !== "completion") throw new BadRequestError("Please check if your app mode matches the right API route.", "app_unavailable");
    const body = c.req.valid("json");
    return runChatTurn(c, found, {
      mode: "completion",
      version: await draftOf(c, app_id),
      query: body.query,
      inputs: body.inputs,
      caller: accountCaller(c),
      files: body.files ?? undefined,
      streaming: body.response_mode === "streaming",
    }) as never;
  });

  app.openapi(debugChatflow, async (c) => {
    const { app_id } = c.req.valid("param");
    const found = await requireApp(c, app_id);
    await assertTokenQuota(c);
    if (found.mode !== "advanced-chat") throw new BadRequestError("Please check if your app mode matches the right API route.", "not_chat_app");
    const body = c.req.valid("json");
    if (!body.query.trim()) throw new InvalidParamError("query is required");
    return runChatTurn(c, found, {
      mode: "advanced-chat",
      version: await draftOf(c, app_id),
      query: body.query,
      inputs: body.inputs,
      caller: accountCaller(c),
      conversationId: body.conversation_id || undefined,
      files: body.files ?? undefined,
      streaming: true,
    }) as never;
  });

  app.openapi(debugMoreLikeThis, async (c) => {
    const { app_id, message_id } = c.req.valid("param");
    const found = await requireApp(c, app_id);
    await assertTokenQuota(c);
    return moreLikeThis(c, found, { version: await draftOf(c, app_id), messageId: message_id, caller: accountCaller(c), streaming: c.req.valid("query").response_mode === "streaming" }) as never;
  });

  app.openapi(stopDebug, async (c) => {
    const { app_id, task_id } = c.req.valid("param");
    await stopRunOf(c.env, await requireApp(c, app_id), task_id);
    return c.json({ result: "success" } as const, 200);
  });

  app.openapi(listConversations, async (c) => {
    const { app_id } = c.req.valid("param");
    const query = c.req.valid("query");
    await requireApp(c, app_id);
    const page = await c.var.tenant.conversations.list({ appId: app_id, lastId: query.last_id, limit: query.limit, sort: "-updated_at" });
    if (!page) throw new NotFoundError("Last Conversation Not Exists.");
    const data = await conversationLogs(c, page.rows);
    return c.json({ limit: query.limit, has_more: page.hasMore, data }, 200);
  });

  app.openapi(getConversation, async (c) => {
    const { app_id, conversation_id } = c.req.valid("param");
    await requireApp(c, app_id);
    const conversation = await c.var.tenant.conversations.get(app_id, conversation_id);
    if (!conversation) throw new NotFoundError("Conversation Not Exists.");
    const [data] = await conversationLogs(c, [conversation]);
    return c.json(data as Record<string, unknown>, 200);
  });

  app.openapi(listMessages, async (c) => {
    const { app_id } = c.req.valid("param");
    const query = c.req.valid("query");
    await requireApp(c, app_id);
    const conversation = await c.var.tenant.conversations.get(app_id, query.conversation_id);
    if (!conversation) throw new NotFoundError("Conversation Not Exists.");
    const page = await c.var.tenant.conversations.listMessages({ appId: app_id, conversationId: conversation.id, firstId: query.first_id, limit: query.limit });
    if (!page) throw new NotFoundError("First Message Not Exists.");
    const data = page.rows.map((row) => ({
      id: row.id,
      conversation_id: row.conversationId,
      query: row.query,
      answer: row.answer,
      status: row.status,
      error: row.error,
      inputs: row.inputs,
      workflow_run_id: row.workflowRunId,
      message_tokens: row.messageTokens,
      answer_tokens: row.answerTokens,
      total_price: row.totalPrice,
      currency: row.currency,
      provider_response_latency: row.latency,
      metadata: row.metadata,
      feedback: row.feedbackRating ? { rating: row.feedbackRating } : null,
      created_at: row.createdAt,
    }));
    return c.json({ limit: query.limit, has_more: page.hasMore, data }, 200);
  });
}
