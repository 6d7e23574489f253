import type { OpenAPIHono } from "@hono/zod-openapi";
import { NotFoundError, WaggleError } from "../../../core/errors";
import { createDb } from "../../db/client";
import { resolvePluginHook } from "../../db/repositories/plugin-repository";
import type { AppEnv } from "../../http/app-env";
import { pluginEndpoint } from "../../plugins/plugin-runtime";
import { runtimeOptions } from "../../plugins/plugin-service";
import { buildModelRuntime } from "../../adapters/model-runtime";
import { buildToolProvider } from "../../adapters/tool-provider";

/**
 * Plugin endpoints: `/e/{hook_id}{path}` for each `endpoints[]` entry of an installed, enabled
 * plugin, served by its isolate. Public by nature (like webhooks): the unguessable hook id names
 * the installation, and the plugin authenticates its callers itself. Waggle's session cookie is
 * never passed on. Not in the route table: the path under the hook is the plugin's own.
 */
export function registerPluginEndpointRoutes(app: OpenAPIHono<AppEnv>): void {
  app.all("/e/:hook_id/*", async (c) => {
    const hookId = c.req.param("hook_id");
    const db = createDb(c.env.DB);
    const row = /^[A-Za-z0-9_-]{1,64}$/.test(hookId) ? await resolvePluginHook(db, hookId) : undefined;
    if (!row || !row.enabled) throw new NotFoundError("No plugin endpoint here.");
    const path = new URL(c.req.url).pathname.slice(`/e/${hookId}`.length) || "/";
    const endpoint = row.manifest.endpoints.find((candidate) => candidate.path === path);
    if (!endpoint) throw new NotFoundError(`${row.pluginId} has no endpoint ${path}.`);
    if (!endpoint.methods.includes(c.req.method as (typeof endpoint.methods)[number])) {
      throw new WaggleError("method_not_allowed", `${row.pluginId}'s endpoint ${path} accepts ${endpoint.methods.join(", ")}.`, 405);
    }
    const headers = new Headers(c.req.raw.headers);
    headers.delete("cookie");
    const request = new Request(c.req.raw.url, { method: c.req.method, headers, body: c.req.method === "GET" || c.req.method === "HEAD" ? undefined : await c.req.raw.arrayBuffer() });
    const tools = buildToolProvider(c.env, row.tenantId, undefined, { plugins: false });
    return pluginEndpoint(await runtimeOptions(c.env, db, row, { models: buildModelRuntime(c.env, row.tenantId, undefined, { pluginTools: tools }), tools }), path, request);
  });
}
