import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "../client";
import { apiKeys } from "../schema";

export type ApiKey = typeof apiKeys.$inferSelect;
export type ApiKeyOwner = { type: "app"; appId: string } | { type: "dataset" };

/** Service API keys of one tenant, stored as hashes; an app's keys or the workspace's dataset keys. */
export class ApiKeyRepository {
  constructor(private readonly db: Db, private readonly tenantId: string) {}

  private scope(owner: ApiKeyOwner) {
    const base = and(eq(apiKeys.tenantId, this.tenantId), eq(apiKeys.type, owner.type));
    return owner.type === "app" ? and(base, eq(apiKeys.appId, owner.appId)) : and(base, isNull(apiKeys.appId));
  }

  async list(owner: ApiKeyOwner): Promise<ApiKey[]> {
    return this.db.select().from(apiKeys).where(this.scope(owner)).orderBy(desc(apiKeys.createdAt));
  }

  async count(owner: ApiKeyOwner): Promise<number> {
    return (await this.list(owner)).length;
  }

  async create(owner: ApiKeyOwner, values: { id: string; tokenHash: string; tokenHint: string; createdBy: string }): Promise<ApiKey> {
    const rows = await this.db
      .insert(apiKeys)
      .values({ ...values, tenantId: this.tenantId, type: owner.type, appId: owner.type === "app" ? owner.appId : null })
      .returning();
    return rows[0]!;
  }

  /** Deleting is revoking: the next request with the key is refused. */
  async delete(owner: ApiKeyOwner, id: string): Promise<boolean> {
    const rows = await this.db.delete(apiKeys).where(and(this.scope(owner), eq(apiKeys.id, id))).returning({ id: apiKeys.id });
    return rows.length === 1;
  }
}
