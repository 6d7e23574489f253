import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { BadRequestError, InvalidParamError, NotFoundError } from "../../../core/errors";
import { retrySnapshot, singleNodeGraph, singleNodeSnapshot, type WorkflowEvent } from "../../../core/engine";
import type { EndUser, WorkflowRunRow } from "../../db/repositories";
import type { AppEnv } from "../../http/app-env";
import { defineRoute, jsonBody, jsonResponse } from "../../http/route";
import { sseFromEvents, sseHeaders } from "../../http/sse";
import { assertTokenQuota } from "../../runs/token-quota";
import { prepareRun, runStub } from "../../runs/launch-run";
import { runData, stateFromRow, workflowEventFrame } from "../../runs/run-payloads";
import { appParam, requireApp } from "./app-routes";

const runParam = appParam.extend({ run_id: z.string().max(64) });

const runNode = defineRoute({
  method: "post",
  path: "/console/api/apps/{app_id}/workflows/draft/nodes/{node_id}/run",
  policy: { auth: "session", role: "editor" },
  tags: ["console: runs"],
  request: {
    params: appParam.extend({ node_id: z.string().max(100) }),
    body: jsonBody(z.object({ inputs: z.record(z.string(), z.unknown()).default({}).describe('Values of the variables the node reads, keyed "node_id.variable" (or "#node_id.variable#")') })),
  },
  responses: { 200: jsonResponse("The node's execution: inputs, outputs, status, error, elapsed time", z.record(z.string(), z.unknown())) },
});

const retryRun = defineRoute({
  method: "post",
  path: "/console/api/apps/{app_id}/workflow-runs/{run_id}/retry",
  policy: { auth: "session", role: "editor" },
  tags: ["console: runs"],
  request: { params: runParam },
  responses: { 200: { description: "SSE stream of a new run that reuses the finished nodes' outputs and runs again from the failed node", content: { "text/event-stream": { schema: z.string() } } } },
});

const runDraft = defineRoute({
  method: "post",
  path: "/console/api/apps/{app_id}/workflows/draft/run",
  policy: { auth: "session", role: "editor" },
  tags: ["console: runs"],
  request: { params: appParam, body: jsonBody(z.object({ inputs: z.record(z.string(), z.unknown()).default({}), query: z.string().max(100_000).optional(), files: z.array(z.record(z.string(), z.unknown())).max(20).optional() })) },
  responses: { 200: { description: "SSE stream of the draft run's events", content: { "text/event-stream": { schema: z.string() } } } },
});

const listRuns = defineRoute({
  method: "get",
  path: "/console/api/apps/{app_id}/workflow-runs",
  policy: { auth: "session" },
  tags: ["console: runs"],
  request: {
    params: appParam,
    query: z.object({
      page: z.coerce.number().int().min(1).default(1),
      limit: z.coerce.number().int().min(1).max(100).default(20),
      status: z.string().max(30).optional(),
      keyword: z.string().max(200).optional().describe("Runs whose inputs or outputs contain this text"),
    }),
  },
  responses: { 200: jsonResponse("Run history, newest first, each with who started it (`created_by_end_user` or `created_by_account`)", z.object({ page: z.number(), limit: z.number(), total: z.number(), has_more: z.boolean(), data: z.array(z.record(z.string(), z.unknown())) })) },
});

const getRun = defineRoute({
  method: "get",
  path: "/console/api/apps/{app_id}/workflow-runs/{run_id}",
  policy: { auth: "session" },
  tags: ["console: runs"],
  request: { params: runParam },
  responses: { 200: jsonResponse("A run", z.record(z.string(), z.unknown())) },
});

const nodeExecutions = defineRoute({
  method: "get",
  path: "/console/api/apps/{app_id}/workflow-runs/{run_id}/node-executions",
  policy: { auth: "session" },
  tags: ["console: runs"],
  request: { params: runParam },
  responses: { 200: jsonResponse("Per-node inputs, outputs, status and timings, in execution order", z.object({ data: z.array(z.record(z.string(), z.unknown())) })) },
});

const stopRun = defineRoute({
  method: "post",
  path: "/console/api/apps/{app_id}/workflow-runs/{run_id}/stop",
  policy: { auth: "session", role: "editor" },
  tags: ["console: runs"],
  request: { params: runParam },
  responses: { 200: jsonResponse("Stopped", z.object({ result: z.literal("success") })) },
});

/** Names of the workspace members who started any of `runs` (none looked up when no account did). */
async function accountNames(c: Context<AppEnv>, runs: WorkflowRunRow[]): Promise<Map<string, string>> {
  if (!runs.some((run) => run.createdByRole === "account")) return new Map();
  return new Map((await c.var.tenant.members.list()).map((member) => [member.id, member.name]));
}

/** Dify's `created_by_role` with `created_by_end_user` (the caller's `user` string) or `created_by_account`. */
function createdBy(run: WorkflowRunRow, endUser: EndUser | null, names: Map<string, string>) {
  return {
    created_by_role: run.createdByRole,
    created_by_end_user: run.createdByRole === "end_user" && endUser ? { id: endUser.id, type: endUser.type, session_id: endUser.sessionId } : null,
    created_by_account: run.createdByRole === "account" && run.createdBy ? { id: run.createdBy, name: names.get(run.createdBy) ?? null } : null,
  };
}

/** Reads a run's NDJSON event stream to the end. */
async function collectEvents(stream: ReadableStream<Uint8Array>): Promise<WorkflowEvent[]> {
  const text = await new Response(stream).text();
  return text.split("\n").filter(Boolean).map((line) => JSON.parse(line) as WorkflowEvent);
}

export function registerRunRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(runNode, async (c) => {
    const { app_id, node_id } = c.req.valid("param");
    const found = await requireApp(c, app_id);
    const draft = await c.var.tenant.versions.getDraft(app_id);
    if (!draft?.graph) throw new BadRequestError("Only workflows and chatflows have nodes to run.", "not_workflow_app");
    const graph = draft.graph as Parameters<typeof singleNodeGraph>[0];
    if (!graph.nodes?.some((node) => node.id === node_id)) throw new NotFoundError(`Node ${node_id} is not in the draft.`);
    const account = c.var.principal.account;
    const values = c.req.valid("json").inputs;
    let seeded: ReturnType<typeof singleNodeSnapshot>;
    const runId = crypto.randomUUID();
    try {
      seeded = singleNodeSnapshot({
        runId,
        workflowId: draft.id,
        mode: found.mode,
        now: Date.now(),
        system: { user_id: account.id, app_id: found.id },
        environmentVariables: draft.environmentVariables as never,
        conversationVariables: draft.conversationVariables as never,
        values,
      });
    } catch (error) {
      throw new InvalidParamError((error as Error).message);
    }
    const run = prepareRun(c, {
      app: found,
      version: draft,
      inputs: {},
      createdByRole: "account",
      createdBy: account.id,
      userId: account.id,
      triggeredFrom: "single-step",
      rootNodeId: node_id,
      graph: singleNodeGraph(graph, node_id),
      runId,
      initialSnapshot: () => seeded,
    });
    const events = await collectEvents(await run.stream());
    const finished = events.find((e) => e.type === "node_finished" && e.data.node_id === node_id);
    if (!finished) {
      const end = events.find((e) => e.type === "workflow_finished");
      throw new BadRequestError(`The node did not run: ${end?.type === "workflow_finished" ? (end.data.error ?? end.data.status) : "no result"}`, "node_run_failed");
    }
    return c.json({ ...(finished.data as unknown as Record<string, unknown>), workflow_run_id: run.runId }, 200);
  });

  app.openapi(retryRun, async (c) => {
    const { app_id, run_id } = c.req.valid("param");
    const found = await requireApp(c, app_id);
    const previous = runStub(c.env, run_id);
    const state = await previous.getState();
    if (!state || state.tenantId !== c.var.tenant.tenantId || state.appId !== app_id) throw new NotFoundError("Run not found, or its state has expired (runs can be retried for 24 hours).");
    const source = await previous.retrySource();
    if (!source) throw new BadRequestError(`Only failed or stopped runs can be retried; this run ${state.status === "running" ? "is still running" : `has status ${state.status}`}.`, "invalid_param");
    // A debugging run is retried on the current draft (the fix is usually there); others on their own version.
    const draft = source.request.triggeredFrom === "debugging" ? await c.var.tenant.versions.getDraft(app_id) : undefined;
    const version = draft ?? { id: source.request.workflowId, graph: source.request.graph as Record<string, unknown>, environmentVariables: source.request.environmentVariables, conversationVariables: source.request.conversationVariables } as never;
    const account = c.var.principal.account;
    const run = prepareRun(c, {
      app: found,
      version,
      inputs: source.request.inputs,
      createdByRole: "account",
      createdBy: account.id,
      userId: account.id,
      triggeredFrom: source.request.triggeredFrom === "app-run" ? "app-run" : "debugging",
      initialSnapshot: (runId) => retrySnapshot(source.snapshot, runId, Date.now()),
    });
    const stream = sseFromEvents<WorkflowEvent>(await run.stream(), (event) => workflowEventFrame(run.runId, event));
    return new Response(stream, { headers: sseHeaders }) as never;
  });

  app.openapi(runDraft, async (c) => {
    const { app_id } = c.req.valid("param");
    const body = c.req.valid("json");
    const found = await requireApp(c, app_id);
    if (found.mode !== "workflow" && found.mode !== "advanced-chat") throw new BadRequestError("Only workflows and chatflows have a draft to run.", "not_workflow_app");
    await assertTokenQuota(c);
    const draft = await c.var.tenant.versions.getDraft(app_id);
    if (!draft) throw new NotFoundError("Draft not found.");
    const account = c.var.principal.account;
    const run = prepareRun(c, {
      app: found,
      version: draft,
      inputs: body.inputs,
      query: body.query,
      files: body.files,
      createdByRole: "account",
      createdBy: account.id,
      userId: account.id,
      triggeredFrom: "debugging",
    });
    const stream = sseFromEvents<WorkflowEvent>(await run.stream(), (event) => workflowEventFrame(run.runId, event));
    return new Response(stream, { headers: sseHeaders }) as never;
  });

  app.openapi(listRuns, async (c) => {
    const { app_id } = c.req.valid("param");
    const query = c.req.valid("query");
    await requireApp(c, app_id);
    const { rows, total } = await c.var.tenant.runs.list({ appId: app_id, page: query.page, limit: query.limit, status: query.status, keyword: query.keyword?.trim() || undefined });
    const names = await accountNames(c, rows.map(({ run }) => run));
    const data = rows.map(({ run, endUser }) => ({ ...runData(stateFromRow(run)), triggered_from: run.triggeredFrom, ...createdBy(run, endUser, names) }));
    return c.json({ page: query.page, limit: query.limit, total, has_more: query.page * query.limit < total, data }, 200);
  });

  app.openapi(getRun, async (c) => {
    const { app_id, run_id } = c.req.valid("param");
    await requireApp(c, app_id);
    const row = await c.var.tenant.runs.get(app_id, run_id);
    if (row) {
      const endUser = row.createdByRole === "end_user" && row.createdBy ? await c.var.tenant.runs.endUser(row.createdBy) : undefined;
      return c.json({ ...runData(stateFromRow(row)), inputs: row.inputs, triggered_from: row.triggeredFrom, ...createdBy(row, endUser ?? null, await accountNames(c, [row])) }, 200);
    }
    const state = await runStub(c.env, run_id).getState();
    if (!state || state.tenantId !== c.var.tenant.tenantId || state.appId !== app_id) throw new NotFoundError("Run not found.");
    return c.json({ ...runData(state), inputs: state.inputs }, 200);
  });

  app.openapi(nodeExecutions, async (c) => {
    const { app_id, run_id } = c.req.valid("param");
    await requireApp(c, app_id);
    if (!(await c.var.tenant.runs.get(app_id, run_id))) throw new NotFoundError("Run not found.");
    const rows = await c.var.tenant.runs.nodeExecutions(run_id);
    return c.json(
      {
        data: rows.map((r) => ({
          id: r.id,
          index: r.index,
          node_id: r.nodeId,
          node_type: r.nodeType,
          title: r.title,
          predecessor_node_id: r.predecessorNodeId,
          inputs: r.inputs,
          process_data: r.processData,
          outputs: r.outputs,
          status: r.status,
          error: r.error,
          elapsed_time: r.elapsedTime,
          execution_metadata: r.executionMetadata,
          created_at: r.createdAt,
          finished_at: r.finishedAt,
        })),
      },
      200,
    );
  });

  app.openapi(stopRun, async (c) => {
    const { app_id, run_id } = c.req.valid("param");
    await requireApp(c, app_id);
    const stub = runStub(c.env, run_id);
    const state = await stub.getState();
    if (!state || state.tenantId !== c.var.tenant.tenantId || state.appId !== app_id) throw new NotFoundError("Run not found.");
    await stub.stop();
    return c.json({ result: "success" } as const, 200);
  });
}
