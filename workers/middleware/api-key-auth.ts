import type { Context, MiddlewareHandler } from "hono";
import { ForbiddenError, UnauthorizedError } from "../../core/errors";
import { hashToken } from "../../core/security";
import { API_KEY_CACHE_SECONDS, KEY_USE_RESOLUTION_SECONDS, TenantRepository, keyUseRecorded, resolveApiKey, touchApiKey, type ResolvedKey } from "../db/repositories";
import type { AppEnv } from "../http/app-env";
import { webPrincipalOf } from "./web-principal";

/** Credentials of an archived workspace (API keys, MCP server codes, webhook secrets) open nothing. */
export function assertWorkspaceActive(status: string): void {
  if (status !== "normal") throw new ForbiddenError("The workspace's status is archived.");
}

/** `WAGGLE_API_KEY_CACHE_SECONDS` in milliseconds (default 5 s; 0 turns the cache off). */
function keyCacheMs(c: Context<AppEnv>): number {
  const configured = c.env.WAGGLE_API_KEY_CACHE_SECONDS;
  const seconds = configured === undefined || configured === "" ? API_KEY_CACHE_SECONDS : Number(configured);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
}

async function resolveBearer(c: Context<AppEnv>): Promise<{ resolved: ResolvedKey; tokenHash: string }> {
  const header = c.req.header("Authorization");
  if (!header || !/^Bearer\s+\S/i.test(header)) {
    throw new UnauthorizedError("Authorization header must be provided and start with 'Bearer'");
  }
  const token = header.replace(/^Bearer\s+/i, "").trim();
  // Keys have a fixed shape; anything else is refused without a database lookup.
  if (!/^(app|dataset)-[A-Za-z0-9]{24}$/.test(token)) throw new UnauthorizedError("Access token is invalid");
  const tokenHash = await hashToken(token);
  const resolved = await resolveApiKey(c.var.db, tokenHash, keyCacheMs(c));
  if (!resolved) throw new UnauthorizedError("Access token is invalid");
  assertWorkspaceActive(resolved.tenantStatus);
  return { resolved, tokenHash };
}

function recordUse(c: Context<AppEnv>, { resolved, tokenHash }: { resolved: ResolvedKey; tokenHash: string }): void {
  if (resolved.lastUsedAt !== null && resolved.lastUsedAt >= Math.floor(Date.now() / 1000) - KEY_USE_RESOLUTION_SECONDS) return;
  keyUseRecorded(tokenHash);
  const keyId = resolved.keyId;
  const write = touchApiKey(c.var.db, keyId).run().catch(() => undefined);
  try {
    c.executionCtx.waitUntil(write);
  } catch {
    // No execution context (unit tests calling app.request directly): the write still runs.
  }
}

/** Service API authentication with an `app-…` key: resolves the app and its tenant. */
export function appKeyAuth(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // A published web app's visitor, dispatched internally by the `/api/*` routes (already checked there).
    const visitor = webPrincipalOf(c.env);
    if (visitor) {
      c.set("tenant", new TenantRepository(c.var.db, visitor.tenantId));
      c.set("serviceApp", visitor.app);
      c.set("apiKeyId", `web:${visitor.siteCode}:${visitor.endUserSession}`);
      c.set("tokenQuota", visitor.tokenQuota);
      c.set("credentialsRevision", visitor.credentialsRevision);
      await next();
      return;
    }
    const bearer = await resolveBearer(c);
    const resolved = bearer.resolved;
    if (resolved.type !== "app") throw new UnauthorizedError("Access token is invalid");
    const app = resolved.app;
    if (!app) throw new ForbiddenError("The app no longer exists.", "app_unavailable");
    if (!app.enableApi) throw new ForbiddenError("The app's API service has been disabled.", "forbidden");
    c.set("tenant", new TenantRepository(c.var.db, resolved.tenantId));
    c.set("serviceApp", app);
    c.set("apiKeyId", resolved.keyId);
    c.set("tokenQuota", resolved.tokenQuota);
    c.set("credentialsRevision", resolved.credentialsRevision);
    c.set("annotationSetting", resolved.annotationSetting);
    recordUse(c, bearer);
    await next();
  };
}

/** Knowledge API authentication with a `dataset-…` key. */
export function datasetKeyAuth(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const bearer = await resolveBearer(c);
    const resolved = bearer.resolved;
    if (resolved.type !== "dataset") throw new UnauthorizedError("Access token is invalid");
    c.set("tenant", new TenantRepository(c.var.db, resolved.tenantId));
    c.set("apiKeyId", resolved.keyId);
    recordUse(c, bearer);
    await next();
  };
}
