import { and, desc, eq, gte, lt, sql, sum } from "drizzle-orm";
import type { Db } from "../client";
import { apps, usageRecords, workspaces } from "../schema";

/** Start of the current calendar month (UTC), in seconds. */
export function monthStart(now = new Date()): number {
  return Math.floor(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1) / 1000);
}

/** Tokens and price of one slice of the month's usage. */
export interface UsageSlice {
  tokens: number;
  price: number;
  calls: number;
}

export interface UsageBreakdown extends UsageSlice {
  currency: string;
  byApp: Array<UsageSlice & { appId: string | null; appName: string | null; appMode: string | null }>;
  byModel: Array<UsageSlice & { provider: string; model: string }>;
}

// Prices are stored as decimal strings (Dify's `total_price`); summed as reals for display.
const tokens = sql<number>`coalesce(sum(${usageRecords.totalTokens}), 0)`;
const price = sql<number>`coalesce(sum(cast(${usageRecords.totalPrice} as real)), 0)`;
const calls = sql<number>`count(*)`;

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

  /**
   * Records one model call made outside a run (a plugin's `ctx.models` call), so it counts
   * against the quota and shows in the breakdown like the calls runs record.
   */
  async record(call: { source: string; sourceId: string; appId?: string | null; provider: string; model: string; promptTokens: number; completionTokens: number; totalTokens: number; totalPrice: string; currency: string; estimated: boolean }): Promise<void> {
    const { appId, ...rest } = call;
    await this.db.insert(usageRecords).values({ ...rest, id: crypto.randomUUID(), tenantId: this.tenantId, appId: appId ?? null });
  }

  /** Tokens used since the start of this month. */
  async tokensThisMonth(now = new Date()): Promise<number> {
    const rows = await this.db
      .select({ total: sum(usageRecords.totalTokens) })
      .from(usageRecords)
      .where(and(eq(usageRecords.tenantId, this.tenantId), gte(usageRecords.createdAt, monthStart(now))));
    return Number(rows[0]?.total ?? 0);
  }

  /** This month's tokens and price in total, per app (a deleted app's usage stays, unnamed) and per model, biggest first. */
  async breakdownThisMonth(now = new Date()): Promise<UsageBreakdown> {
    const where = and(eq(usageRecords.tenantId, this.tenantId), gte(usageRecords.createdAt, monthStart(now)));
    const [totals, byApp, byModel] = await Promise.all([
      this.db.select({ tokens, price, calls, currency: sql<string | null>`max(${usageRecords.currency})` }).from(usageRecords).where(where),
      this.db
        .select({ appId: usageRecords.appId, appName: apps.name, appMode: apps.mode, tokens, price, calls })
        .from(usageRecords)
        .leftJoin(apps, and(eq(apps.id, usageRecords.appId), eq(apps.tenantId, this.tenantId)))
        .where(where)
        .groupBy(usageRecords.appId)
        .orderBy(desc(tokens)),
      this.db
        .select({ provider: usageRecords.provider, model: usageRecords.model, tokens, price, calls })
        .from(usageRecords)
        .where(where)
        .groupBy(usageRecords.provider, usageRecords.model)
        .orderBy(desc(tokens)),
    ]);
    const total = totals[0];
    const num = <T extends UsageSlice>(row: T): T => ({ ...row, tokens: Number(row.tokens), price: Number(row.price), calls: Number(row.calls) });
    return {
      tokens: Number(total?.tokens ?? 0),
      price: Number(total?.price ?? 0),
      calls: Number(total?.calls ?? 0),
      currency: total?.currency ?? "USD",
      byApp: byApp.map(num),
      byModel: byModel.map(num),
    };
  }

  /** Tokens, price and calls per UTC day in `[start, end)` (Unix seconds), oldest first; days without calls are absent. */
  async daily(range: { start?: number; end?: number }): Promise<Array<UsageSlice & { date: string; currency: string }>> {
    const date = sql<string>`date(${usageRecords.createdAt}, 'unixepoch')`;
    const rows = await this.db
      .select({ date, tokens, price, calls, currency: sql<string | null>`max(${usageRecords.currency})` })
      .from(usageRecords)
      .where(
        and(
          eq(usageRecords.tenantId, this.tenantId),
          range.start === undefined ? undefined : gte(usageRecords.createdAt, range.start),
          range.end === undefined ? undefined : lt(usageRecords.createdAt, range.end),
        ),
      )
      .groupBy(date)
      .orderBy(date);
    return rows.map((row) => ({ date: row.date, tokens: Number(row.tokens), price: Number(row.price), calls: Number(row.calls), currency: row.currency ?? "USD" }));
  }
}
