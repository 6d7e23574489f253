import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { BadRequestError, NotFoundError } from "../../../core/errors";
import type { WorkflowEvent } from "../../../core/engine";
import type { RunState } from "../../../durable-objects/workflow-run-types";
import type { AppVersion } from "../../db/repositories";
import type { AppEnv } from "../../http/app-env";
import { endUserField, filesField } from "../../http/service-schemas";
import { defineRoute, jsonBody, jsonResponse, successSchema } from "../../http/route";
import { sseFromEvents, sseHeaders } from "../../http/sse";
import { prepareRun, runStub } from "../../runs/launch-run";
import { resolveRunFiles } from "../../runs/resolve-files";
import { withRateLimit } from "../../runs/rate-limit";
import { runData, stateFromRow, workflowEventFrame } from "../../runs/run-payloads";
import { publishedVersion } from "./published-version";

const user = endUserField;
const runBody = z.object({
  inputs: z.record(z.string(), z.unknown()),
  user,
  response_mode: z.enum(["streaming", "blocking"]).default("streaming"),
  files: filesField,
});
const runDataSchema = z.record(z.string(), z.unknown());
const blockingResponse = z.object({ task_id: z.string(), workflow_run_id: z.string(), data: runDataSchema });

const run = defineRoute({
  method: "post",
  path: "/v1/workflows/run",
  policy: { auth: "app-key" },
  tags: ["service: workflows"],
  request: { body: jsonBody(runBody) },
  responses: { 200: { description: "Blocking: the finished run. Streaming: an SSE stream of Dify workflow events.", content: { "application/json": { schema: blockingResponse }, "text/event-stream": { schema: z.string() } } } },
});

const runPinned = defineRoute({
  method: "post",
  path: "/v1/workflows/{workflow_id}/run",
  policy: { auth: "app-key" },
  tags: ["service: workflows"],
  request: { params: z.object({ workflow_id: z.string().max(64) }), body: jsonBody(runBody) },
  responses: { 200: { description: "As /workflows/run, for a specific published version", content: { "application/json": { schema: blockingResponse }, "text/event-stream": { schema: z.string() } } } },
});

const getRun = defineRoute({
  method: "get",
  path: "/v1/workflows/run/{workflow_run_id}",
  policy: { auth: "app-key" },
  tags: ["service: workflows"],
  request: { params: z.object({ workflow_run_id: z.string().max(64) }) },
  responses: { 200: jsonResponse("A run", runDataSchema) },
});

const stopTask = defineRoute({
  method: "post",
  path: "/v1/workflows/tasks/{task_id}/stop",
  policy: { auth: "app-key" },
  tags: ["service: workflows"],
  request: { params: z.object({ task_id: z.string().max(64) }), body: jsonBody(z.object({ user })) },
  responses: { 200: jsonResponse("Stopped", successSchema) },
});

const logs = defineRoute({
  method: "get",
  path: "/v1/workflows/logs",
  policy: { auth: "app-key" },
  tags: ["service: workflows"],
  request: {
    query: z.object({
      keyword: z.string().max(200).optional(),
      status: z.enum(["succeeded", "failed", "stopped", "partial-succeeded", "running"]).optional(),
      page: z.coerce.number().int().min(1).default(1),
      limit: z.coerce.number().int().min(1).max(100).default(20),
      created_at__before: z.string().optional(),
      created_at__after: z.string().optional(),
      created_by_end_user_session_id: z.string().max(255).optional(),
      created_by_account: z.string().optional(),
    }),
  },
  responses: { 200: jsonResponse("Run logs, newest first", z.object({ page: z.number(), limit: z.number(), total: z.number(), has_more: z.boolean(), data: z.array(z.record(z.string(), z.unknown())) })) },
});

const events = defineRoute({
  method: "get",
  path: "/v1/workflow/{workflow_run_id}/events",
  policy: { auth: "app-key" },
  tags: ["service: workflows"],
  request: { params: z.object({ workflow_run_id: z.string().max(64) }), query: z.object({ user: user.optional(), include_state_snapshot: z.string().optional(), continue_on_pause: z.string().optional() }) },
  responses: { 200: { description: "The run's events (replayed after Last-Event-ID, then live) as SSE", content: { "text/event-stream": { schema: z.string() } } } },
});

function requireWorkflowApp(c: Context<AppEnv>) {
  const app = c.var.serviceApp;
  if (app.mode !== "workflow") throw new BadRequestError("Please check if your app mode matches the right API route.", "not_workflow_app");
  return app;
}

async function respond(c: Context<AppEnv>, version: AppVersion, body: z.infer<typeof runBody>) {
  const app = requireWorkflowApp(c);
  const endUser = await c.var.tenant.runs.ensureEndUser(app.id, body.user);
  const { files, inputs } = await resolveRunFiles(c.var.tenant, app, { files: body.files ?? undefined, inputs: body.inputs });
  const run = prepareRun(c, { app, version, inputs, createdByRole: "end_user", createdBy: endUser.id, userId: endUser.id, triggeredFrom: "app-run", files, credentialsRevision: c.var.credentialsRevision });
  const runId = run.runId;
  if (body.response_mode === "blocking") {
    const state = await run.wait();
    return c.json({ task_id: runId, workflow_run_id: runId, data: runData(state) }, 200);
  }
  const stream = sseFromEvents<WorkflowEvent>(await run.stream(), (event) => workflowEventFrame(runId, event));
  return new Response(stream, { headers: sseHeaders });
}

/** A run of the caller's app, from D1 once recorded, else from its Durable Object. */
async function findRun(c: Context<AppEnv>, runId: string): Promise<RunState> {
  const app = c.var.serviceApp;
  const row = await c.var.tenant.runs.get(app.id, runId);
  if (row) return stateFromRow(row);
  const state = await runStub(c.env, runId).getState();
  if (!state || state.tenantId !== app.tenantId || state.appId !== app.id) throw new NotFoundError("Workflow run not found.");
  return state;
}

function toSeconds(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  if (Number.isNaN(ms)) throw new BadRequestError(`Invalid date "${value}"; use ISO 8601 or Unix seconds.`, "invalid_param");
  return Math.floor(ms / 1000);
}

export function registerWorkflowRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(run, async (c) => {
    const version = await publishedVersion(c.var.tenant, requireWorkflowApp(c));
    if (!version) throw new BadRequestError("This app has not been published yet. Publish it in the console first.", "app_unavailable");
    return withRateLimit(c, () => respond(c, version, c.req.valid("json"))) as never;
  });

  app.openapi(runPinned, async (c) => {
    const found = requireWorkflowApp(c);
    const version = await c.var.tenant.versions.getPublished(found.id, c.req.valid("param").workflow_id);
    if (!version) throw new NotFoundError("Workflow version not found. Use the id of a published version of this app.");
    return withRateLimit(c, () => respond(c, version, c.req.valid("json"))) as never;
  });

  app.openapi(getRun, async (c) => {
    const state = await findRun(c, c.req.valid("param").workflow_run_id);
    return c.json(
      {
        id: state.runId,
        workflow_id: state.workflowId,
        status: state.status,
        inputs: JSON.stringify(state.inputs),
        outputs: state.outputs,
        error: state.error,
        total_steps: state.totalSteps,
        total_tokens: state.totalTokens,
        created_at: state.createdAt,
        finished_at: state.finishedAt,
        elapsed_time: state.elapsedTime,
      },
      200,
    );
  });

  app.openapi(stopTask, async (c) => {
    const { task_id } = c.req.valid("param");
    await findRun(c, task_id);
    await runStub(c.env, task_id).stop();
    return c.json({ result: "success" } as const, 200);
  });

  app.openapi(logs, async (c) => {
    const query = c.req.valid("query");
    const { rows, total } = await c.var.tenant.runs.list({
      appId: c.var.serviceApp.id,
      page: query.page,
      limit: query.limit,
      status: query.status,
      keyword: query.keyword,
      createdBefore: toSeconds(query.created_at__before),
      createdAfter: toSeconds(query.created_at__after),
      endUserSessionId: query.created_by_end_user_session_id,
    });
    const data = rows.map(({ run: r, endUser }) => ({
      id: r.id,
      workflow_run: {
        id: r.id,
        version: r.workflowId,
        status: r.status,
        error: r.error,
        elapsed_time: r.elapsedTime,
        total_tokens: r.totalTokens,
        total_steps: r.totalSteps,
        created_at: r.createdAt,
        finished_at: r.finishedAt,
        exceptions_count: r.exceptionsCount,
        triggered_from: r.triggeredFrom,
      },
      created_from: "service-api",
      created_by_role: r.createdByRole,
      created_by_account: null,
      created_by_end_user: endUser ? { id: endUser.id, type: endUser.type, is_anonymous: false, session_id: endUser.sessionId } : null,
      created_at: r.createdAt,
    }));
    return c.json({ page: query.page, limit: query.limit, total, has_more: query.page * query.limit < total, data }, 200);
  });

  app.openapi(events, async (c) => {
    const { workflow_run_id } = c.req.valid("param");
    await findRun(c, workflow_run_id);
    const after = Number(c.req.header("Last-Event-ID") ?? 0);
    const stream = sseFromEvents<WorkflowEvent>(await runStub(c.env, workflow_run_id).events(Number.isFinite(after) ? after : 0), (event) => workflowEventFrame(workflow_run_id, event));
    return new Response(stream, { headers: sseHeaders }) as never;
  });
}
