import { and, count, desc, eq, like } from "drizzle-orm";
import type { Db } from "../client";
import { nowSeconds } from "../client";
import { apps, type AppMode } from "../schema";

export type App = typeof apps.$inferSelect;
export type AppPatch = Partial<Pick<App, "name" | "description" | "icon" | "iconType" | "iconBackground" | "enableApi" | "enableSite" | "maxActiveRequests">>;

/** Apps of one tenant. Every query carries the tenant filter; callers cannot forget it. */
export class AppRepository {
  constructor(private readonly db: Db, private readonly tenantId: string) {}

  private scope(id?: string) {
    return id === undefined ? eq(apps.tenantId, this.tenantId) : and(eq(apps.tenantId, this.tenantId), eq(apps.id, id));
  }

  async list(options: { page: number; limit: number; mode?: AppMode; name?: string }): Promise<{ rows: App[]; total: number }> {
    const filters = [this.scope()];
    if (options.mode) filters.push(eq(apps.mode, options.mode));
    if (options.name) filters.push(like(apps.name, `%${options.name.replace(/[%_\\]/g, (m) => `\\${m}`)}%`));
    const where = and(...filters);
    const [rows, totals] = await this.db.batch([
      this.db.select().from(apps).where(where).orderBy(desc(apps.updatedAt), desc(apps.createdAt)).limit(options.limit).offset((options.page - 1) * options.limit),
      this.db.select({ total: count() }).from(apps).where(where),
    ]);
    return { rows, total: totals[0]?.total ?? 0 };
  }

  async get(id: string): Promise<App | undefined> {
    const rows = await this.db.select().from(apps).where(this.scope(id)).limit(1);
    return rows[0];
  }

  /** Statement that inserts an app; batched with its first draft by the caller. */
  insert(values: { id: string; name: string; mode: AppMode; description?: string; icon?: string; iconType?: App["iconType"]; iconBackground?: string; createdBy: string }) {
    return this.db.insert(apps).values({ ...values, tenantId: this.tenantId });
  }

  async update(id: string, patch: AppPatch): Promise<App | undefined> {
    const rows = await this.db.update(apps).set({ ...patch, updatedAt: nowSeconds() }).where(this.scope(id)).returning();
    return rows[0];
  }

  touch(id: string) {
    return this.db.update(apps).set({ updatedAt: nowSeconds() }).where(this.scope(id));
  }

  setPublished(id: string, versionId: string) {
    return this.db.update(apps).set({ publishedVersionId: versionId, updatedAt: nowSeconds() }).where(this.scope(id));
  }

  async delete(id: string): Promise<boolean> {
    const rows = await this.db.delete(apps).where(this.scope(id)).returning({ id: apps.id });
    return rows.length === 1;
  }
}
