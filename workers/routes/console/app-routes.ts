import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { NotFoundError } from "../../../core/errors";
import { appModes } from "../../db/schema";
import type { App } from "../../db/repositories";
import type { AppEnv } from "../../http/app-env";
import { defineRoute, jsonBody, jsonResponse, noContent } from "../../http/route";
import { defaultDraft, draftHash } from "./default-drafts";

export const appSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    mode: z.enum(appModes),
    icon: z.string(),
    icon_type: z.string(),
    icon_background: z.string(),
    enable_api: z.boolean(),
    /** Whether the published web app (`/chat/{code}` and the rest) answers. */
    enable_site: z.boolean(),
    /** Dify's `max_active_requests`: concurrent generation requests through the service API; null or 0: no limit. */
    max_active_requests: z.number().nullable(),
    published_version_id: z.string().nullable(),
    created_at: z.number(),
    updated_at: z.number(),
  })
  .openapi("App");

export function serializeApp(app: App): z.infer<typeof appSchema> {
  return {
    id: app.id,
    name: app.name,
    description: app.description,
    mode: app.mode,
    icon: app.icon,
    icon_type: app.iconType,
    icon_background: app.iconBackground,
    enable_api: app.enableApi,
    enable_site: app.enableSite,
    max_active_requests: app.maxActiveRequests ?? null,
    published_version_id: app.publishedVersionId,
    created_at: app.createdAt,
    updated_at: app.updatedAt,
  };
}

export const appParam = z.object({ app_id: z.string().max(64) });

/** The caller's app with this id, or 404 (another tenant's app is simply not found). */
export async function requireApp(c: Context<AppEnv>, appId: string): Promise<App> {
  const app = await c.var.tenant.apps.get(appId);
  if (!app) throw new NotFoundError("App not found.");
  return app;
}
const name = z.string().trim().min(1, "Name is required.").max(100);
const description = z.string().max(2000);
const icon = z.string().max(100);
const iconBackground = z.string().max(20);

const listApps = defineRoute({
  method: "get",
  path: "/console/api/apps",
  policy: { auth: "session" },
  tags: ["console: apps"],
  request: {
    query: z.object({
      page: z.coerce.number().int().min(1).max(10_000).default(1),
      limit: z.coerce.number().int().min(1).max(100).default(30),
      mode: z.enum(appModes).optional().or(z.literal("all").transform(() => undefined)),
      name: z.string().max(100).optional(),
    }),
  },
  responses: { 200: jsonResponse("A page of apps", z.object({ page: z.number(), limit: z.number(), total: z.number(), has_more: z.boolean(), data: z.array(appSchema) })) },
});

const createApp = defineRoute({
  method: "post",
  path: "/console/api/apps",
  policy: { auth: "session", role: "editor" },
  tags: ["console: apps"],
  request: { body: jsonBody(z.object({ name, mode: z.enum(appModes), description: description.optional(), icon: icon.optional(), icon_background: iconBackground.optional() })) },
  responses: { 201: jsonResponse("The created app", appSchema) },
});

const getApp = defineRoute({
  method: "get",
  path: "/console/api/apps/{app_id}",
  policy: { auth: "session" },
  tags: ["console: apps"],
  request: { params: appParam },
  responses: { 200: jsonResponse("The app", appSchema) },
});

const updateApp = defineRoute({
  method: "put",
  path: "/console/api/apps/{app_id}",
  policy: { auth: "session", role: "editor" },
  tags: ["console: apps"],
  request: { params: appParam, body: jsonBody(z.object({ name, description: description.optional(), icon: icon.optional(), icon_background: iconBackground.optional(), enable_api: z.boolean().optional(), max_active_requests: z.number().int().min(0).max(100_000).nullable().optional() })) },
  responses: { 200: jsonResponse("The updated app", appSchema) },
});

const deleteApp = defineRoute({
  method: "delete",
  path: "/console/api/apps/{app_id}",
  policy: { auth: "session", role: "editor" },
  tags: ["console: apps"],
  request: { params: appParam },
  responses: { 204: noContent },
});

export function registerAppRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(listApps, async (c) => {
    const query = c.req.valid("query");
    const { rows, total } = await c.var.tenant.apps.list({ page: query.page, limit: query.limit, mode: query.mode, name: query.name });
    return c.json({ page: query.page, limit: query.limit, total, has_more: query.page * query.limit < total, data: rows.map(serializeApp) }, 200);
  });

  app.openapi(createApp, async (c) => {
    const body = c.req.valid("json");
    const tenant = c.var.tenant;
    const id = crypto.randomUUID();
    const draft = defaultDraft(body.mode);
    await tenant.db.batch([
      tenant.apps.insert({ id, name: body.name, mode: body.mode, description: body.description ?? "", icon: body.icon, iconBackground: body.icon_background, createdBy: c.var.principal.account.id }),
      tenant.versions.insertDraft(id, crypto.randomUUID(), draft, await draftHash(draft), c.var.principal.account.id),
    ]);
    const created = await tenant.apps.get(id);
    return c.json(serializeApp(created!), 201);
  });

  app.openapi(getApp, async (c) => {
    return c.json(serializeApp(await requireApp(c, c.req.valid("param").app_id)), 200);
  });

  app.openapi(updateApp, async (c) => {
    const body = c.req.valid("json");
    const updated = await c.var.tenant.apps.update(c.req.valid("param").app_id, {
      name: body.name,
      description: body.description,
      icon: body.icon,
      iconBackground: body.icon_background,
      enableApi: body.enable_api,
      maxActiveRequests: body.max_active_requests === undefined ? undefined : body.max_active_requests || null,
    });
    if (!updated) throw new NotFoundError("App not found.");
    return c.json(serializeApp(updated), 200);
  });

  app.openapi(deleteApp, async (c) => {
    if (!(await c.var.tenant.apps.delete(c.req.valid("param").app_id))) throw new NotFoundError("App not found.");
    return c.body(null, 204);
  });
}
