import { and, count, desc, eq, inArray, like, or, sql } from "drizzle-orm";
import { forgetResolvedKeys } from "./api-key-resolver";
import type { Db } from "../client";
import { nowSeconds } from "../client";
import { accounts, appAnnotationHitHistories, appAnnotationJobs, appAnnotations, appAnnotationSettings, memberships } from "../schema";

export type Annotation = typeof appAnnotations.$inferSelect;
export type AnnotationSetting = typeof appAnnotationSettings.$inferSelect;
export type AnnotationJob = typeof appAnnotationJobs.$inferSelect;
export type AnnotationJobStatus = AnnotationJob["status"];
export type AnnotationHitHistory = typeof appAnnotationHitHistories.$inferSelect;

/** `%`, `_` and `\` match themselves in a keyword search. */
function likePattern(keyword: string): string {
  return `%${keyword.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/**
 * Annotations of one tenant's apps, their reply setting, the enable/disable jobs and hit
 * histories. Every query carries the tenant filter and the app id.
 */
export class AnnotationRepository {
  constructor(private readonly db: Db, private readonly tenantId: string) {}

  private scope(appId: string) {
    return and(eq(appAnnotations.tenantId, this.tenantId), eq(appAnnotations.appId, appId))!;
  }

  /** Newest first, as Dify lists them; `keyword` matches the question or the answer. */
  async list(appId: string, options: { page: number; limit: number; keyword?: string }): Promise<{ rows: Annotation[]; total: number }> {
    const keyword = options.keyword?.trim();
    const where = keyword
      ? and(this.scope(appId), or(like(appAnnotations.question, likePattern(keyword)), like(appAnnotations.content, likePattern(keyword))))
      : this.scope(appId);
    const [rows, totals] = await Promise.all([
      this.db
        .select()
        .from(appAnnotations)
        .where(where)
        .orderBy(desc(appAnnotations.createdAt), desc(appAnnotations.id))
        .limit(options.limit)
        .offset((options.page - 1) * options.limit),
      this.db.select({ total: count() }).from(appAnnotations).where(where),
    ]);
    return { rows, total: totals[0]?.total ?? 0 };
  }

  /** Every annotation of the app (for indexing them all when reply is enabled). */
  async all(appId: string): Promise<Annotation[]> {
    return this.db.select().from(appAnnotations).where(this.scope(appId)).orderBy(appAnnotations.createdAt, appAnnotations.id);
  }

  async get(appId: string, id: string): Promise<Annotation | undefined> {
    return (await this.db.select().from(appAnnotations).where(and(this.scope(appId), eq(appAnnotations.id, id))).limit(1))[0];
  }

  /** The annotation with the name of the account that wrote it (for `annotation_reply.account`). */
  async getWithAuthor(appId: string, id: string): Promise<{ annotation: Annotation; authorName: string | null } | undefined> {
    const rows = await this.db
      .select({ annotation: appAnnotations, authorName: accounts.name })
      .from(appAnnotations)
      .leftJoin(accounts, eq(accounts.id, appAnnotations.createdBy))
      .where(and(this.scope(appId), eq(appAnnotations.id, id)))
      .limit(1);
    return rows[0];
  }

  async insert(values: { id: string; appId: string; question: string; content: string; createdBy: string | null }): Promise<Annotation> {
    const now = nowSeconds();
    return (await this.db.insert(appAnnotations).values({ ...values, tenantId: this.tenantId, createdAt: now, updatedAt: now }).returning())[0]!;
  }

  async update(appId: string, id: string, values: { question: string; content: string }): Promise<Annotation | undefined> {
    const rows = await this.db.update(appAnnotations).set({ ...values, updatedAt: nowSeconds() }).where(and(this.scope(appId), eq(appAnnotations.id, id))).returning();
    return rows[0];
  }

  /** Deletes the annotation and its hit histories (cascade). */
  async delete(appId: string, id: string): Promise<boolean> {
    const rows = await this.db.delete(appAnnotations).where(and(this.scope(appId), eq(appAnnotations.id, id))).returning({ id: appAnnotations.id });
    return rows.length === 1;
  }

  /** Statements recording a hit: the count goes up by one and the hit is kept in the history. */
  hitStatements(hit: Omit<typeof appAnnotationHitHistories.$inferInsert, "tenantId" | "id">) {
    return [
      this.db.update(appAnnotations).set({ hitCount: sql`${appAnnotations.hitCount} + 1` }).where(and(this.scope(hit.appId), eq(appAnnotations.id, hit.annotationId))),
      this.db.insert(appAnnotationHitHistories).values({ ...hit, id: crypto.randomUUID(), tenantId: this.tenantId }),
    ] as const;
  }

  async hitHistories(appId: string, annotationId: string, page: number, limit: number): Promise<{ rows: AnnotationHitHistory[]; total: number }> {
    const where = and(eq(appAnnotationHitHistories.tenantId, this.tenantId), eq(appAnnotationHitHistories.appId, appId), eq(appAnnotationHitHistories.annotationId, annotationId));
    const [rows, totals] = await Promise.all([
      this.db
        .select()
        .from(appAnnotationHitHistories)
        .where(where)
        .orderBy(desc(appAnnotationHitHistories.createdAt), desc(appAnnotationHitHistories.id))
        .limit(limit)
        .offset((page - 1) * limit),
      this.db.select({ total: count() }).from(appAnnotationHitHistories).where(where),
    ]);
    return { rows, total: totals[0]?.total ?? 0 };
  }

  async setting(appId: string): Promise<AnnotationSetting | undefined> {
    const rows = await this.db
      .select()
      .from(appAnnotationSettings)
      .where(and(eq(appAnnotationSettings.tenantId, this.tenantId), eq(appAnnotationSettings.appId, appId)))
      .limit(1);
    return rows[0];
  }

  /** Turns reply on with this model and threshold (creating the setting on first use). */
  async enable(appId: string, values: { scoreThreshold: number; embeddingProviderName: string; embeddingModelName: string; accountId: string | null }): Promise<AnnotationSetting> {
    const now = nowSeconds();
    const set = { enabled: true, scoreThreshold: values.scoreThreshold, embeddingProviderName: values.embeddingProviderName, embeddingModelName: values.embeddingModelName, updatedAt: now };
    const rows = await this.db
      .insert(appAnnotationSettings)
      .values({ id: crypto.randomUUID(), tenantId: this.tenantId, appId, ...set, createdBy: values.accountId, createdAt: now })
      .onConflictDoUpdate({ target: appAnnotationSettings.appId, set, where: eq(appAnnotationSettings.tenantId, this.tenantId) })
      .returning();
    // Service API keys carry their app's setting (see `resolveApiKey`).
    forgetResolvedKeys();
    return rows[0]!;
  }

  async disable(appId: string): Promise<void> {
    await this.db
      .update(appAnnotationSettings)
      .set({ enabled: false, updatedAt: nowSeconds() })
      .where(and(eq(appAnnotationSettings.tenantId, this.tenantId), eq(appAnnotationSettings.appId, appId)));
    forgetResolvedKeys();
  }

  /** Changes only the threshold of an existing setting (Dify's annotation-settings update). */
  async setScoreThreshold(appId: string, settingId: string, scoreThreshold: number): Promise<AnnotationSetting | undefined> {
    const rows = await this.db
      .update(appAnnotationSettings)
      .set({ scoreThreshold, updatedAt: nowSeconds() })
      .where(and(eq(appAnnotationSettings.tenantId, this.tenantId), eq(appAnnotationSettings.appId, appId), eq(appAnnotationSettings.id, settingId)))
      .returning();
    forgetResolvedKeys();
    return rows[0];
  }

  async createJob(appId: string, action: AnnotationJob["action"]): Promise<AnnotationJob> {
    const now = nowSeconds();
    return (await this.db.insert(appAnnotationJobs).values({ id: crypto.randomUUID(), tenantId: this.tenantId, appId, action, status: "waiting", createdAt: now, updatedAt: now }).returning())[0]!;
  }

  async getJob(appId: string, id: string): Promise<AnnotationJob | undefined> {
    const rows = await this.db
      .select()
      .from(appAnnotationJobs)
      .where(and(eq(appAnnotationJobs.tenantId, this.tenantId), eq(appAnnotationJobs.appId, appId), eq(appAnnotationJobs.id, id)))
      .limit(1);
    return rows[0];
  }

  /** Jobs of the app still waiting or running (a second enable/disable waits for them to end). */
  async activeJobs(appId: string): Promise<AnnotationJob[]> {
    return this.db
      .select()
      .from(appAnnotationJobs)
      .where(and(eq(appAnnotationJobs.tenantId, this.tenantId), eq(appAnnotationJobs.appId, appId), inArray(appAnnotationJobs.status, ["waiting", "processing"])));
  }

  async setJobStatus(appId: string, id: string, status: AnnotationJobStatus, error: string | null = null): Promise<void> {
    await this.db
      .update(appAnnotationJobs)
      .set({ status, error, updatedAt: nowSeconds() })
      .where(and(eq(appAnnotationJobs.tenantId, this.tenantId), eq(appAnnotationJobs.appId, appId), eq(appAnnotationJobs.id, id)));
  }

  /** The workspace owner: who service-API annotations are written by, as in Dify. */
  async ownerAccountId(): Promise<string | null> {
    const rows = await this.db
      .select({ accountId: memberships.accountId })
      .from(memberships)
      .where(and(eq(memberships.tenantId, this.tenantId), eq(memberships.role, "owner")))
      .orderBy(memberships.createdAt)
      .limit(1);
    return rows[0]?.accountId ?? null;
  }
}
