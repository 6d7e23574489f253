import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../http/app-env";
import { defineRoute, jsonBody, jsonResponse } from "../../http/route";
import { monthStart } from "../../db/repositories/usage-repository";
import { rangeOf, rangeQuery } from "./statistics-range";

const slice = { tokens: z.number(), total_price: z.number(), calls: z.number() };
const usageSchema = z.object({
  month_start: z.number(),
  tokens_used: z.number(),
  monthly_token_quota: z.number().nullable(),
  total_price: z.number().describe("Sum of the model calls' prices this month, in `currency`; 0 where the price of a model is unknown"),
  currency: z.string(),
  calls: z.number(),
  by_app: z.array(z.object({ app_id: z.string().nullable(), app_name: z.string().nullable().describe("null once the app is deleted"), app_mode: z.string().nullable(), ...slice })),
  by_model: z.array(z.object({ provider: z.string(), model: z.string(), ...slice })),
});

const getUsage = defineRoute({
  method: "get",
  path: "/console/api/workspaces/current/usage",
  policy: { auth: "session", role: "normal" },
  tags: ["console: usage"],
  responses: { 200: jsonResponse("Model tokens and price this month, per app and per model, and the workspace's quota", usageSchema) },
});

const setQuota = defineRoute({
  method: "put",
  path: "/console/api/workspaces/current/usage",
  policy: { auth: "session", role: "owner" },
  tags: ["console: usage"],
  request: { body: jsonBody(z.object({ monthly_token_quota: z.number().int().min(0).max(1e12).nullable() })) },
  responses: { 200: jsonResponse("The new quota", usageSchema) },
});

const getDailyUsage = defineRoute({
  method: "get",
  path: "/console/api/workspaces/current/usage/daily",
  policy: { auth: "session", role: "normal" },
  tags: ["console: usage"],
  request: { query: rangeQuery },
  responses: {
    200: jsonResponse(
      "The workspace's model tokens, price and calls per UTC day (days without calls left out), oldest first",
      z.object({ data: z.array(z.object({ date: z.string(), tokens: z.number(), total_price: z.number(), currency: z.string(), calls: z.number() })) }),
    ),
  },
});

/** The workspace's model usage this month and its optional monthly token quota (owner sets it; 0 or null: none). */
export function registerUsageRoutes(app: OpenAPIHono<AppEnv>): void {
  const current = async (tenant: AppEnv["Variables"]["tenant"]) => {
    const [usage, quota] = await Promise.all([tenant.usage.breakdownThisMonth(), tenant.usage.quota()]);
    return {
      month_start: monthStart(),
      tokens_used: usage.tokens,
      monthly_token_quota: quota,
      total_price: usage.price,
      currency: usage.currency,
      calls: usage.calls,
      by_app: usage.byApp.map((row) => ({ app_id: row.appId, app_name: row.appName, app_mode: row.appMode, tokens: row.tokens, total_price: row.price, calls: row.calls })),
      by_model: usage.byModel.map((row) => ({ provider: row.provider, model: row.model, tokens: row.tokens, total_price: row.price, calls: row.calls })),
    };
  };
  app.openapi(getUsage, async (c) => c.json(await current(c.var.tenant), 200));
  app.openapi(getDailyUsage, async (c) => {
    const days = await c.var.tenant.usage.daily(rangeOf(c.req.valid("query")));
    return c.json({ data: days.map((d) => ({ date: d.date, tokens: d.tokens, total_price: Number(d.price.toFixed(7)), currency: d.currency, calls: d.calls })) }, 200);
  });
  app.openapi(setQuota, async (c) => {
    const { monthly_token_quota } = c.req.valid("json");
    await c.var.tenant.usage.setQuota(monthly_token_quota || null);
    return c.json(await current(c.var.tenant), 200);
  });
}
