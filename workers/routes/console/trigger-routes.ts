import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { BadRequestError, NotFoundError } from "../../../core/errors";
import { startVariablesOf, validateStartInputs } from "../../../core/nodes/start";
import { randomToken, SecretBox } from "../../../core/security";
import { nextRunAt } from "../../../core/triggers";
import type { App, TriggerRow } from "../../db/repositories";
import type { AppEnv } from "../../http/app-env";
import { defineRoute, jsonBody, jsonResponse, noContent } from "../../http/route";
import { scheduleOf } from "../../runs/triggers";
import { appParam, requireApp } from "./app-routes";

const webhookSchema = z.object({
  id: z.string(),
  enabled: z.boolean(),
  response_mode: z.enum(["sync", "async"]),
  url: z.string(),
  secret: z.string().nullable().describe("Only when the webhook is made or its secret renewed"),
});
const scheduleSchema = z.object({
  id: z.string(),
  enabled: z.boolean(),
  cron: z.string(),
  timezone: z.string(),
  inputs: z.record(z.string(), z.unknown()),
  next_run_at: z.number().nullable(),
  last_run_id: z.string().nullable(),
  last_run_at: z.number().nullable(),
});
const triggersSchema = z.object({ webhook: webhookSchema.nullable(), schedule: scheduleSchema.nullable() }).openapi("AppTriggers");
const typeParam = appParam.extend({ type: z.enum(["webhook", "schedule"]) });

const webhookBody = z.object({
  enabled: z.boolean().default(true),
  response_mode: z.enum(["sync", "async"]).default("async"),
  regenerate_secret: z.boolean().default(false),
});
const scheduleBody = z.object({
  enabled: z.boolean().default(true),
  cron: z.string().min(1).max(120),
  timezone: z.string().max(64).default("UTC"),
  inputs: z.record(z.string(), z.unknown()).default({}),
});

const getTriggers = defineRoute({
  method: "get",
  path: "/console/api/apps/{app_id}/triggers",
  policy: { auth: "session", role: "editor" },
  tags: ["console: triggers"],
  request: { params: appParam },
  responses: { 200: jsonResponse("The app's webhook and schedule (null when not set up)", triggersSchema) },
});
const putWebhook = defineRoute({
  method: "put",
  path: "/console/api/apps/{app_id}/triggers/webhook",
  policy: { auth: "session", role: "editor" },
  tags: ["console: triggers"],
  request: { params: appParam, body: jsonBody(webhookBody) },
  responses: { 200: jsonResponse("The webhook; its secret only when made or renewed", webhookSchema) },
});
const putSchedule = defineRoute({
  method: "put",
  path: "/console/api/apps/{app_id}/triggers/schedule",
  policy: { auth: "session", role: "editor" },
  tags: ["console: triggers"],
  request: { params: appParam, body: jsonBody(scheduleBody) },
  responses: { 200: jsonResponse("The schedule with its next run", scheduleSchema) },
});
const deleteTrigger = defineRoute({
  method: "delete",
  path: "/console/api/apps/{app_id}/triggers/{type}",
  policy: { auth: "session", role: "editor" },
  tags: ["console: triggers"],
  request: { params: typeParam },
  responses: { 204: noContent },
});

async function requireWorkflowApp(c: Context<AppEnv>, appId: string): Promise<App> {
  const app = await requireApp(c, appId);
  if (app.mode !== "workflow") throw new BadRequestError("Webhooks and schedules start workflow apps; this app is not one.", "not_workflow_app");
  return app;
}

function webhookOut(c: Context<AppEnv>, row: TriggerRow, secret: string | null) {
  return { id: row.id, enabled: row.enabled, response_mode: row.config.response_mode === "sync" ? ("sync" as const) : ("async" as const), url: `${new URL(c.req.url).origin}/triggers/webhook/${row.id}`, secret };
}

function scheduleOut(row: TriggerRow) {
  const schedule = scheduleOf(row.config);
  return { id: row.id, enabled: row.enabled, cron: schedule.cron, timezone: schedule.timezone, inputs: schedule.inputs, next_run_at: row.nextRunAt, last_run_id: row.lastRunId, last_run_at: row.lastRunAt };
}

/** A workflow app's webhook and schedule: set up, switch on and off, renew the webhook's secret, remove. */
export function registerTriggerRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(getTriggers, async (c) => {
    const { app_id } = c.req.valid("param");
    await requireApp(c, app_id);
    const rows = await c.var.tenant.triggers.forApp(app_id);
    const webhook = rows.find((row) => row.type === "webhook");
    const schedule = rows.find((row) => row.type === "schedule");
    return c.json({ webhook: webhook ? webhookOut(c, webhook, null) : null, schedule: schedule ? scheduleOut(schedule) : null }, 200);
  });

  app.openapi(putWebhook, async (c) => {
    const { app_id } = c.req.valid("param");
    await requireWorkflowApp(c, app_id);
    const body = c.req.valid("json");
    const existing = await c.var.tenant.triggers.get(app_id, "webhook");
    const secret = !existing || body.regenerate_secret ? `whsec_${randomToken(32)}` : null;
    const encryptedSecret = secret ? await (await SecretBox.fromSecret(c.env.WAGGLE_SECRET_KEY)).seal(secret) : undefined;
    const row = await c.var.tenant.triggers.put(app_id, "webhook", { enabled: body.enabled, config: { response_mode: body.response_mode }, ...(encryptedSecret ? { encryptedSecret } : {}) });
    return c.json(webhookOut(c, row, secret), 200);
  });

  app.openapi(putSchedule, async (c) => {
    const { app_id } = c.req.valid("param");
    const found = await requireWorkflowApp(c, app_id);
    const body = c.req.valid("json");
    const next = nextRunAt({ cron: body.cron, timezone: body.timezone }, Math.floor(Date.now() / 1000));
    // The inputs each run gets are checked against the published workflow's start node now.
    const version = found.publishedVersionId ? await c.var.tenant.versions.getPublished(found.id, found.publishedVersionId) : undefined;
    if (!version) throw new BadRequestError("Publish the workflow before scheduling it.", "app_not_published");
    const inputs = validateStartInputs(startVariablesOf(version.graph), body.inputs);
    const row = await c.var.tenant.triggers.put(app_id, "schedule", { enabled: body.enabled, config: { cron: body.cron.trim(), timezone: body.timezone, inputs }, nextRunAt: next });
    return c.json(scheduleOut(row), 200);
  });

  app.openapi(deleteTrigger, async (c) => {
    const { app_id, type } = c.req.valid("param");
    await requireApp(c, app_id);
    if (!(await c.var.tenant.triggers.delete(app_id, type))) throw new NotFoundError(`This app has no ${type}.`);
    return c.body(null, 204);
  });
}
