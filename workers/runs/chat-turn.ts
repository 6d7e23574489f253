import type { Context } from "hono";
import { compileEasyModeApp, moderateInputs, moderationText, outputModeration, type EasyMode } from "../../core/apps";
import { readModeration, unsupportedModerationMessage, type ModerationSetting } from "../../core/dsl";
import { emptyUsage, isModelError } from "../../core/models";
import { buildModelRuntime, tenantCredentialSource } from "../adapters/model-runtime";
import type { WorkflowEvent } from "../../core/engine";
import { BadRequestError, NotFoundError, WaggleError } from "../../core/errors";
import { uuidV7 } from "../../core/ports";
import type { ChatRunContext } from "../../durable-objects/workflow-run-types";
import type { App, AppVersion, Conversation } from "../db/repositories";
import type { AppEnv } from "../http/app-env";
import { sseFromEvents, sseHeaders } from "../http/sse";
import { findAnnotationReply } from "../annotations";
import { answerDirectly, answerFromAnnotation } from "./annotation-turn";
import { blockingChatResponse, chatError, chatFrameMapper, ChatTurn, type ChatAppMode, type ChatStreamContext } from "./chat-payloads";
import { prepareRun, runStub } from "./launch-run";
import { readRunEvents } from "./read-run-events";
import { resolveRunFiles } from "./resolve-files";

type Json = Record<string, unknown>;

const CHAT_MODES = new Set(["chat", "agent-chat", "advanced-chat"]);

/** The service API's app, if it is a chat app (chatbot, agent, chatflow); else Dify's 400 `not_chat_app`. */
export function requireChatApp(c: Context<AppEnv>): App & { mode: ChatAppMode } {
  const app = c.var.serviceApp;
  if (!CHAT_MODES.has(app.mode)) throw new BadRequestError("Please check if your app mode matches the right API route.", "not_chat_app");
  return app as App & { mode: ChatAppMode };
}

/** The app's features: a chatflow keeps them beside its graph, an easy-mode app in its model config. */
/** Default of `WAGGLE_CHAT_RESUME_GRACE_SECONDS`. */
const CHAT_RESUME_GRACE_SECONDS = 30;

/** The client of a chat turn's stream went away: the run stops unless a client resumes it in time. */
export function detachChatTurn(c: Context<AppEnv>, runId: string): void {
  const configured = Number(c.env.WAGGLE_CHAT_RESUME_GRACE_SECONDS);
  const graceMs = (Number.isFinite(configured) && configured >= 0 && c.env.WAGGLE_CHAT_RESUME_GRACE_SECONDS ? configured : CHAT_RESUME_GRACE_SECONDS) * 1000;
  const detaching = runStub(c.env, runId).detach(graceMs).catch((error: unknown) => console.error("detaching from a chat turn failed", error));
  try {
    c.executionCtx.waitUntil(detaching);
  } catch {
    // no execution context (in-process tests)
  }
}

export function appFeatures(app: App, version: AppVersion): Json {
  return app.mode === "advanced-chat" || app.mode === "workflow" ? version.features : (version.modelConfig ?? {});
}

/**
 * Who a chat turn belongs to. Service API callers are end users (`user`); console debugging
 * belongs to the account, under an owner id (`account:<id>`) no end user can have.
 */
export interface TurnCaller {
  ownerId: string;
  createdByRole: "end_user" | "account";
  createdBy: string;
  triggeredFrom: "app-run" | "debugging";
}

export interface TurnOptions {
  mode: ChatAppMode;
  version: AppVersion;
  query: string;
  inputs: Json;
  caller: TurnCaller;
  conversationId?: string | null;
  files?: unknown[];
  streaming: boolean;
  /** Let a model name a new conversation (Dify's `auto_generate_name`, default true). */
  autoGenerateName?: boolean;
}

/**
 * The input check of content moderation: keywords here, OpenAI Moderation through the workspace's
 * OpenAI provider. A moderation call that fails stops the turn with the reason (as in Dify: the
 * inputs are not let through unchecked).
 */
async function moderateTurnInputs(c: Context<AppEnv>, app: App, setting: ModerationSetting, inputs: Record<string, unknown>, query: string): Promise<{ flagged: false } | { flagged: true; presetResponse: string }> {
  if (!setting.enabled || setting.type !== "openai_moderation") return moderateInputs(setting, inputs, query);
  if (!setting.inputs.enabled) return { flagged: false };
  const runtime = buildModelRuntime(c.env, app.tenantId, tenantCredentialSource(c.env, app.tenantId, c.var.credentialsRevision));
  try {
    const { flagged } = await runtime.moderate({ text: moderationText(inputs, query), signal: c.req.raw.signal });
    return flagged ? { flagged: true, presetResponse: setting.inputs.presetResponse } : { flagged: false };
  } catch (error) {
    if (isModelError(error)) throw new WaggleError(error.code, `Content moderation failed: ${error.message}`, 400, { cause: error });
    throw error;
  }
}

/** Dify names a new conversation after its first query when it is not asked to generate a name. */
function conversationName(query: string): string {
  const text = query.replace(/\s+/g, " ").trim();
  if (!text) return "New conversation";
  return text.length > 30 ? `${text.slice(0, 30)}...` : text;
}

/**
 * Starts one chat turn: finds or creates the conversation, loads its history for memory, starts
 * the run in its Durable Object, writes the conversation and an empty message in one D1 batch
 * (streaming: once the first frame is out), and answers blocking or streaming. The run writes the
 * finished message itself.
 */
export async function runChatTurn(c: Context<AppEnv>, app: App, options: TurnOptions): Promise<Response> {
  const tenant = c.var.tenant;
  const { caller } = options;
  const features = appFeatures(app, options.version);
  const moderation = readModeration(features);
  // An app whose moderation cannot be applied does not run unmoderated.
  if (moderation.enabled && moderation.type === "unsupported") throw new BadRequestError(unsupportedModerationMessage(moderation.label), "app_unavailable");
  // Annotation reply (chat apps): looked up while the conversation loads; a hit answers without a run.
  const annotationLookup = options.mode === "completion" ? null : findAnnotationReply(c.env, tenant, app.id, options.query, c.var.annotationSetting);
  let conversation: Conversation | undefined;
  let history: Array<{ query: string; answer: string }> = [];
  let dialogueCount = 1;
  if (options.conversationId) {
    conversation = await tenant.conversations.get(app.id, options.conversationId, caller.ownerId);
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
  const resolved = await resolveRunFiles(tenant, app, { files: options.files, inputs: conversation ? {} : options.inputs });
  const inputs = conversation ? conversation.inputs : resolved.inputs;
  const name = conversation?.name ?? conversationName(options.query);
  // Content moderation of the inputs and query comes first (as in Dify): a flagged turn is
  // answered with the preset response and runs nothing.
  const flagged = await moderateTurnInputs(c, app, moderation, inputs, options.query);
  if (flagged.flagged) {
    void annotationLookup?.catch(() => undefined);
    return answerDirectly(c, { app, mode: options.mode, caller, query: options.query, inputs, conversationId, newConversationName: conversation ? null : name, streaming: options.streaming }, { answer: flagged.presetResponse, metadata: { usage: emptyUsage() } });
  }
  const hit = await annotationLookup;
  if (hit) {
    return answerFromAnnotation(c, {
      app,
      mode: options.mode,
      hit,
      caller,
      query: options.query,
      inputs,
      conversationId,
      newConversationName: conversation ? null : name,
      streaming: options.streaming,
    });
  }
  const chat: ChatRunContext = {
    appMode: options.mode,
    messageId,
    conversationId,
    endUserId: caller.ownerId,
    query: options.query,
    createdAt: now,
    conversation: { name, inputs, createdAt: conversation?.createdAt ?? now },
    history: options.mode === "completion" ? [] : history,
    recordWorkflowRun: options.mode === "advanced-chat",
    autoName: !conversation && options.autoGenerateName !== false && options.mode !== "completion",
    outputModeration: outputModeration(moderation) ?? undefined,
  };
  const run = prepareRun(c, {
    app,
    version: options.version,
    graph,
    inputs,
    createdByRole: caller.createdByRole,
    createdBy: caller.createdBy,
    userId: caller.createdBy,
    triggeredFrom: caller.triggeredFrom,
    query: options.mode === "completion" ? undefined : options.query,
    files: resolved.files,
    conversationId,
    dialogueCount,
    conversationValues: conversation?.variables,
    credentialsRevision: c.var.credentialsRevision,
    chat,
  });
  // The run starts first: building and sending the insert batch below takes the isolate's CPU
  // that the run's object needs to reach the model request.
  const eventsPromise = run.stream();
  const writes = [
    ...(conversation ? [] : [tenant.conversations.insertConversation({ id: conversationId, appId: app.id, endUserId: caller.ownerId, name, inputs, variables: {}, createdAt: now })]),
    tenant.conversations.insertMessage({ id: messageId, appId: app.id, conversationId, endUserId: caller.ownerId, workflowRunId: run.runId, inputs, query: options.query, createdAt: now }),
  ] as const;
  const context: ChatStreamContext = {
    mode: options.mode,
    taskId: run.runId,
    messageId,
    conversationId,
    createdAt: now,
    showRetrieverResources: Boolean((features.retriever_resource as Json | undefined)?.enabled),
  };
  // Both statements do nothing if the run's own closing batch got there first, so the answer does
  // not wait for them; the run writes the conversation and the finished message itself.
  let inserting = false;
  const insert = () => {
    if (inserting) return;
    inserting = true;
    const inserted = tenant.db.batch(writes as never).catch((error: unknown) => console.error("inserting the new message failed; the run writes it when it ends", error));
    try {
      c.executionCtx.waitUntil(inserted);
    } catch {
      // no execution context (in-process tests)
    }
  };
  if (options.streaming) {
    // A streamed answer writes them once its first frame is out (`message`, or a chatflow's
    // `workflow_started`): written at once, they took the CPU the run needed on its way to the
    // model request, and the first token came about 2 ms later (bench:ttft).
    const toFrames = chatFrameMapper(context);
    const mapFrames = (event: WorkflowEvent) => {
      const frames = toFrames(event);
      if (frames && !inserting) setTimeout(insert, 0);
      return frames;
    };
    const events = await eventsPromise;
    // A chat turn nobody listens to any more is stopped after a grace period in which the client
    // may resume it; stopping cancels the model request upstream.
    const stopOnDisconnect = () => detachChatTurn(c, run.runId);
    return new Response(sseFromEvents<WorkflowEvent>(events, mapFrames, undefined, stopOnDisconnect), { headers: sseHeaders });
  }
  insert();
  const events = await eventsPromise;
  const turn = new ChatTurn();
  await readRunEvents(events, (event) => turn.add(event));
  if (turn.failed) {
    const error = chatError(options.mode, turn.finished?.errorType, turn.finished?.error ?? "The run failed.");
    throw new WaggleError(error.code, error.message, error.status);
  }
  return c.json(blockingChatResponse(context, turn), 200);
}
