import { and, desc, eq, ne, sql } from "drizzle-orm";
import type { Db } from "../client";
import { nowSeconds } from "../client";
import { appVersions } from "../schema";

export type AppVersion = typeof appVersions.$inferSelect;
export type DraftContent = Pick<AppVersion, "graph" | "features" | "environmentVariables" | "conversationVariables" | "modelConfig">;

/** The draft and the published, immutable snapshots of one tenant's apps. */
export class VersionRepository {
  constructor(private readonly db: Db, private readonly tenantId: string) {}

  private scope(appId: string) {
    return and(eq(appVersions.tenantId, this.tenantId), eq(appVersions.appId, appId));
  }

  insertDraft(appId: string, id: string, content: DraftContent, hash: string, createdBy: string) {
    return this.db.insert(appVersions).values({ id, tenantId: this.tenantId, appId, version: "draft", hash, createdBy, ...content });
  }

  async getDraft(appId: string): Promise<AppVersion | undefined> {
    const rows = await this.db.select().from(appVersions).where(and(this.scope(appId), eq(appVersions.version, "draft"))).limit(1);
    return rows[0];
  }

  /**
   * Replaces the draft only if it still has `expectedHash` (optimistic concurrency). Returns the
   * updated draft, or undefined when someone else saved in between.
   */
  async saveDraft(appId: string, content: Partial<DraftContent>, newHash: string, expectedHash: string | undefined): Promise<AppVersion | undefined> {
    const conditions = [this.scope(appId), eq(appVersions.version, "draft")];
    if (expectedHash !== undefined) conditions.push(eq(appVersions.hash, expectedHash));
    const rows = await this.db.update(appVersions).set({ ...content, hash: newHash, updatedAt: nowSeconds() }).where(and(...conditions)).returning();
    return rows[0];
  }

  insertPublished(appId: string, id: string, draft: AppVersion, marks: { name: string; comment: string }, createdBy: string) {
    const version = new Date().toISOString().replace("T", " ").replace(/\.\d+Z$/, "") + "." + id.slice(0, 6);
    return this.db.insert(appVersions).values({
      id,
      tenantId: this.tenantId,
      appId,
      version,
      graph: draft.graph,
      features: draft.features,
      environmentVariables: draft.environmentVariables,
      conversationVariables: draft.conversationVariables,
      modelConfig: draft.modelConfig,
      hash: draft.hash,
      markedName: marks.name,
      markedComment: marks.comment,
      createdBy,
    });
  }

  async listPublished(appId: string, page: number, limit: number): Promise<AppVersion[]> {
    return this.db
      .select()
      .from(appVersions)
      .where(and(this.scope(appId), ne(appVersions.version, "draft")))
      .orderBy(desc(appVersions.createdAt), desc(sql`rowid`))
      .limit(limit + 1)
      .offset((page - 1) * limit);
  }

  async getPublished(appId: string, versionId: string): Promise<AppVersion | undefined> {
    const rows = await this.db
      .select()
      .from(appVersions)
      .where(and(this.scope(appId), eq(appVersions.id, versionId), ne(appVersions.version, "draft")))
      .limit(1);
    return rows[0];
  }
}
