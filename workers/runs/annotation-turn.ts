import type { Context } from "hono";
import { emptyUsage } from "../../core/models";
import { uuidV7 } from "../../core/ports";
import { annotationReplyMetadata, type AnnotationHit } from "../annotations";
import type { App } from "../db/repositories";
import type { AppEnv } from "../http/app-env";
import { sseHeaders } from "../http/sse";
import type { ChatAppMode } from "./chat-payloads";
import type { TurnCaller } from "./chat-turn";

export interface AnnotationTurn {
  app: App;
  mode: ChatAppMode;
  hit: AnnotationHit;
  caller: TurnCaller;
  query: string;
  inputs: Record<string, unknown>;
  conversationId: string;
  /** Set when the turn starts a conversation: its name. */
  newConversationName: string | null;
  streaming: boolean;
}

const encoder = new TextEncoder();

/** The answer in word-sized `message` deltas, as a model would stream it. */
function pieces(answer: string): string[] {
  return answer ? (answer.match(/\s*\S+\s*/g) ?? [answer]) : [""];
}

/**
 * Answers a chat turn with an annotation instead of the model (Dify's annotation reply): the
 * message is stored at once (conversation, message with zero tokens, hit count and hit history in
 * one D1 batch), then sent as Dify sends it: blocking, the message with `metadata.annotation_reply`;
 * streaming, `message` events and a `message_end` carrying the same metadata.
 */
export async function answerFromAnnotation(c: Context<AppEnv>, turn: AnnotationTurn): Promise<Response> {
  const { hit, caller } = turn;
  const answer = hit.annotation.content;
  return answerDirectly(c, turn, {
    answer,
    metadata: { usage: emptyUsage(), annotation_reply: annotationReplyMetadata(hit) },
    statements: (messageId, now) =>
      c.var.tenant.annotations.hitStatements({
        appId: turn.app.id,
        annotationId: hit.annotation.id,
        source: caller.triggeredFrom === "debugging" ? "console" : "api",
        question: turn.query,
        score: hit.score,
        messageId,
        accountId: caller.createdByRole === "account" ? caller.createdBy : null,
        endUserId: caller.createdByRole === "end_user" ? caller.createdBy : null,
        annotationQuestion: hit.annotation.question,
        annotationContent: answer,
        createdAt: now,
      }),
  });
}

export type DirectTurn = Omit<AnnotationTurn, "hit">;

/**
 * Answers a chat turn without running it — an annotation reply, or the preset response of content
 * moderation that flagged the inputs: the conversation (when new) and the answered message are
 * written in one D1 batch with any `statements` of the caller, then the answer is sent blocking or
 * as `message` deltas and a `message_end`, with `metadata`.
 */
export async function answerDirectly(
  c: Context<AppEnv>,
  turn: DirectTurn,
  direct: { answer: string; metadata: Record<string, unknown>; statements?: (messageId: string, now: number) => readonly unknown[] },
): Promise<Response> {
  const tenant = c.var.tenant;
  const { caller } = turn;
  const { answer, metadata } = direct;
  const now = Math.floor(Date.now() / 1000);
  const messageId = uuidV7();
  const taskId = crypto.randomUUID();
  const conversations = tenant.conversations;
  await tenant.db.batch([
    ...(turn.newConversationName !== null
      ? [conversations.insertConversation({ id: turn.conversationId, appId: turn.app.id, endUserId: caller.ownerId, name: turn.newConversationName, inputs: turn.inputs, variables: {}, createdAt: now })]
      : []),
    conversations.insertAnsweredMessage({ id: messageId, appId: turn.app.id, conversationId: turn.conversationId, endUserId: caller.ownerId, inputs: turn.inputs, query: turn.query, answer, metadata, createdAt: now }),
    conversations.touchConversation(turn.conversationId, now),
    ...(direct.statements?.(messageId, now) ?? []),
  ] as never);
  const common = { task_id: taskId, message_id: messageId, conversation_id: turn.conversationId };
  if (!turn.streaming) {
    return c.json({ event: "message", task_id: taskId, id: messageId, message_id: messageId, conversation_id: turn.conversationId, mode: turn.mode, answer, metadata, created_at: now }, 200);
  }
  const frames: object[] = [
    ...pieces(answer).map((piece) => ({ event: "message", id: messageId, ...common, answer: piece, created_at: now })),
    { event: "message_end", task_id: taskId, id: messageId, message_id: messageId, conversation_id: turn.conversationId, created_at: now, metadata, files: [] },
  ];
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const frame of frames) controller.enqueue(encoder.encode(`data: ${JSON.stringify(frame)}\n\n`));
      controller.close();
    },
  });
  return new Response(body, { headers: sseHeaders });
}
