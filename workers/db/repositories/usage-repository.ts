import { and, eq, gte, sum } from "drizzle-orm";
import type { Db } from "../client";
import { usageRecords, workspaces } from "../schema";

/** Start of the current calendar month (UTC), in seconds. */
export function monthStart(now = new Date()): number {
  return Math.floor(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1) / 1000);
}

/** Model usage of one tenant, one row per model call, written with each run's closing batch. */
export class UsageRepository {
  constructor(private readonly db: Db, private readonly tenantId: string) {}

  /** The workspace's monthly token quota; null: none. */
  async quota(): Promise<number | null> {
    const rows = await this.db.select({ quota: workspaces.monthlyTokenQuota }).from(workspaces).where(eq(workspaces.id, this.tenantId)).limit(1);
    return rows[0]?.quota ?? null;
  }

  async setQuota(quota: number | null): Promise<void> {
    await this.db.update(workspaces).set({ monthlyTokenQuota: quota }).where(eq(workspaces.id, this.tenantId));
  }

  /** Tokens used since the start of this month. */
  async tokensThisMonth(now = new Date()): Promise<number> {
    const rows = await this.db
      .select({ total: sum(usageRecords.totalTokens) })
      .from(usageRecords)
      .where(and(eq(usageRecords.tenantId, this.tenantId), gte(usageRecords.createdAt, monthStart(now))));
    return Number(rows[0]?.total ?? 0);
  }
}
