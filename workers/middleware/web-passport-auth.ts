import type { Context, MiddlewareHandler } from "hono";
import { ForbiddenError, UnauthorizedError } from "../../core/errors";
import { TokenSigner } from "../../core/security";
import { resolveSite, type ResolvedSite } from "../db/repositories";
import type { AppEnv } from "../http/app-env";
import { assertWorkspaceActive } from "./api-key-auth";
import type { WebPrincipal } from "./web-principal";

let signer: { secret: string; signer: Promise<TokenSigner> } | undefined;

/** Signs and reads web app passports (keyed by the platform secret; one signer per isolate). */
export function passportSigner(secret: string): Promise<TokenSigner> {
  if (signer?.secret !== secret) signer = { secret, signer: TokenSigner.create(secret, "web-app-passport") };
  return signer.signer;
}

export interface Passport {
  /** The site's share code. */
  code: string;
  /** The visitor's end-user session id. */
  user: string;
}

/** A passport's contents, or undefined when the token is not one of ours. */
export async function readPassport(secret: string, token: string): Promise<Passport | undefined> {
  const payload = await (await passportSigner(secret)).verify(token);
  if (!payload || typeof payload.c !== "string" || typeof payload.u !== "string") return undefined;
  return { code: payload.c, user: payload.u };
}

export async function issuePassport(secret: string, passport: Passport): Promise<string> {
  return (await passportSigner(secret)).sign({ c: passport.code, u: passport.user, iat: Math.floor(Date.now() / 1000) });
}

/** A site that may be used: it exists, its workspace is active and its web app is on. */
export function assertSiteOpen(resolved: ResolvedSite | undefined): asserts resolved is ResolvedSite {
  if (!resolved) throw new UnauthorizedError("This web app link is no longer valid: the app was deleted or its link was reset. Ask its owner for the new link.");
  assertWorkspaceActive(resolved.tenantStatus);
  if (!resolved.app.enableSite) throw new ForbiddenError("This web app is turned off. Its owner can turn it on in the console.", "app_unavailable");
}

export function bearerOf(c: Context<AppEnv>): string | undefined {
  const header = c.req.header("Authorization");
  return header && /^Bearer\s+\S/i.test(header) ? header.replace(/^Bearer\s+/i, "").trim() : undefined;
}

/**
 * Published web app authentication (Dify's web API): `Authorization: Bearer <passport>` from
 * `GET /api/passport`. Resolves the site, its app and tenant, and the visitor's end-user session.
 */
export function webPassportAuth(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearerOf(c);
    if (!token) throw new UnauthorizedError("A web app passport is required: call GET /api/passport with the X-App-Code header first.");
    const passport = await readPassport(c.env.WAGGLE_SECRET_KEY, token);
    if (!passport) throw new UnauthorizedError("The web app passport is invalid; get a new one from GET /api/passport.");
    const headerCode = c.req.header("X-App-Code");
    if (headerCode && headerCode !== passport.code) throw new UnauthorizedError("The passport was issued for another web app.");
    const resolved = await resolveSite(c.var.db, passport.code);
    assertSiteOpen(resolved);
    const visitor: WebPrincipal = { app: resolved.app, tenantId: resolved.site.tenantId, tokenQuota: resolved.tokenQuota, credentialsRevision: resolved.credentialsRevision, endUserSession: passport.user, siteCode: passport.code };
    c.set("webVisitor", visitor);
    c.set("webSite", resolved.site);
    await next();
  };
}
