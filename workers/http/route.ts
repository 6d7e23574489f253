import { createRoute, z, type RouteConfig } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { Role } from "../db/schema";
import { appKeyAuth, datasetKeyAuth } from "../middleware/api-key-auth";
import { sessionAuth } from "../middleware/session-auth";
import { webPassportAuth } from "../middleware/web-passport-auth";
import type { AppEnv } from "./app-env";

/**
 * Who may call a route. Every route declares one; the route-inventory test fails when a route
 * is served without an entry here.
 */
export type Policy =
  | { auth: "public" }
  | { auth: "session"; role?: Role }
  | { auth: "app-key" }
  | { auth: "dataset-key" }
  /** A published web app's visitor, with a passport from `GET /api/passport`. */
  | { auth: "web-passport" };

export interface RouteEntry {
  method: string;
  /** OpenAPI-style path, e.g. `/console/api/apps/{app_id}`. */
  path: string;
  policy: Policy;
}

/** Every declared route with its policy, in declaration order. */
export const routeTable: RouteEntry[] = [];

function policyMiddleware(policy: Policy): MiddlewareHandler<AppEnv>[] {
  switch (policy.auth) {
    case "public":
      return [];
    case "session":
      return [sessionAuth(policy.role)];
    case "app-key":
      return [appKeyAuth()];
    case "dataset-key":
      return [datasetKeyAuth()];
    case "web-passport":
      return [webPassportAuth()];
  }
}

/**
 * Declares a route for `@hono/zod-openapi` together with its auth policy. The policy's middleware
 * runs before body validation, so an anonymous caller gets 401, not 400.
 * @example
 * const getApp = defineRoute({ method: "get", path: "/console/api/apps/{app_id}", policy: { auth: "session" }, ... });
 * app.openapi(getApp, (c) => ...);
 */
export function defineRoute<const R extends Omit<RouteConfig, "middleware">>(config: R & { policy: Policy }) {
  const { policy, ...route } = config;
  if (!routeTable.some((entry) => entry.method === route.method && entry.path === route.path)) {
    routeTable.push({ method: route.method, path: route.path, policy });
  }
  return createRoute({ ...route, middleware: policyMiddleware(policy) } as unknown as R & { middleware: MiddlewareHandler<AppEnv>[] });
}

/** A required JSON body. (`required: true` makes the validator reject a missing or non-JSON body.) */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { content: { "application/json": { schema } }, required: true } as const;
}

/** A JSON response description for the spec. */
export function jsonResponse<T extends z.ZodType>(description: string, schema: T) {
  return { description, content: { "application/json": { schema } } } as const;
}

export const errorSchema = z.object({ code: z.string(), message: z.string(), status: z.number() }).openapi("Error");
export const successSchema = z.object({ result: z.literal("success") });
export const noContent = { description: "No content" } as const;
