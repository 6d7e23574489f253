import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { BadRequestError, ForbiddenError, NotFoundError } from "../../../core/errors";
import type { AppVersion } from "../../db/repositories";
import type { AppEnv } from "../../http/app-env";
import { defineRoute, jsonResponse } from "../../http/route";
import { publishedVersion } from "./published-version";
import { parametersFromVersion } from "./parameters";
import { annotationReplyFeature } from "../../annotations";

const info = defineRoute({
  method: "get",
  path: "/v1/info",
  policy: { auth: "app-key" },
  tags: ["service: app"],
  responses: { 200: jsonResponse("Basic app information", z.object({ name: z.string(), description: z.string(), tags: z.array(z.string()), mode: z.string(), author_name: z.string() })) },
});

const parameters = defineRoute({
  method: "get",
  path: "/v1/parameters",
  policy: { auth: "app-key" },
  tags: ["service: app"],
  responses: { 200: jsonResponse("The published app's input form and features", z.record(z.string(), z.unknown())) },
});

const meta = defineRoute({
  method: "get",
  path: "/v1/meta",
  policy: { auth: "app-key" },
  tags: ["service: app"],
  responses: { 200: jsonResponse("Icons of the tools the app uses", z.object({ tool_icons: z.record(z.string(), z.unknown()) })) },
});

const site = defineRoute({
  method: "get",
  path: "/v1/site",
  policy: { auth: "app-key" },
  tags: ["service: app"],
  responses: { 200: jsonResponse("The app's web app settings", z.record(z.string(), z.unknown())) },
});

const endUser = defineRoute({
  method: "get",
  path: "/v1/end-users/{end_user_id}",
  policy: { auth: "app-key" },
  tags: ["service: app"],
  request: { params: z.object({ end_user_id: z.string().max(64) }) },
  responses: { 200: jsonResponse("An end user of the app", z.record(z.string(), z.unknown())) },
});

/** The icon Dify shows for a tool without its own image. */
const DEFAULT_TOOL_ICON = { background: "#EFF1F5", content: "🔧" };

async function requirePublished(c: Context<AppEnv>): Promise<AppVersion> {
  const version = await publishedVersion(c.var.tenant, c.var.serviceApp);
  if (!version) throw new BadRequestError("This app has not been published yet. Publish it in the console first.", "app_unavailable");
  return version;
}

export function registerAppInfoRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(info, async (c) => {
    const found = c.var.serviceApp;
    const owner = found.createdBy ? await c.var.tenant.members.get(found.createdBy) : undefined;
    return c.json({ name: found.name, description: found.description, tags: [], mode: found.mode, author_name: owner?.name ?? "" }, 200);
  });

  app.openapi(parameters, async (c) => {
    const [version, setting] = await Promise.all([requirePublished(c), c.var.tenant.annotations.setting(c.var.serviceApp.id)]);
    return c.json(parametersFromVersion(c.var.serviceApp.mode, version, annotationReplyFeature(setting)), 200);
  });

  app.openapi(meta, async (c) => {
    const version = await publishedVersion(c.var.tenant, c.var.serviceApp);
    const tools = ((version?.modelConfig?.agent_mode as { tools?: Array<{ tool_name?: string }> } | undefined)?.tools ?? []).filter((tool) => typeof tool?.tool_name === "string");
    return c.json({ tool_icons: Object.fromEntries(tools.map((tool) => [tool.tool_name!, DEFAULT_TOOL_ICON])) }, 200);
  });

  app.openapi(site, async (c) => {
    const found = c.var.serviceApp;
    if (!found.enableSite) throw new ForbiddenError("The web app of this app is disabled.");
    return c.json(
      {
        title: found.name,
        chat_color_theme: null,
        chat_color_theme_inverted: false,
        icon_type: found.iconType,
        icon: found.icon,
        icon_background: found.iconBackground,
        icon_url: found.iconType === "emoji" ? null : found.icon,
        description: found.description,
        copyright: null,
        privacy_policy: null,
        custom_disclaimer: "",
        default_language: "en-US",
        show_workflow_steps: true,
        use_icon_as_answer_icon: false,
      },
      200,
    );
  });

  app.openapi(endUser, async (c) => {
    const found = c.var.serviceApp;
    const row = await c.var.tenant.conversations.endUser(c.req.valid("param").end_user_id);
    if (!row || row.appId !== found.id) throw new NotFoundError("End user not found.");
    return c.json(
      { id: row.id, tenant_id: row.tenantId, app_id: row.appId, type: row.type, external_user_id: row.sessionId, name: null, is_anonymous: false, session_id: row.sessionId, created_at: row.createdAt, updated_at: row.createdAt },
      200,
    );
  });
}
