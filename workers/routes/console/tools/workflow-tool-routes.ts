import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { BadRequestError, NotFoundError } from "../../../../core/errors";
import { startVariablesOf } from "../../../../core/nodes/start";
import { startVariablesSchema } from "../../../../core/tools";
import type { ToolProviderRow } from "../../../db/repositories/tool-provider-repository";
import type { AppEnv } from "../../../http/app-env";
import { defineRoute, jsonBody, jsonResponse, successSchema } from "../../../http/route";
import { difyParameters, TOOL_TAGS, TOOLS_BASE, toolProviders } from "./tool-provider-shapes";

const looseObject = z.record(z.string(), z.unknown());
const WORKFLOW = `${TOOLS_BASE}/tool-provider/workflow`;
const workflowToolFields = z.object({
  /** The tool's name as models and DSLs see it. */
  name: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_]+$/, "letters, digits and _ only"),
  label: z.string().trim().min(1).max(100),
  description: z.string().max(2000).default(""),
  icon: z.unknown().optional(),
  parameters: z.array(z.object({ name: z.string().min(1).max(100), description: z.string().max(1000).default(""), form: z.string().max(20).default("llm") })).max(100).default([]),
  labels: z.array(z.string().max(100)).max(20).optional(),
  privacy_policy: z.string().max(2000).optional(),
});
const toolIdBody = z.object({ workflow_tool_id: z.string().min(1).max(100) });

const createWorkflowTool = defineRoute({
  method: "post",
  path: `${WORKFLOW}/create`,
  policy: { auth: "session", role: "editor" },
  tags: TOOL_TAGS,
  request: { body: jsonBody(workflowToolFields.extend({ workflow_app_id: z.string().min(1).max(100) })) },
  responses: { 200: jsonResponse("The published workflow is now a tool", successSchema) },
});
const updateWorkflowTool = defineRoute({
  method: "post",
  path: `${WORKFLOW}/update`,
  policy: { auth: "session", role: "editor" },
  tags: TOOL_TAGS,
  request: { body: jsonBody(workflowToolFields.extend({ workflow_tool_id: z.string().min(1).max(100) })) },
  responses: { 200: jsonResponse("Updated", successSchema) },
});
const deleteWorkflowTool = defineRoute({
  method: "post",
  path: `${WORKFLOW}/delete`,
  policy: { auth: "session", role: "editor" },
  tags: TOOL_TAGS,
  request: { body: jsonBody(toolIdBody) },
  responses: { 200: jsonResponse("Deleted", successSchema) },
});
const getWorkflowTool = defineRoute({
  method: "get",
  path: `${WORKFLOW}/get`,
  policy: { auth: "session" },
  tags: TOOL_TAGS,
  request: { query: z.object({ workflow_tool_id: z.string().min(1).max(100).optional(), workflow_app_id: z.string().min(1).max(100).optional() }) },
  responses: { 200: jsonResponse("The workflow tool with its parameters", looseObject) },
});

/** The app must be one of this workspace's workflow apps with a published version. */
async function publishedWorkflow(c: Context<AppEnv>, appId: string) {
  const app = await c.var.tenant.apps.get(appId);
  if (!app) throw new NotFoundError("App not found.");
  if (app.mode !== "workflow") throw new BadRequestError("Only workflow apps can be tools.", "invalid_param");
  const version = app.publishedVersionId ? await c.var.tenant.versions.getPublished(app.id, app.publishedVersionId) : undefined;
  if (!version?.graph) throw new BadRequestError("Publish the workflow before making it a tool.", "invalid_param");
  return { app, version };
}

async function requireTool(c: Context<AppEnv>, id: string): Promise<ToolProviderRow> {
  const row = await toolProviders(c).get("workflow", id);
  if (!row) throw new NotFoundError("Workflow tool not found.");
  return row;
}

/** Dify's "workflow as tool" console API: a published workflow app of the workspace, callable by agents and tool nodes. */
export function registerWorkflowToolRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(createWorkflowTool, async (c) => {
    const body = c.req.valid("json");
    const repository = toolProviders(c);
    await publishedWorkflow(c, body.workflow_app_id);
    if (await repository.getByApp(body.workflow_app_id)) throw new BadRequestError("This workflow is already a tool.", "tool_provider_exists");
    if (await repository.getByName("workflow", body.name)) throw new BadRequestError(`A workflow tool named ${body.name} already exists.`, "tool_provider_exists");
    await repository.insert("workflow", {
      name: body.name,
      description: body.description,
      icon: body.icon ?? null,
      appId: body.workflow_app_id,
      config: { tool_name: body.name, label: body.label, parameters: body.parameters, labels: body.labels ?? [], privacy_policy: body.privacy_policy ?? "" },
      createdBy: c.var.principal.account.id,
    });
    return c.json({ result: "success" as const }, 200);
  });

  app.openapi(updateWorkflowTool, async (c) => {
    const body = c.req.valid("json");
    const repository = toolProviders(c);
    const row = await requireTool(c, body.workflow_tool_id);
    const other = await repository.getByName("workflow", body.name);
    if (other && other.id !== row.id) throw new BadRequestError(`A workflow tool named ${body.name} already exists.`, "tool_provider_exists");
    await repository.update("workflow", row.id, {
      name: body.name,
      description: body.description,
      icon: body.icon ?? row.icon,
      config: { ...row.config, tool_name: body.name, label: body.label, parameters: body.parameters, labels: body.labels ?? [], privacy_policy: body.privacy_policy ?? "" },
    });
    return c.json({ result: "success" as const }, 200);
  });

  app.openapi(deleteWorkflowTool, async (c) => {
    const row = await requireTool(c, c.req.valid("json").workflow_tool_id);
    await toolProviders(c).delete("workflow", row.id);
    return c.json({ result: "success" as const }, 200);
  });

  app.openapi(getWorkflowTool, async (c) => {
    const query = c.req.valid("query");
    const row = query.workflow_tool_id ? await toolProviders(c).get("workflow", query.workflow_tool_id) : query.workflow_app_id ? await toolProviders(c).getByApp(query.workflow_app_id) : undefined;
    if (!row) throw new NotFoundError("Workflow tool not found.");
    const config = row.config as { tool_name?: string; label?: string; parameters?: Array<{ name: string; description: string; form: string }>; labels?: string[]; privacy_policy?: string };
    const { version } = await publishedWorkflow(c, row.appId ?? "").catch(() => ({ version: undefined }));
    const descriptions = Object.fromEntries((config.parameters ?? []).map((parameter) => [parameter.name, parameter.description]));
    return c.json(
      {
        workflow_tool_id: row.id,
        workflow_app_id: row.appId,
        name: config.tool_name ?? row.name,
        label: config.label ?? row.name,
        description: row.description,
        icon: row.icon,
        parameters: config.parameters ?? [],
        labels: config.labels ?? [],
        privacy_policy: config.privacy_policy ?? "",
        synced: Boolean(version),
        tool: { name: config.tool_name ?? row.name, parameters: difyParameters(startVariablesSchema(version?.graph ? startVariablesOf(version.graph) : [], descriptions)) },
      },
      200,
    );
  });
}
