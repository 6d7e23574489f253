import { and, asc, eq, lte } from "drizzle-orm";
import type { Db } from "../client";
import { nowSeconds } from "../client";
import { appTriggers, apps, workspaces } from "../schema";

export type TriggerRow = typeof appTriggers.$inferSelect;
export type TriggerType = TriggerRow["type"];
type App = typeof apps.$inferSelect;

/** One tenant's app triggers (a webhook and a schedule per workflow app at most). */
export class TriggerRepository {
  constructor(private readonly db: Db, private readonly tenantId: string) {}

  async forApp(appId: string): Promise<TriggerRow[]> {
    return this.db.select().from(appTriggers).where(and(eq(appTriggers.tenantId, this.tenantId), eq(appTriggers.appId, appId))).orderBy(asc(appTriggers.type));
  }

  async get(appId: string, type: TriggerType): Promise<TriggerRow | undefined> {
    const rows = await this.db.select().from(appTriggers).where(and(eq(appTriggers.tenantId, this.tenantId), eq(appTriggers.appId, appId), eq(appTriggers.type, type))).limit(1);
    return rows[0];
  }

  /** Creates or replaces the app's trigger of this type. */
  async put(appId: string, type: TriggerType, values: Pick<TriggerRow, "enabled" | "config"> & Partial<Pick<TriggerRow, "encryptedSecret" | "nextRunAt">>): Promise<TriggerRow> {
    const existing = await this.get(appId, type);
    if (existing) {
      const rows = await this.db.update(appTriggers).set({ ...values, updatedAt: nowSeconds() }).where(and(eq(appTriggers.tenantId, this.tenantId), eq(appTriggers.id, existing.id))).returning();
      return rows[0]!;
    }
    const rows = await this.db.insert(appTriggers).values({ id: crypto.randomUUID(), tenantId: this.tenantId, appId, type, ...values }).returning();
    return rows[0]!;
  }

  async delete(appId: string, type: TriggerType): Promise<boolean> {
    const rows = await this.db.delete(appTriggers).where(and(eq(appTriggers.tenantId, this.tenantId), eq(appTriggers.appId, appId), eq(appTriggers.type, type))).returning({ id: appTriggers.id });
    return rows.length > 0;
  }
}

export interface ResolvedTrigger {
  trigger: TriggerRow;
  app: App;
  tenantStatus: string;
}

const withApp = (db: Db) =>
  db
    .select({ trigger: appTriggers, app: apps, tenantStatus: workspaces.status })
    .from(appTriggers)
    .innerJoin(apps, and(eq(apps.id, appTriggers.appId), eq(apps.tenantId, appTriggers.tenantId)))
    .innerJoin(workspaces, eq(workspaces.id, appTriggers.tenantId));

/** A webhook by its id (the id is in its URL; the secret proves the caller), with its app. */
export async function resolveWebhook(db: Db, id: string): Promise<ResolvedTrigger | undefined> {
  const rows = await withApp(db).where(and(eq(appTriggers.id, id), eq(appTriggers.type, "webhook"))).limit(1);
  return rows[0];
}

/** Enabled schedules due at `now`, oldest first. */
export async function dueSchedules(db: Db, now: number, limit: number): Promise<ResolvedTrigger[]> {
  return withApp(db)
    .where(and(eq(appTriggers.type, "schedule"), eq(appTriggers.enabled, true), lte(appTriggers.nextRunAt, now)))
    .orderBy(asc(appTriggers.nextRunAt))
    .limit(limit);
}

/**
 * Moves a schedule on: the run it started (or null when it skipped) and when it is due next.
 * Conditional on the due time it read, so two overlapping cron invocations start it once.
 */
export async function advanceSchedule(db: Db, trigger: TriggerRow, next: number, run: { id: string; at: number } | null): Promise<boolean> {
  const rows = await db
    .update(appTriggers)
    .set({ nextRunAt: next, ...(run ? { lastRunId: run.id, lastRunAt: run.at } : {}) })
    .where(and(eq(appTriggers.id, trigger.id), eq(appTriggers.nextRunAt, trigger.nextRunAt ?? 0)))
    .returning({ id: appTriggers.id });
  return rows.length > 0;
}
