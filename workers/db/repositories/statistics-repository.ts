import { and, eq, gte, isNull, lt, ne, notLike, or, sql, type AnyColumn } from "drizzle-orm";
import type { Db } from "../client";
import { messages, usageRecords, workflowRuns } from "../schema";

/** A time range in Unix seconds, `start` included and `end` excluded; either may be open. */
export interface StatisticsRange {
  start?: number;
  end?: number;
}

/** One day (UTC, `YYYY-MM-DD`) of an app's messages, as its statistics endpoints report them. */
export interface MessageDay {
  date: string;
  messages: number;
  conversations: number;
  endUsers: number;
  tokens: number;
  price: number;
  currency: string;
  errors: number;
  /** Mean provider response latency, in seconds. */
  latency: number;
  /** Answer tokens over response seconds. */
  tokensPerSecond: number;
}

/** One day of a workflow app's runs. */
export interface RunDay {
  date: string;
  runs: number;
  endUsers: number;
  tokens: number;
  errors: number;
  /** Mean run time, in seconds. */
  elapsed: number;
  /** Mean runs per end user who ran the app that day. */
  interactions: number;
}

/** Latency percentiles of one day, in seconds (nearest rank). */
export interface PercentileDay {
  date: string;
  p50: number;
  p95: number;
}

const day = (column: AnyColumn) => sql<string>`date(${column}, 'unixepoch')`;

/**
 * Per-day figures of one app for the console's charts, Dify's `statistics/*` endpoints. Runs and
 * messages from the console's own debugging (the draft run, the preview chat) are left out, as
 * Dify leaves out its debugger. Days are UTC: accounts carry no time zone.
 */
export class StatisticsRepository {
  constructor(private readonly db: Db, private readonly tenantId: string) {}

  private messageScope(appId: string, range: StatisticsRange) {
    return and(
      eq(messages.tenantId, this.tenantId),
      eq(messages.appId, appId),
      // The console's preview chat records its account as `account:<id>`.
      or(isNull(messages.endUserId), notLike(messages.endUserId, "account:%")),
      range.start === undefined ? undefined : gte(messages.createdAt, range.start),
      range.end === undefined ? undefined : lt(messages.createdAt, range.end),
    );
  }

  private runScope(appId: string, range: StatisticsRange) {
    return and(
      eq(workflowRuns.tenantId, this.tenantId),
      eq(workflowRuns.appId, appId),
      ne(workflowRuns.triggeredFrom, "debugging"),
      range.start === undefined ? undefined : gte(workflowRuns.createdAt, range.start),
      range.end === undefined ? undefined : lt(workflowRuns.createdAt, range.end),
    );
  }

  /** The app's messages per day, oldest first; days without messages are absent. */
  async messageDays(appId: string, range: StatisticsRange): Promise<MessageDay[]> {
    const date = day(messages.createdAt);
    const rows = await this.db
      .select({
        date,
        messages: sql<number>`count(*)`,
        conversations: sql<number>`count(distinct ${messages.conversationId})`,
        endUsers: sql<number>`count(distinct ${messages.endUserId})`,
        tokens: sql<number>`coalesce(sum(${messages.messageTokens} + ${messages.answerTokens}), 0)`,
        price: sql<number>`coalesce(sum(cast(${messages.totalPrice} as real)), 0)`,
        currency: sql<string | null>`max(${messages.currency})`,
        errors: sql<number>`sum(${messages.status} = 'error')`,
        latency: sql<number>`coalesce(avg(${messages.latency}), 0)`,
        answerTokens: sql<number>`coalesce(sum(${messages.answerTokens}), 0)`,
        latencySum: sql<number>`coalesce(sum(${messages.latency}), 0)`,
      })
      .from(messages)
      .where(this.messageScope(appId, range))
      .groupBy(date)
      .orderBy(date);
    return rows.map(({ answerTokens, latencySum, ...row }) => ({
      date: row.date,
      messages: Number(row.messages),
      conversations: Number(row.conversations),
      endUsers: Number(row.endUsers),
      tokens: Number(row.tokens),
      price: Number(row.price),
      currency: row.currency ?? "USD",
      errors: Number(row.errors ?? 0),
      latency: Number(row.latency),
      tokensPerSecond: Number(latencySum) > 0 ? Number(answerTokens) / Number(latencySum) : 0,
    }));
  }

  /** The workflow app's runs per day, oldest first; days without runs are absent. */
  async runDays(appId: string, range: StatisticsRange): Promise<RunDay[]> {
    const date = day(workflowRuns.createdAt);
    const rows = await this.db
      .select({
        date,
        runs: sql<number>`count(*)`,
        endUsers: sql<number>`count(distinct ${workflowRuns.createdBy})`,
        tokens: sql<number>`coalesce(sum(${workflowRuns.totalTokens}), 0)`,
        errors: sql<number>`sum(${workflowRuns.status} = 'failed')`,
        elapsed: sql<number>`coalesce(avg(${workflowRuns.elapsedTime}), 0)`,
      })
      .from(workflowRuns)
      .where(this.runScope(appId, range))
      .groupBy(date)
      .orderBy(date);
    return rows.map((row) => {
      const runs = Number(row.runs);
      const endUsers = Number(row.endUsers);
      return { date: row.date, runs, endUsers, tokens: Number(row.tokens), errors: Number(row.errors ?? 0), elapsed: Number(row.elapsed), interactions: endUsers ? runs / endUsers : 0 };
    });
  }

  /** What the app's model calls cost per day (any mode), without the console's debugging runs. */
  async priceDays(appId: string, range: StatisticsRange): Promise<Array<{ date: string; price: number; currency: string }>> {
    const date = day(usageRecords.createdAt);
    const rows = await this.db
      .select({ date, price: sql<number>`coalesce(sum(cast(${usageRecords.totalPrice} as real)), 0)`, currency: sql<string | null>`max(${usageRecords.currency})` })
      .from(usageRecords)
      .leftJoin(workflowRuns, and(eq(workflowRuns.id, usageRecords.sourceId), eq(workflowRuns.tenantId, this.tenantId)))
      .leftJoin(messages, and(eq(messages.id, usageRecords.sourceId), eq(messages.tenantId, this.tenantId)))
      .where(
        and(
          eq(usageRecords.tenantId, this.tenantId),
          eq(usageRecords.appId, appId),
          or(isNull(workflowRuns.triggeredFrom), ne(workflowRuns.triggeredFrom, "debugging")),
          or(isNull(messages.endUserId), notLike(messages.endUserId, "account:%")),
          range.start === undefined ? undefined : gte(usageRecords.createdAt, range.start),
          range.end === undefined ? undefined : lt(usageRecords.createdAt, range.end),
        ),
      )
      .groupBy(date)
      .orderBy(date);
    return rows.map((row) => ({ date: row.date, price: Number(row.price), currency: row.currency ?? "USD" }));
  }

  /**
   * p50 and p95 per day of the messages' response latency, or of the runs' time for `runs`:
   * the smallest value whose rank reaches that share of the day's count.
   */
  async latencyPercentileDays(appId: string, source: "messages" | "runs", range: StatisticsRange): Promise<PercentileDay[]> {
    const inner =
      source === "messages"
        ? this.db
            .select({
              date: day(messages.createdAt).as("date"),
              value: sql<number>`${messages.latency}`.as("value"),
              rank: sql<number>`row_number() over (partition by date(${messages.createdAt}, 'unixepoch') order by ${messages.latency})`.as("rank"),
              count: sql<number>`count(*) over (partition by date(${messages.createdAt}, 'unixepoch'))`.as("count"),
            })
            .from(messages)
            .where(this.messageScope(appId, range))
            .as("ranked")
        : this.db
            .select({
              date: day(workflowRuns.createdAt).as("date"),
              value: sql<number>`${workflowRuns.elapsedTime}`.as("value"),
              rank: sql<number>`row_number() over (partition by date(${workflowRuns.createdAt}, 'unixepoch') order by ${workflowRuns.elapsedTime})`.as("rank"),
              count: sql<number>`count(*) over (partition by date(${workflowRuns.createdAt}, 'unixepoch'))`.as("count"),
            })
            .from(workflowRuns)
            .where(this.runScope(appId, range))
            .as("ranked");
    const rows = await this.db
      .select({
        date: inner.date,
        p50: sql<number>`min(case when ${inner.rank} >= 0.5 * ${inner.count} then ${inner.value} end)`,
        p95: sql<number>`min(case when ${inner.rank} >= 0.95 * ${inner.count} then ${inner.value} end)`,
      })
      .from(inner)
      .groupBy(sql`${inner.date}`)
      .orderBy(sql`${inner.date}`);
    return rows.map((row) => ({ date: row.date, p50: Number(row.p50 ?? 0), p95: Number(row.p95 ?? 0) }));
  }
}
