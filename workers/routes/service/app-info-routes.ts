import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { BadRequestError } from "../../../core/errors";
import type { AppVersion } from "../../db/repositories";
import type { AppEnv } from "../../http/app-env";
import { defineRoute, jsonResponse } from "../../http/route";
import { publishedVersion } from "./published-version";
import { parametersFromVersion } from "./parameters";

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

  app.openapi(parameters, async (c) => c.json(parametersFromVersion(c.var.serviceApp.mode, await requirePublished(c)), 200));
}
