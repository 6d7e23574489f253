import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../http/app-env";
import { defineRoute, jsonBody, jsonResponse } from "../../http/route";
import { monthStart } from "../../db/repositories/usage-repository";

const usageSchema = z.object({ month_start: z.number(), tokens_used: z.number(), monthly_token_quota: z.number().nullable() });

const getUsage = defineRoute({
  method: "get",
  path: "/console/api/workspaces/current/usage",
  policy: { auth: "session", role: "normal" },
  tags: ["console: usage"],
  responses: { 200: jsonResponse("Model tokens used this month and the workspace's quota", usageSchema) },
});

const setQuota = defineRoute({
  method: "put",
  path: "/console/api/workspaces/current/usage",
  policy: { auth: "session", role: "owner" },
  tags: ["console: usage"],
  request: { body: jsonBody(z.object({ monthly_token_quota: z.number().int().min(0).max(1e12).nullable() })) },
  responses: { 200: jsonResponse("The new quota", usageSchema) },
});

/** The workspace's model usage this month and its optional monthly token quota (owner sets it; 0 or null: none). */
export function registerUsageRoutes(app: OpenAPIHono<AppEnv>): void {
  const current = async (tenant: AppEnv["Variables"]["tenant"]) => ({
    month_start: monthStart(),
    tokens_used: await tenant.usage.tokensThisMonth(),
    monthly_token_quota: await tenant.usage.quota(),
  });
  app.openapi(getUsage, async (c) => c.json(await current(c.var.tenant), 200));
  app.openapi(setQuota, async (c) => {
    const { monthly_token_quota } = c.req.valid("json");
    await c.var.tenant.usage.setQuota(monthly_token_quota || null);
    return c.json(await current(c.var.tenant), 200);
  });
}
