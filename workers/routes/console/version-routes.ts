import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { moderationProblems, unsupportedCodeProblems, validateGraph } from "../../../core/dsl";
import { BadRequestError, ConflictError, InvalidParamError, NotFoundError } from "../../../core/errors";
import { runtimeCodeLanguages } from "../../adapters/code-languages";
import { buildNodeRegistry } from "../../adapters/node-runtime";
import type { AppVersion, DraftContent } from "../../db/repositories";
import type { AppEnv } from "../../http/app-env";
import { defineRoute, jsonBody, jsonResponse, noContent } from "../../http/route";
import { appParam, requireApp } from "./app-routes";
import { draftHash } from "./default-drafts";

const workflowModes = new Set(["workflow", "advanced-chat"]);

const graphSchema = z
  .object({
    nodes: z.array(z.record(z.string(), z.unknown())).max(2000),
    edges: z.array(z.record(z.string(), z.unknown())).max(5000),
    viewport: z.object({ x: z.number(), y: z.number(), zoom: z.number() }).optional(),
  })
  .passthrough();

const problemSchema = z.object({ node_id: z.string().nullable(), field: z.string().nullish(), message: z.string() });

/** Beyond Dify: `problems`, what would stop the draft from publishing, so a canvas opened on it shows them on the nodes. */
const draftSchema = z.object({
  id: z.string(),
  graph: z.record(z.string(), z.unknown()),
  features: z.record(z.string(), z.unknown()),
  environment_variables: z.array(z.unknown()),
  conversation_variables: z.array(z.unknown()),
  hash: z.string(),
  updated_at: z.number(),
  problems: z.array(problemSchema),
});

const savedSchema = z.object({ result: z.literal("success"), hash: z.string(), updated_at: z.number() });
/** Beyond Dify: a saved workflow draft says what would stop it from publishing, so the canvas can show it on the node at once. */
const savedWorkflowSchema = savedSchema.extend({ problems: z.array(problemSchema) });

const getDraft = defineRoute({
  method: "get",
  path: "/console/api/apps/{app_id}/workflows/draft",
  policy: { auth: "session", role: "editor" },
  tags: ["console: versions"],
  request: {
    params: appParam,
    query: z.object({
      if_workflow: z
        .enum(["true"])
        .optional()
        .describe("`true`: an app that is not a workflow or chatflow answers 204 instead of 400 `not_workflow_app` (the console asks for a draft before it knows the app's mode)."),
    }),
  },
  responses: { 200: jsonResponse("The draft workflow", draftSchema), 204: noContent },
});

const saveDraft = defineRoute({
  method: "post",
  path: "/console/api/apps/{app_id}/workflows/draft",
  policy: { auth: "session", role: "editor" },
  tags: ["console: versions"],
  request: {
    params: appParam,
    body: jsonBody(
      z.object({
        graph: graphSchema,
        features: z.record(z.string(), z.unknown()).optional(),
        environment_variables: z.array(z.record(z.string(), z.unknown())).max(200).optional(),
        conversation_variables: z.array(z.record(z.string(), z.unknown())).max(200).optional(),
        hash: z.string().max(128).optional(),
      }),
    ),
  },
  responses: { 200: jsonResponse("Saved; the new hash, and what would stop the draft from publishing", savedWorkflowSchema) },
});

const getModelConfig = defineRoute({
  method: "get",
  path: "/console/api/apps/{app_id}/model-config",
  policy: { auth: "session", role: "editor" },
  tags: ["console: versions"],
  request: { params: appParam },
  responses: { 200: jsonResponse("The draft model config", z.object({ model_config: z.record(z.string(), z.unknown()), hash: z.string(), updated_at: z.number() })) },
});

const saveModelConfig = defineRoute({
  method: "post",
  path: "/console/api/apps/{app_id}/model-config",
  policy: { auth: "session", role: "editor" },
  tags: ["console: versions"],
  request: { params: appParam, body: jsonBody(z.object({ model_config: z.record(z.string(), z.unknown()), hash: z.string().max(128).optional() })) },
  responses: { 200: jsonResponse("Saved; the new hash", savedSchema) },
});

const publish = defineRoute({
  method: "post",
  path: "/console/api/apps/{app_id}/workflows/publish",
  policy: { auth: "session", role: "editor" },
  tags: ["console: versions"],
  request: { params: appParam, body: { content: { "application/json": { schema: z.object({ marked_name: z.string().max(100).optional(), marked_comment: z.string().max(500).optional() }) } }, required: false } },
  responses: { 200: jsonResponse("Published", z.object({ result: z.literal("success"), id: z.string(), created_at: z.number() })) },
});

const versionSchema = z.object({
  id: z.string(),
  version: z.string(),
  marked_name: z.string(),
  marked_comment: z.string(),
  hash: z.string(),
  created_at: z.number(),
  created_by: z.object({ id: z.string(), name: z.string() }).nullable(),
});

const listVersions = defineRoute({
  method: "get",
  path: "/console/api/apps/{app_id}/workflows",
  policy: { auth: "session" },
  tags: ["console: versions"],
  request: { params: appParam, query: z.object({ page: z.coerce.number().int().min(1).default(1), limit: z.coerce.number().int().min(1).max(100).default(20) }) },
  responses: { 200: jsonResponse("Published versions, newest first", z.object({ page: z.number(), limit: z.number(), has_more: z.boolean(), items: z.array(versionSchema) })) },
});

const restore = defineRoute({
  method: "post",
  path: "/console/api/apps/{app_id}/workflows/{version_id}/restore",
  policy: { auth: "session", role: "editor" },
  tags: ["console: versions"],
  request: { params: appParam.extend({ version_id: z.string().max(64) }) },
  responses: { 200: jsonResponse("The draft now holds that version", savedSchema) },
});

async function requireDraft(c: Context<AppEnv>, appId: string): Promise<AppVersion> {
  const draft = await c.var.tenant.versions.getDraft(appId);
  if (!draft) throw new NotFoundError("Draft not found.");
  return draft;
}

/** What stops a workflow draft from publishing: the graph checked against the node implementations, and code in languages this runtime lacks. */
function publishProblems(c: Context<AppEnv>, mode: string, graph: unknown) {
  return [...validateGraph(graph, { nodeTypes: buildNodeRegistry(), mode }), ...unsupportedCodeProblems(graph, runtimeCodeLanguages(c.env))];
}

/** Saves a full draft content with optimistic concurrency; 409 `draft_workflow_not_sync` on a stale hash. */
async function writeDraft(c: Context<AppEnv>, appId: string, content: DraftContent, expectedHash: string | undefined) {
  const hash = await draftHash(content);
  const saved = await c.var.tenant.versions.saveDraft(appId, content, hash, expectedHash);
  if (!saved) throw new ConflictError("draft_workflow_not_sync", "The draft was changed by someone else since you loaded it. Reload to get the latest version, then apply your change again.");
  await c.var.tenant.apps.touch(appId).run();
  return { result: "success" as const, hash: saved.hash, updated_at: saved.updatedAt };
}

export function registerVersionRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(getDraft, async (c) => {
    const { app_id } = c.req.valid("param");
    const found = await requireApp(c, app_id);
    if (!workflowModes.has(found.mode)) {
      if (c.req.valid("query").if_workflow) return c.body(null, 204);
      throw new BadRequestError("This app is not a workflow or chatflow; use its model config instead.", "not_workflow_app");
    }
    const draft = await requireDraft(c, app_id);
    return c.json({ id: draft.id, graph: draft.graph ?? {}, features: draft.features, environment_variables: draft.environmentVariables, conversation_variables: draft.conversationVariables, hash: draft.hash, updated_at: draft.updatedAt, problems: publishProblems(c, found.mode, draft.graph ?? {}) }, 200);
  });

  app.openapi(saveDraft, async (c) => {
    const { app_id } = c.req.valid("param");
    const body = c.req.valid("json");
    const found = await requireApp(c, app_id);
    if (!workflowModes.has(found.mode)) throw new BadRequestError("This app is not a workflow or chatflow; use its model config instead.", "not_workflow_app");
    const current = await requireDraft(c, app_id);
    const content: DraftContent = {
      graph: body.graph,
      features: body.features ?? current.features,
      environmentVariables: body.environment_variables ?? current.environmentVariables,
      conversationVariables: body.conversation_variables ?? current.conversationVariables,
      modelConfig: null,
    };
    const saved = await writeDraft(c, app_id, content, body.hash);
    return c.json({ ...saved, problems: publishProblems(c, found.mode, content.graph) }, 200);
  });

  app.openapi(getModelConfig, async (c) => {
    const { app_id } = c.req.valid("param");
    const found = await requireApp(c, app_id);
    if (workflowModes.has(found.mode)) throw new BadRequestError("This app is a workflow or chatflow; edit its draft workflow instead.", "app_unavailable");
    const draft = await requireDraft(c, app_id);
    return c.json({ model_config: draft.modelConfig ?? {}, hash: draft.hash, updated_at: draft.updatedAt }, 200);
  });

  app.openapi(saveModelConfig, async (c) => {
    const { app_id } = c.req.valid("param");
    const body = c.req.valid("json");
    const found = await requireApp(c, app_id);
    if (workflowModes.has(found.mode)) throw new BadRequestError("This app is a workflow or chatflow; edit its draft workflow instead.", "app_unavailable");
    const current = await requireDraft(c, app_id);
    const content: DraftContent = { graph: null, features: current.features, environmentVariables: [], conversationVariables: [], modelConfig: body.model_config };
    return c.json(await writeDraft(c, app_id, content, body.hash), 200);
  });

  app.openapi(publish, async (c) => {
    const { app_id } = c.req.valid("param");
    const marks = (c.req.header("Content-Type")?.includes("json") ? c.req.valid("json") : undefined) ?? {};
    const found = await requireApp(c, app_id);
    const draft = await requireDraft(c, app_id);
    if (workflowModes.has(found.mode)) {
      // Publishing is where a broken graph is stopped; saving a draft stays permissive.
      // A code node in a language this deployment cannot run would only fail at run time.
      const problems = publishProblems(c, found.mode, draft.graph);
      if (problems.length) {
        const listed = problems.slice(0, 5).map((p) => `${p.node_id ? `node ${p.node_id}` : "graph"}${p.field ? ` (${p.field})` : ""}: ${p.message}`).join("; ");
        throw new InvalidParamError(`The draft cannot be published: ${listed}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ""}`);
      }
    }
    // Features are saved as they are typed; an unfinished moderation setting stops publishing.
    const moderation = moderationProblems((workflowModes.has(found.mode) ? draft.features : draft.modelConfig)?.sensitive_word_avoidance);
    if (moderation.length) throw new InvalidParamError(`The draft cannot be published: ${moderation.join(" ")}`);
    const id = crypto.randomUUID();
    const tenant = c.var.tenant;
    await tenant.db.batch([
      tenant.versions.insertPublished(app_id, id, draft, { name: marks.marked_name ?? "", comment: marks.marked_comment ?? "" }, c.var.principal.account.id),
      tenant.apps.setPublished(app_id, id),
    ]);
    const published = await tenant.versions.getPublished(app_id, id);
    return c.json({ result: "success" as const, id, created_at: published!.createdAt }, 200);
  });

  app.openapi(listVersions, async (c) => {
    const { app_id } = c.req.valid("param");
    const { page, limit } = c.req.valid("query");
    await requireApp(c, app_id);
    const rows = await c.var.tenant.versions.listPublished(app_id, page, limit);
    const members = new Map((await c.var.tenant.members.list()).map((m) => [m.id, m.name]));
    const items = rows.slice(0, limit).map((row) => ({
      id: row.id,
      version: row.version,
      marked_name: row.markedName,
      marked_comment: row.markedComment,
      hash: row.hash,
      created_at: row.createdAt,
      created_by: row.createdBy ? { id: row.createdBy, name: members.get(row.createdBy) ?? "" } : null,
    }));
    return c.json({ page, limit, has_more: rows.length > limit, items }, 200);
  });

  app.openapi(restore, async (c) => {
    const { app_id, version_id } = c.req.valid("param");
    await requireApp(c, app_id);
    const version = await c.var.tenant.versions.getPublished(app_id, version_id);
    if (!version) throw new NotFoundError("Version not found.");
    const content: DraftContent = {
      graph: version.graph,
      features: version.features,
      environmentVariables: version.environmentVariables,
      conversationVariables: version.conversationVariables,
      modelConfig: version.modelConfig,
    };
    return c.json(await writeDraft(c, app_id, content, undefined), 200);
  });
}
