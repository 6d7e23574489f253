import { and, asc, count, desc, eq, gt, inArray, lt, ne, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import { nowSeconds } from "../client";
import { conversations, endUsers, messageFeedbacks, messages } from "../schema";

export type Conversation = typeof conversations.$inferSelect;
export type Message = typeof messages.$inferSelect;
export type MessageFeedback = typeof messageFeedbacks.$inferSelect;

export type ConversationSort = "created_at" | "-created_at" | "updated_at" | "-updated_at";

/** Earlier turns a chat run's memory may read. Dify's TokenBufferMemory reads at most 500. */
const MAX_HISTORY_TURNS = 500;

/**
 * Conversations, messages and feedback of one tenant. Every query carries the tenant filter; the
 * service API also scopes conversations to the end user (Dify's `user`) that owns them.
 */
export class ConversationRepository {
  constructor(private readonly db: Db, private readonly tenantId: string) {}

  private conversationScope(appId: string, id: string, endUserId?: string): SQL {
    const conditions = [eq(conversations.tenantId, this.tenantId), eq(conversations.appId, appId), eq(conversations.id, id), ne(conversations.status, "deleted")];
    if (endUserId !== undefined) conditions.push(eq(conversations.endUserId, endUserId));
    return and(...conditions)!;
  }

  async get(appId: string, id: string, endUserId?: string): Promise<Conversation | undefined> {
    const rows = await this.db.select().from(conversations).where(this.conversationScope(appId, id, endUserId)).limit(1);
    return rows[0];
  }

  /** A page of conversations after `lastId` in `sort` order, Dify's `/conversations` paging. */
  async list(options: { appId: string; endUserId?: string; lastId?: string; limit: number; sort: ConversationSort }): Promise<{ rows: Conversation[]; hasMore: boolean } | null> {
    const descending = options.sort.startsWith("-");
    const column = options.sort.endsWith("created_at") ? conversations.createdAt : conversations.updatedAt;
    const conditions: SQL[] = [eq(conversations.tenantId, this.tenantId), eq(conversations.appId, options.appId), ne(conversations.status, "deleted")];
    if (options.endUserId !== undefined) conditions.push(eq(conversations.endUserId, options.endUserId));
    if (options.lastId) {
      const last = await this.get(options.appId, options.lastId, options.endUserId);
      if (!last) return null;
      const pivot = options.sort.endsWith("created_at") ? last.createdAt : last.updatedAt;
      // Ties on the timestamp are broken by id, in the same direction as the sort.
      conditions.push(
        descending
          ? sqlOr(lt(column, pivot), and(eq(column, pivot), lt(conversations.id, last.id))!)
          : sqlOr(gt(column, pivot), and(eq(column, pivot), gt(conversations.id, last.id))!),
      );
    }
    const rows = await this.db
      .select()
      .from(conversations)
      .where(and(...conditions))
      .orderBy(descending ? desc(column) : asc(column), descending ? desc(conversations.id) : asc(conversations.id))
      .limit(options.limit + 1);
    return { rows: rows.slice(0, options.limit), hasMore: rows.length > options.limit };
  }

  async rename(appId: string, id: string, name: string, endUserId?: string): Promise<Conversation | undefined> {
    const rows = await this.db.update(conversations).set({ name, updatedAt: nowSeconds() }).where(this.conversationScope(appId, id, endUserId)).returning();
    return rows[0];
  }

  /** Deletes the conversation with its messages (cascade). */
  async delete(appId: string, id: string, endUserId?: string): Promise<boolean> {
    const rows = await this.db.delete(conversations).where(this.conversationScope(appId, id, endUserId)).returning({ id: conversations.id });
    return rows.length === 1;
  }

  async setVariables(appId: string, id: string, variables: Record<string, unknown>, endUserId?: string): Promise<Conversation | undefined> {
    const rows = await this.db.update(conversations).set({ variables, updatedAt: nowSeconds() }).where(this.conversationScope(appId, id, endUserId)).returning();
    return rows[0];
  }

  /** Statement inserting a new conversation; batched with its first message by the caller. */
  insertConversation(values: { id: string; appId: string; endUserId: string | null; name: string; inputs: Record<string, unknown>; variables: Record<string, unknown>; createdAt: number }) {
    return this.db.insert(conversations).values({ ...values, tenantId: this.tenantId, updatedAt: values.createdAt }).onConflictDoNothing();
  }

  /**
   * Statement inserting a message as the run starts (empty answer). The run's Durable Object
   * writes the finished message later; if it got there first this insert changes nothing.
   */
  insertMessage(values: { id: string; appId: string; conversationId: string; endUserId: string | null; workflowRunId: string; inputs: Record<string, unknown>; query: string; createdAt: number }) {
    return this.db.insert(messages).values({ ...values, tenantId: this.tenantId }).onConflictDoNothing();
  }

  /** Statement inserting a message that is already answered without a run (an annotation reply): no tokens, no run. */
  insertAnsweredMessage(values: { id: string; appId: string; conversationId: string; endUserId: string | null; inputs: Record<string, unknown>; query: string; answer: string; metadata: Record<string, unknown>; createdAt: number }) {
    return this.db.insert(messages).values({ ...values, tenantId: this.tenantId, workflowRunId: null, status: "normal" });
  }

  /** Statement marking a conversation as just used: its `updated_at` and message count. */
  touchConversation(id: string, now: number) {
    return this.db
      .update(conversations)
      .set({ updatedAt: now, dialogueCount: sql`(SELECT count(*) FROM messages WHERE conversation_id = ${id} AND tenant_id = ${this.tenantId})` })
      .where(and(eq(conversations.tenantId, this.tenantId), eq(conversations.id, id)));
  }

  /** The conversation's finished turns, oldest first, for a new message's memory. */
  async history(conversationId: string): Promise<Array<{ query: string; answer: string }>> {
    const rows = await this.db
      .select({ query: messages.query, answer: messages.answer })
      .from(messages)
      .where(and(eq(messages.tenantId, this.tenantId), eq(messages.conversationId, conversationId), eq(messages.status, "normal"), ne(messages.answer, "")))
      .orderBy(desc(messages.createdAt), desc(messages.id))
      .limit(MAX_HISTORY_TURNS);
    return rows.reverse();
  }

  async messageCount(conversationId: string): Promise<number> {
    const rows = await this.db.select({ total: count() }).from(messages).where(and(eq(messages.tenantId, this.tenantId), eq(messages.conversationId, conversationId)));
    return rows[0]?.total ?? 0;
  }

  /** The message a chat turn's run (its `task_id`) writes. */
  async messageOfRun(appId: string, runId: string): Promise<Message | undefined> {
    const rows = await this.db.select().from(messages).where(and(eq(messages.tenantId, this.tenantId), eq(messages.appId, appId), eq(messages.workflowRunId, runId))).limit(1);
    return rows[0];
  }

  async getMessage(appId: string, id: string): Promise<Message | undefined> {
    const rows = await this.db.select().from(messages).where(and(eq(messages.tenantId, this.tenantId), eq(messages.appId, appId), eq(messages.id, id))).limit(1);
    return rows[0];
  }

  /**
   * Dify's `/messages` paging: the newest `limit` messages before `firstId` (or the newest of
   * all), returned oldest first, with whether older ones remain.
   */
  async listMessages(options: { appId: string; conversationId: string; firstId?: string; limit: number }): Promise<{ rows: Message[]; hasMore: boolean } | null> {
    const conditions: SQL[] = [eq(messages.tenantId, this.tenantId), eq(messages.appId, options.appId), eq(messages.conversationId, options.conversationId)];
    if (options.firstId) {
      const first = await this.getMessage(options.appId, options.firstId);
      if (!first || first.conversationId !== options.conversationId) return null;
      conditions.push(sqlOr(lt(messages.createdAt, first.createdAt), and(eq(messages.createdAt, first.createdAt), lt(messages.id, first.id))!));
    }
    const rows = await this.db
      .select()
      .from(messages)
      .where(and(...conditions))
      .orderBy(desc(messages.createdAt), desc(messages.id))
      .limit(options.limit + 1);
    return { rows: rows.slice(0, options.limit).reverse(), hasMore: rows.length > options.limit };
  }

  async feedbacksFor(messageIds: string[]): Promise<MessageFeedback[]> {
    if (messageIds.length === 0) return [];
    return this.db.select().from(messageFeedbacks).where(and(eq(messageFeedbacks.tenantId, this.tenantId), inArray(messageFeedbacks.messageId, messageIds)));
  }

  /** Sets (or with `rating` null, removes) the feedback of one source on a message. */
  async setFeedback(message: Message, feedback: { rating: "like" | "dislike" | null; content?: string | null; fromSource: "user" | "admin"; endUserId?: string | null; accountId?: string | null }): Promise<void> {
    const scope = and(eq(messageFeedbacks.tenantId, this.tenantId), eq(messageFeedbacks.messageId, message.id), eq(messageFeedbacks.fromSource, feedback.fromSource));
    if (feedback.rating === null) {
      await this.db.batch([this.db.delete(messageFeedbacks).where(scope), this.db.update(messages).set({ feedbackRating: null }).where(and(eq(messages.tenantId, this.tenantId), eq(messages.id, message.id)))]);
      return;
    }
    const now = nowSeconds();
    await this.db.batch([
      this.db
        .insert(messageFeedbacks)
        .values({
          id: crypto.randomUUID(),
          tenantId: this.tenantId,
          appId: message.appId,
          conversationId: message.conversationId ?? "",
          messageId: message.id,
          rating: feedback.rating,
          content: feedback.content ?? null,
          fromSource: feedback.fromSource,
          fromEndUserId: feedback.endUserId ?? null,
          fromAccountId: feedback.accountId ?? null,
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoUpdate({ target: [messageFeedbacks.messageId, messageFeedbacks.fromSource], set: { rating: feedback.rating, content: feedback.content ?? null, updatedAt: now } }),
      this.db.update(messages).set({ feedbackRating: feedback.rating }).where(and(eq(messages.tenantId, this.tenantId), eq(messages.id, message.id))),
    ]);
  }

  /** The app's feedback, newest first (`GET /v1/app/feedbacks`). */
  async listFeedbacks(appId: string, page: number, limit: number): Promise<MessageFeedback[]> {
    return this.db
      .select()
      .from(messageFeedbacks)
      .where(and(eq(messageFeedbacks.tenantId, this.tenantId), eq(messageFeedbacks.appId, appId)))
      .orderBy(desc(messageFeedbacks.createdAt), desc(messageFeedbacks.id))
      .limit(limit)
      .offset((page - 1) * limit);
  }

  /** The end users behind a page of conversations, by id. */
  async endUsers(ids: string[]) {
    if (ids.length === 0) return [];
    return this.db.select().from(endUsers).where(and(eq(endUsers.tenantId, this.tenantId), inArray(endUsers.id, ids)));
  }

  async endUser(id: string) {
    const rows = await this.db.select().from(endUsers).where(and(eq(endUsers.tenantId, this.tenantId), eq(endUsers.id, id))).limit(1);
    return rows[0];
  }
}

function sqlOr(a: SQL, b: SQL): SQL {
  return or(a, b)!;
}
