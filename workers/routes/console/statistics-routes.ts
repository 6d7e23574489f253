import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { App } from "../../db/repositories";
import type { StatisticsRange, StatisticsRepository } from "../../db/repositories/statistics-repository";
import type { AppEnv } from "../../http/app-env";
import { defineRoute, jsonResponse } from "../../http/route";
import { appParam, requireApp } from "./app-routes";
import { rangeOf, rangeQuery } from "./statistics-range";

const round = (value: number, digits = 4) => Number(value.toFixed(digits));
const ms = (secondsValue: number) => round(secondsValue * 1000, 2);

type Row = Record<string, string | number>;
type Series = (statistics: StatisticsRepository, app: App, range: StatisticsRange) => Promise<Row[]>;

/**
 * The series: Dify's paths and row shapes (`statistics/*` from messages, `workflow/statistics/*`
 * from workflow runs), plus Waggle's `latency-percentiles` and `daily-errors`, which read messages
 * or, for workflow apps, runs.
 */
const SERIES: Array<{ path: string; summary: string; row: z.ZodRawShape; read: Series }> = [
  {
    path: "statistics/daily-messages",
    summary: "Messages per day",
    row: { date: z.string(), message_count: z.number() },
    read: async (statistics, app, range) => (await statistics.messageDays(app.id, range)).map((d) => ({ date: d.date, message_count: d.messages })),
  },
  {
    path: "statistics/daily-conversations",
    summary: "Conversations with a message per day",
    row: { date: z.string(), conversation_count: z.number() },
    read: async (statistics, app, range) => (await statistics.messageDays(app.id, range)).map((d) => ({ date: d.date, conversation_count: d.conversations })),
  },
  {
    path: "statistics/daily-end-users",
    summary: "End users who sent a message per day",
    row: { date: z.string(), terminal_count: z.number() },
    read: async (statistics, app, range) => (await statistics.messageDays(app.id, range)).map((d) => ({ date: d.date, terminal_count: d.endUsers })),
  },
  {
    path: "statistics/token-costs",
    summary: "Tokens and price of the messages per day",
    row: { date: z.string(), token_count: z.number(), total_price: z.number(), currency: z.string() },
    read: async (statistics, app, range) => (await statistics.messageDays(app.id, range)).map((d) => ({ date: d.date, token_count: d.tokens, total_price: round(d.price, 7), currency: d.currency })),
  },
  {
    path: "statistics/average-response-time",
    summary: "Mean response latency per day, in milliseconds",
    row: { date: z.string(), latency: z.number() },
    read: async (statistics, app, range) => (await statistics.messageDays(app.id, range)).map((d) => ({ date: d.date, latency: ms(d.latency) })),
  },
  {
    path: "statistics/tokens-per-second",
    summary: "Answer tokens per second of response time, per day",
    row: { date: z.string(), tps: z.number() },
    read: async (statistics, app, range) => (await statistics.messageDays(app.id, range)).map((d) => ({ date: d.date, tps: round(d.tokensPerSecond) })),
  },
  {
    path: "workflow/statistics/daily-conversations",
    summary: "Workflow runs per day",
    row: { date: z.string(), runs: z.number() },
    read: async (statistics, app, range) => (await statistics.runDays(app.id, range)).map((d) => ({ date: d.date, runs: d.runs })),
  },
  {
    path: "workflow/statistics/daily-terminals",
    summary: "End users who ran the workflow per day",
    row: { date: z.string(), terminal_count: z.number() },
    read: async (statistics, app, range) => (await statistics.runDays(app.id, range)).map((d) => ({ date: d.date, terminal_count: d.endUsers })),
  },
  {
    path: "workflow/statistics/token-costs",
    summary: "Tokens of the workflow runs per day, and (Waggle) what their model calls cost",
    row: { date: z.string(), token_count: z.number(), total_price: z.number(), currency: z.string() },
    read: async (statistics, app, range) => {
      const [runs, prices] = await Promise.all([statistics.runDays(app.id, range), statistics.priceDays(app.id, range)]);
      const priceOf = new Map(prices.map((p) => [p.date, p]));
      return runs.map((d) => ({ date: d.date, token_count: d.tokens, total_price: round(priceOf.get(d.date)?.price ?? 0, 7), currency: priceOf.get(d.date)?.currency ?? "USD" }));
    },
  },
  {
    path: "workflow/statistics/average-app-interactions",
    summary: "Mean runs per end user per day",
    row: { date: z.string(), interactions: z.number() },
    read: async (statistics, app, range) => (await statistics.runDays(app.id, range)).map((d) => ({ date: d.date, interactions: round(d.interactions, 2) })),
  },
  {
    path: "statistics/latency-percentiles",
    summary: "Waggle: p50 and p95 per day, in milliseconds, of the response latency (of the run time for workflow apps)",
    row: { date: z.string(), p50: z.number(), p95: z.number() },
    read: async (statistics, app, range) => {
      const days = await statistics.latencyPercentileDays(app.id, app.mode === "workflow" ? "runs" : "messages", range);
      return days.map((d) => ({ date: d.date, p50: ms(d.p50), p95: ms(d.p95) }));
    },
  },
  {
    path: "statistics/daily-errors",
    summary: "Waggle: failed messages (failed runs for workflow apps) per day",
    row: { date: z.string(), error_count: z.number() },
    read: async (statistics, app, range) => {
      const days = app.mode === "workflow" ? await statistics.runDays(app.id, range) : await statistics.messageDays(app.id, range);
      return days.map((d) => ({ date: d.date, error_count: d.errors }));
    },
  },
];

/**
 * An app's figures per day for the Overview charts, shaped like Dify's console statistics:
 * `{data: [{date, …}]}`, oldest first, days without activity left out. Any member may read them.
 */
export function registerStatisticsRoutes(app: OpenAPIHono<AppEnv>): void {
  for (const series of SERIES) {
    const route = defineRoute({
      method: "get",
      path: `/console/api/apps/{app_id}/${series.path}`,
      policy: { auth: "session", role: "normal" },
      tags: ["console: statistics"],
      summary: series.summary,
      request: { params: appParam, query: rangeQuery },
      responses: { 200: jsonResponse(series.summary, z.object({ data: z.array(z.object(series.row)) })) },
    });
    app.openapi(route, async (c) => {
      const { app_id } = c.req.valid("param");
      const range = rangeOf(c.req.valid("query"));
      const found = await requireApp(c, app_id);
      return c.json({ data: await series.read(c.var.tenant.statistics, found, range) }, 200);
    });
  }
}
