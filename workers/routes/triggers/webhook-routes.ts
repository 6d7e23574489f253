import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { BadRequestError, ForbiddenError, NotFoundError, UnauthorizedError } from "../../../core/errors";
import { startVariablesOf } from "../../../core/nodes/start";
import { SecretBox } from "../../../core/security";
import { verifyWebhookSecret, webhookInputs } from "../../../core/triggers";
import { resolveWebhook, TenantRepository } from "../../db/repositories";
import type { AppEnv } from "../../http/app-env";
import { defineRoute, jsonResponse } from "../../http/route";
import { assertWorkspaceActive } from "../../middleware/api-key-auth";
import { prepareRun } from "../../runs/launch-run";
import { runData } from "../../runs/run-payloads";
import { publishedVersion } from "../service/published-version";

const webhook = defineRoute({
  method: "post",
  path: "/triggers/webhook/{trigger_id}",
  policy: { auth: "public" },
  tags: ["triggers"],
  description:
    "Starts the workflow. Authenticate with the secret in `X-Webhook-Secret` (or `Authorization: Bearer`), or sign the raw body: `X-Webhook-Signature: sha256=<hex HMAC-SHA256>`. " +
    "The query string and the body's fields (JSON object or form) become the start node's inputs. Sync webhooks answer like a blocking `/v1/workflows/run`; async ones 202 with the run id.",
  request: { params: z.object({ trigger_id: z.string().max(64) }) },
  responses: {
    200: jsonResponse("Sync: the finished run", z.object({ task_id: z.string(), workflow_run_id: z.string(), data: z.record(z.string(), z.unknown()) })),
    202: jsonResponse("Async: the run started", z.object({ task_id: z.string(), workflow_run_id: z.string(), status: z.literal("running") })),
  },
});

async function bodyFields(c: Context<AppEnv>, raw: ArrayBuffer): Promise<Record<string, unknown>> {
  if (raw.byteLength === 0) return {};
  const type = c.req.header("Content-Type") ?? "";
  const text = new TextDecoder().decode(raw);
  if (type.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(text));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BadRequestError("The webhook body must be a JSON object or a URL-encoded form.", "invalid_param");
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new BadRequestError("The webhook body must be a JSON object (its fields become the workflow's inputs).", "invalid_param");
  return parsed as Record<string, unknown>;
}

export function registerWebhookRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(webhook, async (c) => {
    const found = await resolveWebhook(c.var.db, c.req.valid("param").trigger_id);
    if (!found) throw new NotFoundError("No webhook has this URL.");
    const { trigger, app: target } = found;
    const raw = await c.req.raw.arrayBuffer();
    const secret = trigger.encryptedSecret ? await (await SecretBox.fromSecret(c.env.WAGGLE_SECRET_KEY)).open(trigger.encryptedSecret) : null;
    const bearer = c.req.header("Authorization")?.replace(/^Bearer\s+/i, "");
    const proven = secret !== null && (await verifyWebhookSecret(secret, raw, { secretHeader: c.req.header("X-Webhook-Secret") ?? bearer, signature: c.req.header("X-Webhook-Signature") }));
    if (!proven) throw new UnauthorizedError("Send the webhook's secret in X-Webhook-Secret, or sign the body with it in X-Webhook-Signature (sha256=<hex HMAC>).");
    assertWorkspaceActive(found.tenantStatus);
    if (!trigger.enabled) throw new ForbiddenError("This webhook is turned off. Turn it on in the app's triggers.", "webhook_disabled");
    const tenant = new TenantRepository(c.var.db, target.tenantId);
    const version = await publishedVersion(tenant, target);
    if (!version?.graph) throw new BadRequestError("The workflow is not published yet: publish it to run it from a webhook.", "app_not_published");
    const inputs = webhookInputs(
      startVariablesOf(version.graph).map((variable) => variable.variable),
      Object.fromEntries(new URL(c.req.url).searchParams),
      await bodyFields(c, raw),
    );
    const endUser = await tenant.runs.ensureEndUser(target.id, "webhook");
    const run = prepareRun(c, { app: target, version, inputs, createdByRole: "end_user", createdBy: endUser.id, userId: endUser.id, triggeredFrom: "webhook" });
    if (trigger.config.response_mode === "sync") {
      const state = await run.wait();
      return c.json({ task_id: run.runId, workflow_run_id: run.runId, data: runData(state) }, 200);
    }
    await run.start();
    return c.json({ task_id: run.runId, workflow_run_id: run.runId, status: "running" as const }, 202);
  });
}
