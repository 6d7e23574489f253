import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { ConversationVariable } from "../../../core/dsl";
import { BadRequestError, InvalidParamError, NotFoundError } from "../../../core/errors";
import type { App, Conversation, Message, MessageFeedback } from "../../db/repositories";
import type { AppEnv } from "../../http/app-env";
import { endUserField } from "../../http/service-schemas";
import { defineRoute, jsonBody, jsonResponse, successSchema } from "../../http/route";
import { defaultModel } from "../../runs/default-model";
import { suggestQuestions } from "../../runs/suggested-questions";
import { appFeatures, requireChatApp } from "../../runs/chat-turn";
import { publishedVersion } from "./published-version";

type Json = Record<string, unknown>;

const user = endUserField;
const looseRecord = z.record(z.string(), z.unknown());
const conversationParam = z.object({ conversation_id: z.string().max(64) });

const listMessages = defineRoute({
  method: "get",
  path: "/v1/messages",
  policy: { auth: "app-key" },
  tags: ["service: conversations"],
  request: { query: z.object({ conversation_id: z.string().max(64), user, first_id: z.string().max(64).optional(), limit: z.coerce.number().int().min(1).max(100).default(20) }) },
  responses: { 200: jsonResponse("The conversation's messages, oldest first", z.object({ limit: z.number(), has_more: z.boolean(), data: z.array(looseRecord) })) },
});

const feedback = defineRoute({
  method: "post",
  path: "/v1/messages/{message_id}/feedbacks",
  policy: { auth: "app-key" },
  tags: ["service: conversations"],
  request: { params: z.object({ message_id: z.string().max(64) }), body: jsonBody(z.object({ rating: z.enum(["like", "dislike"]).nullable(), user, content: z.string().max(10_000).nullish() })) },
  responses: { 200: jsonResponse("Saved", successSchema) },
});

const appFeedbacks = defineRoute({
  method: "get",
  path: "/v1/app/feedbacks",
  policy: { auth: "app-key" },
  tags: ["service: conversations"],
  request: { query: z.object({ page: z.coerce.number().int().min(1).default(1), limit: z.coerce.number().int().min(1).max(101).default(20) }) },
  responses: { 200: jsonResponse("The app's feedback, newest first", z.object({ data: z.array(looseRecord) })) },
});

const suggested = defineRoute({
  method: "get",
  path: "/v1/messages/{message_id}/suggested",
  policy: { auth: "app-key" },
  tags: ["service: conversations"],
  request: { params: z.object({ message_id: z.string().max(64) }), query: z.object({ user }) },
  responses: { 200: jsonResponse("Suggested follow-up questions", z.object({ result: z.literal("success"), data: z.array(z.string()) })) },
});

const listConversations = defineRoute({
  method: "get",
  path: "/v1/conversations",
  policy: { auth: "app-key" },
  tags: ["service: conversations"],
  request: {
    query: z.object({
      user,
      last_id: z.string().max(64).optional(),
      limit: z.coerce.number().int().min(1).max(100).default(20),
      sort_by: z.enum(["created_at", "-created_at", "updated_at", "-updated_at"]).default("-updated_at"),
    }),
  },
  responses: { 200: jsonResponse("The user's conversations", z.object({ limit: z.number(), has_more: z.boolean(), data: z.array(looseRecord) })) },
});

const deleteConversation = defineRoute({
  method: "delete",
  path: "/v1/conversations/{conversation_id}",
  policy: { auth: "app-key" },
  tags: ["service: conversations"],
  request: { params: conversationParam, body: jsonBody(z.object({ user })) },
  responses: { 204: { description: "Deleted" } },
});

const renameConversation = defineRoute({
  method: "post",
  path: "/v1/conversations/{conversation_id}/name",
  policy: { auth: "app-key" },
  tags: ["service: conversations"],
  request: { params: conversationParam, body: jsonBody(z.object({ name: z.string().max(255).nullish(), auto_generate: z.boolean().default(false), user })) },
  responses: { 200: jsonResponse("The conversation", looseRecord) },
});

const listVariables = defineRoute({
  method: "get",
  path: "/v1/conversations/{conversation_id}/variables",
  policy: { auth: "app-key" },
  tags: ["service: conversations"],
  request: {
    params: conversationParam,
    query: z.object({ user, last_id: z.string().max(64).optional(), limit: z.coerce.number().int().min(1).max(100).default(20), variable_name: z.string().max(255).optional() }),
  },
  responses: { 200: jsonResponse("The conversation's variables", z.object({ limit: z.number(), has_more: z.boolean(), data: z.array(looseRecord) })) },
});

const updateVariable = defineRoute({
  method: "put",
  path: "/v1/conversations/{conversation_id}/variables/{variable_id}",
  policy: { auth: "app-key" },
  tags: ["service: conversations"],
  request: { params: conversationParam.extend({ variable_id: z.string().max(255) }), body: jsonBody(z.object({ value: z.unknown(), user })) },
  responses: { 200: jsonResponse("The variable", looseRecord) },
});


/** The end user's conversation, or 404 as Dify answers for someone else's. */
async function ownConversation(c: Context<AppEnv>, app: App, conversationId: string, session: string): Promise<Conversation> {
  const endUser = await c.var.tenant.runs.ensureEndUser(app.id, session);
  const conversation = await c.var.tenant.conversations.get(app.id, conversationId, endUser.id);
  if (!conversation) throw new NotFoundError("Conversation Not Exists.");
  return conversation;
}

function conversationBody(conversation: Conversation, introduction: string): Json {
  return {
    id: conversation.id,
    name: conversation.name,
    inputs: conversation.inputs,
    status: conversation.status,
    introduction,
    created_at: conversation.createdAt,
    updated_at: conversation.updatedAt,
  };
}

function messageBody(message: Message, feedbacks: Map<string, MessageFeedback>): Json {
  const metadata = message.metadata ?? {};
  const userFeedback = feedbacks.get(message.id);
  return {
    id: message.id,
    conversation_id: message.conversationId,
    parent_message_id: message.parentMessageId,
    inputs: message.inputs,
    query: message.query,
    answer: message.answer,
    status: message.status,
    error: message.error,
    message_files: [],
    feedback: userFeedback ? { rating: userFeedback.rating } : null,
    retriever_resources: (metadata.retriever_resources as unknown[] | undefined) ?? [],
    agent_thoughts: (metadata.agent_thoughts as unknown[] | undefined) ?? [],
    created_at: message.createdAt,
    message_tokens: message.messageTokens,
    answer_tokens: message.answerTokens,
    total_tokens: message.messageTokens + message.answerTokens,
    provider_response_latency: message.latency,
    total_price: message.totalPrice,
    currency: message.currency,
  };
}

/** A value fits a conversation variable's declared type (Dify's `SegmentType` check on update). */
function fitsType(valueType: string, value: unknown): boolean {
  switch (valueType) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    case "array[string]":
      return Array.isArray(value) && value.every((item) => typeof item === "string");
    case "array[number]":
      return Array.isArray(value) && value.every((item) => typeof item === "number");
    case "array[boolean]":
      return Array.isArray(value) && value.every((item) => typeof item === "boolean");
    case "array[object]":
      return Array.isArray(value) && value.every((item) => typeof item === "object" && item !== null && !Array.isArray(item));
    default:
      return Array.isArray(value) || value !== undefined;
  }
}

export function registerConversationRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(listMessages, async (c) => {
    const found = requireChatApp(c);
    const query = c.req.valid("query");
    const conversation = await ownConversation(c, found, query.conversation_id, query.user);
    const page = await c.var.tenant.conversations.listMessages({ appId: found.id, conversationId: conversation.id, firstId: query.first_id, limit: query.limit });
    if (!page) throw new NotFoundError("First Message Not Exists.");
    const feedbacks = new Map((await c.var.tenant.conversations.feedbacksFor(page.rows.map((row) => row.id))).filter((f) => f.fromSource === "user").map((f) => [f.messageId, f]));
    return c.json({ limit: query.limit, has_more: page.hasMore, data: page.rows.map((row) => messageBody(row, feedbacks)) }, 200);
  });

  app.openapi(feedback, async (c) => {
    const found = c.var.serviceApp;
    const body = c.req.valid("json");
    const endUser = await c.var.tenant.runs.ensureEndUser(found.id, body.user);
    const message = await c.var.tenant.conversations.getMessage(found.id, c.req.valid("param").message_id);
    if (!message || message.endUserId !== endUser.id) throw new NotFoundError("Message Not Exists.");
    await c.var.tenant.conversations.setFeedback(message, { rating: body.rating, content: body.content, fromSource: "user", endUserId: endUser.id });
    return c.json({ result: "success" } as const, 200);
  });

  app.openapi(appFeedbacks, async (c) => {
    const query = c.req.valid("query");
    const rows = await c.var.tenant.conversations.listFeedbacks(c.var.serviceApp.id, query.page, query.limit);
    const data = rows.map((row) => ({
      id: row.id,
      app_id: row.appId,
      conversation_id: row.conversationId,
      message_id: row.messageId,
      rating: row.rating,
      content: row.content,
      from_source: row.fromSource,
      from_end_user_id: row.fromEndUserId,
      from_account_id: row.fromAccountId,
      created_at: row.createdAt,
      updated_at: row.updatedAt,
    }));
    return c.json({ data }, 200);
  });

  app.openapi(suggested, async (c) => {
    const found = requireChatApp(c);
    const endUser = await c.var.tenant.runs.ensureEndUser(found.id, c.req.valid("query").user);
    const message = await c.var.tenant.conversations.getMessage(found.id, c.req.valid("param").message_id);
    if (!message || message.endUserId !== endUser.id || !message.conversationId) throw new NotFoundError("Message Not Exists.");
    const version = await publishedVersion(c.var.tenant, found);
    const features = version ? appFeatures(found, version) : {};
    if (!(features.suggested_questions_after_answer as Json | undefined)?.enabled) throw new BadRequestError("Suggested Questions Is Disabled.", "bad_request");
    const appModel = found.mode !== "advanced-chat" ? ((version?.modelConfig?.model as Json | undefined) ?? undefined) : undefined;
    const model =
      appModel && typeof appModel.provider === "string" && appModel.provider && typeof appModel.name === "string"
        ? { provider: appModel.provider, model: appModel.name }
        : await defaultModel(c.env, c.var.tenant);
    const turns = await c.var.tenant.conversations.history(message.conversationId);
    const data = model ? await suggestQuestions(c.env, c.var.tenant.tenantId, model, turns) : [];
    return c.json({ result: "success" as const, data }, 200);
  });

  app.openapi(listConversations, async (c) => {
    const found = requireChatApp(c);
    const query = c.req.valid("query");
    const endUser = await c.var.tenant.runs.ensureEndUser(found.id, query.user);
    const page = await c.var.tenant.conversations.list({ appId: found.id, endUserId: endUser.id, lastId: query.last_id, limit: query.limit, sort: query.sort_by });
    if (!page) throw new NotFoundError("Last Conversation Not Exists.");
    const version = await publishedVersion(c.var.tenant, found);
    const introduction = String((version ? appFeatures(found, version) : {}).opening_statement ?? "");
    return c.json({ limit: query.limit, has_more: page.hasMore, data: page.rows.map((row) => conversationBody(row, introduction)) }, 200);
  });

  app.openapi(deleteConversation, async (c) => {
    const found = requireChatApp(c);
    const conversation = await ownConversation(c, found, c.req.valid("param").conversation_id, c.req.valid("json").user);
    await c.var.tenant.conversations.delete(found.id, conversation.id);
    return c.body(null, 204);
  });

  app.openapi(renameConversation, async (c) => {
    const found = requireChatApp(c);
    const body = c.req.valid("json");
    const conversation = await ownConversation(c, found, c.req.valid("param").conversation_id, body.user);
    let name = body.name?.trim() ?? "";
    if (body.auto_generate) {
      const first = (await c.var.tenant.conversations.history(conversation.id))[0];
      name = first ? first.query.replace(/\s+/g, " ").trim().slice(0, 30) : conversation.name;
    } else if (!name) {
      throw new InvalidParamError("name is required unless auto_generate is true");
    }
    const renamed = await c.var.tenant.conversations.rename(found.id, conversation.id, name);
    if (!renamed) throw new NotFoundError("Conversation Not Exists.");
    return c.json(conversationBody(renamed, ""), 200);
  });

  const declarations = async (c: Context<AppEnv>, found: App): Promise<ConversationVariable[]> => {
    const version = await publishedVersion(c.var.tenant, found);
    return (version?.conversationVariables as ConversationVariable[] | undefined) ?? [];
  };
  const variableBody = (declaration: ConversationVariable, conversation: Conversation) => ({
    id: declaration.id ?? declaration.name,
    name: declaration.name,
    value_type: declaration.value_type,
    value: Object.hasOwn(conversation.variables, declaration.name) ? conversation.variables[declaration.name] : declaration.value,
    description: (declaration as { description?: string }).description ?? "",
    created_at: conversation.createdAt,
    updated_at: conversation.updatedAt,
  });

  app.openapi(listVariables, async (c) => {
    const found = requireChatApp(c);
    const query = c.req.valid("query");
    const conversation = await ownConversation(c, found, c.req.valid("param").conversation_id, query.user);
    let list = await declarations(c, found);
    if (query.variable_name) list = list.filter((declaration) => declaration.name === query.variable_name);
    if (query.last_id) {
      const index = list.findIndex((declaration) => (declaration.id ?? declaration.name) === query.last_id);
      list = index >= 0 ? list.slice(index + 1) : [];
    }
    return c.json({ limit: query.limit, has_more: list.length > query.limit, data: list.slice(0, query.limit).map((declaration) => variableBody(declaration, conversation)) }, 200);
  });

  app.openapi(updateVariable, async (c) => {
    const found = requireChatApp(c);
    const { conversation_id, variable_id } = c.req.valid("param");
    const body = c.req.valid("json");
    const conversation = await ownConversation(c, found, conversation_id, body.user);
    const declaration = (await declarations(c, found)).find((candidate) => (candidate.id ?? candidate.name) === variable_id);
    if (!declaration) throw new NotFoundError("Conversation Variable Not Exists.");
    if (!fitsType(declaration.value_type, body.value)) throw new InvalidParamError(`Type mismatch: variable '${declaration.name}' expects ${declaration.value_type}.`);
    const updated = await c.var.tenant.conversations.setVariables(found.id, conversation.id, { ...conversation.variables, [declaration.name]: body.value });
    if (!updated) throw new NotFoundError("Conversation Not Exists.");
    return c.json(variableBody(declaration, updated), 200);
  });
}
