import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { BadRequestError, NotFoundError } from "../../../core/errors";
import { apiKeyHint, hashToken, newApiKey } from "../../../core/security";
import type { ApiKey, ApiKeyOwner } from "../../db/repositories";
import type { AppEnv } from "../../http/app-env";
import { defineRoute, jsonResponse, noContent } from "../../http/route";
import { appParam, requireApp } from "./app-routes";

/** Dify's limit on keys per app or workspace. */
const MAX_KEYS = 10;

const keySchema = z.object({ id: z.string(), type: z.enum(["app", "dataset"]), token: z.string(), created_at: z.number(), last_used_at: z.number().nullable() }).openapi("ApiKey");
const keyList = z.object({ data: z.array(keySchema) });
const keyParam = z.object({ key_id: z.string().max(64) });

function serializeKey(key: ApiKey, token?: string) {
  return { id: key.id, type: key.type, token: token ?? key.tokenHint, created_at: key.createdAt, last_used_at: key.lastUsedAt };
}

async function ownerFor(c: Context<AppEnv>, appId?: string): Promise<ApiKeyOwner> {
  if (appId === undefined) return { type: "dataset" };
  await requireApp(c, appId);
  return { type: "app", appId };
}

async function createKey(c: Context<AppEnv>, owner: ApiKeyOwner) {
  if ((await c.var.tenant.apiKeys.count(owner)) >= MAX_KEYS) {
    throw new BadRequestError(`You can have at most ${MAX_KEYS} keys here. Revoke one you no longer use first.`, "max_keys_exceeded");
  }
  const token = newApiKey(owner.type);
  const key = await c.var.tenant.apiKeys.create(owner, { id: crypto.randomUUID(), tokenHash: await hashToken(token), tokenHint: apiKeyHint(token), createdBy: c.var.principal.account.id });
  return serializeKey(key, token);
}

const listAppKeys = defineRoute({
  method: "get",
  path: "/console/api/apps/{app_id}/api-keys",
  policy: { auth: "session", role: "editor" },
  tags: ["console: api keys"],
  request: { params: appParam },
  responses: { 200: jsonResponse("The app's keys (masked)", keyList) },
});
const createAppKey = defineRoute({
  method: "post",
  path: "/console/api/apps/{app_id}/api-keys",
  policy: { auth: "session", role: "editor" },
  tags: ["console: api keys"],
  request: { params: appParam },
  responses: { 201: jsonResponse("The new key; the token is shown only now", keySchema) },
});
const deleteAppKey = defineRoute({
  method: "delete",
  path: "/console/api/apps/{app_id}/api-keys/{key_id}",
  policy: { auth: "session", role: "editor" },
  tags: ["console: api keys"],
  request: { params: appParam.merge(keyParam) },
  responses: { 204: noContent },
});
const listDatasetKeys = defineRoute({
  method: "get",
  path: "/console/api/datasets/api-keys",
  policy: { auth: "session", role: "admin" },
  tags: ["console: api keys"],
  responses: { 200: jsonResponse("The workspace's knowledge API keys (masked)", keyList) },
});
const createDatasetKey = defineRoute({
  method: "post",
  path: "/console/api/datasets/api-keys",
  policy: { auth: "session", role: "admin" },
  tags: ["console: api keys"],
  responses: { 201: jsonResponse("The new key; the token is shown only now", keySchema) },
});
const deleteDatasetKey = defineRoute({
  method: "delete",
  path: "/console/api/datasets/api-keys/{key_id}",
  policy: { auth: "session", role: "admin" },
  tags: ["console: api keys"],
  request: { params: keyParam },
  responses: { 204: noContent },
});

export function registerApiKeyRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(listAppKeys, async (c) => {
    const owner = await ownerFor(c, c.req.valid("param").app_id);
    return c.json({ data: (await c.var.tenant.apiKeys.list(owner)).map((key) => serializeKey(key)) }, 200);
  });
  app.openapi(createAppKey, async (c) => c.json(await createKey(c, await ownerFor(c, c.req.valid("param").app_id)), 201));
  app.openapi(deleteAppKey, async (c) => {
    const { app_id, key_id } = c.req.valid("param");
    if (!(await c.var.tenant.apiKeys.delete(await ownerFor(c, app_id), key_id))) throw new NotFoundError("API key not found.");
    return c.body(null, 204);
  });

  app.openapi(listDatasetKeys, async (c) => c.json({ data: (await c.var.tenant.apiKeys.list({ type: "dataset" })).map((key) => serializeKey(key)) }, 200));
  app.openapi(createDatasetKey, async (c) => c.json(await createKey(c, { type: "dataset" }), 201));
  app.openapi(deleteDatasetKey, async (c) => {
    if (!(await c.var.tenant.apiKeys.delete({ type: "dataset" }, c.req.valid("param").key_id))) throw new NotFoundError("API key not found.");
    return c.body(null, 204);
  });
}
