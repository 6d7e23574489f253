import { and, count, desc, eq, gt, like, lt, or, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import { endUsers, nodeExecutions, workflowRuns } from "../schema";

export type WorkflowRunRow = typeof workflowRuns.$inferSelect;
export type NodeExecutionRow = typeof nodeExecutions.$inferSelect;
export type EndUser = typeof endUsers.$inferSelect;

export interface RunLogFilter {
  appId: string;
  page: number;
  limit: number;
  status?: string;
  keyword?: string;
  createdBefore?: number;
  createdAfter?: number;
  endUserSessionId?: string;
}

const END_USER_CACHE_SIZE = 5000;
const endUserCache = new Map<string, EndUser>();

/** Recorded workflow runs and their node executions, and the end users that started them. */
export class RunRepository {
  constructor(private readonly db: Db, private readonly tenantId: string) {}

  async get(appId: string, runId: string): Promise<WorkflowRunRow | undefined> {
    const rows = await this.db.select().from(workflowRuns).where(and(eq(workflowRuns.tenantId, this.tenantId), eq(workflowRuns.appId, appId), eq(workflowRuns.id, runId))).limit(1);
    return rows[0];
  }

  async nodeExecutions(runId: string): Promise<NodeExecutionRow[]> {
    return this.db.select().from(nodeExecutions).where(and(eq(nodeExecutions.tenantId, this.tenantId), eq(nodeExecutions.workflowRunId, runId))).orderBy(nodeExecutions.index);
  }

  async list(filter: RunLogFilter): Promise<{ rows: Array<{ run: WorkflowRunRow; endUser: EndUser | null }>; total: number }> {
    const conditions: SQL[] = [eq(workflowRuns.tenantId, this.tenantId), eq(workflowRuns.appId, filter.appId)];
    if (filter.status) conditions.push(eq(workflowRuns.status, filter.status));
    if (filter.createdBefore !== undefined) conditions.push(lt(workflowRuns.createdAt, filter.createdBefore));
    if (filter.createdAfter !== undefined) conditions.push(gt(workflowRuns.createdAt, filter.createdAfter));
    if (filter.keyword) {
      const pattern = `%${filter.keyword.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
      conditions.push(or(like(workflowRuns.inputs, pattern), like(workflowRuns.outputs, pattern))!);
    }
    if (filter.endUserSessionId) conditions.push(eq(endUsers.sessionId, filter.endUserSessionId));
    const where = and(...conditions);
    // Not a batch: D1 batches return rows keyed by column name, and the join repeats names (`id`).
    const [rows, totals] = await Promise.all([
      this.db
        .select({ run: workflowRuns, endUser: endUsers })
        .from(workflowRuns)
        .leftJoin(endUsers, and(eq(endUsers.id, workflowRuns.createdBy), eq(endUsers.tenantId, this.tenantId)))
        .where(where)
        .orderBy(desc(workflowRuns.createdAt))
        .limit(filter.limit)
        .offset((filter.page - 1) * filter.limit),
      this.db.select({ total: count() }).from(workflowRuns).leftJoin(endUsers, eq(endUsers.id, workflowRuns.createdBy)).where(where),
    ]);
    return { rows, total: totals[0]?.total ?? 0 };
  }

  async endUser(id: string): Promise<EndUser | undefined> {
    const rows = await this.db.select().from(endUsers).where(and(eq(endUsers.tenantId, this.tenantId), eq(endUsers.id, id))).limit(1);
    return rows[0];
  }

  /**
   * The end user behind a caller-chosen `user` string, created on first use. The mapping never
   * changes once made, so it is cached per isolate (keyed with the tenant).
   */
  async ensureEndUser(appId: string, sessionId: string): Promise<EndUser> {
    const cacheKey = `${this.tenantId}\u0000${appId}\u0000${sessionId}`;
    const cached = endUserCache.get(cacheKey);
    if (cached) return cached;
    const endUser = await this.findOrCreateEndUser(appId, sessionId);
    if (endUserCache.size >= END_USER_CACHE_SIZE) endUserCache.delete(endUserCache.keys().next().value!);
    endUserCache.set(cacheKey, endUser);
    return endUser;
  }

  private async findOrCreateEndUser(appId: string, sessionId: string): Promise<EndUser> {
    const inserted = await this.db
      .insert(endUsers)
      .values({ id: crypto.randomUUID(), tenantId: this.tenantId, appId, sessionId })
      .onConflictDoNothing()
      .returning();
    if (inserted[0]) return inserted[0];
    const rows = await this.db.select().from(endUsers).where(and(eq(endUsers.tenantId, this.tenantId), eq(endUsers.appId, appId), eq(endUsers.sessionId, sessionId))).limit(1);
    return rows[0]!;
  }
}
