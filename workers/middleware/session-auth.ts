import { deleteCookie, getCookie } from "hono/cookie";
import type { Context, MiddlewareHandler } from "hono";
import { ForbiddenError, UnauthorizedError } from "../../core/errors";
import { hashToken } from "../../core/security";
import { TenantRepository } from "../db/repositories";
import type { Role } from "../db/schema";
import type { AppEnv } from "../http/app-env";

export const SESSION_COOKIE = "waggle_session";

/**
 * Not a credential: a hint the console's script can read (the session cookie is HttpOnly), set and
 * cleared with the session cookie. Without it the console sends a visitor to sign-in (or setup)
 * without asking for the session first, which would answer 401 and show as an error in the
 * browser's console on every first visit.
 */
export const SIGNED_IN_COOKIE = "waggle_signed_in";

/** Clears both cookies: after sign-out, or when the browser's session is refused. */
export function clearSessionCookies(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
  deleteCookie(c, SIGNED_IN_COOKIE, { path: "/" });
}

const rank: Record<Role, number> = { normal: 1, editor: 2, admin: 3, owner: 4 };

export function roleAtLeast(role: Role, minimum: Role): boolean {
  return rank[role] >= rank[minimum];
}

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A cookie-authenticated write must come from our own origin (CSRF). Browsers always send
 * `Origin` on cross-origin and on same-origin non-GET fetches; a missing header is refused.
 */
function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get("Origin");
  if (origin) return origin === new URL(request.url).origin;
  return request.headers.get("Sec-Fetch-Site") === "same-origin";
}

/**
 * Console authentication: a session token from `Authorization: Bearer` or the HttpOnly cookie.
 * Binds the tenant repository to the session's workspace and enforces the minimum role.
 */
export function sessionAuth(minimumRole?: Role): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("Authorization");
    const fromCookie = !header?.startsWith("Bearer ");
    let token: string | undefined;
    if (!fromCookie) {
      token = header!.slice(7).trim();
    } else {
      token = getCookie(c, SESSION_COOKIE);
      if (token && !safeMethods.has(c.req.method) && !isSameOrigin(c.req.raw)) {
        throw new ForbiddenError("Cross-site request refused: this request must come from the Waggle console.", "csrf_token_invalid");
      }
    }
    // A browser whose session is gone must not keep telling the console it is signed in.
    if (!token) {
      if (fromCookie && getCookie(c, SIGNED_IN_COOKIE) !== undefined) clearSessionCookies(c);
      throw new UnauthorizedError("Please log in to continue.");
    }
    const principal = await c.var.identity.findSession(await hashToken(token));
    if (!principal) {
      if (fromCookie) clearSessionCookies(c);
      throw new UnauthorizedError("Your session has expired or is invalid. Please log in again.");
    }
    if (minimumRole && !roleAtLeast(principal.role, minimumRole)) {
      throw new ForbiddenError(`This action needs the ${minimumRole} role or higher; your role is ${principal.role}.`);
    }
    c.set("principal", principal);
    c.set("tenant", new TenantRepository(c.var.db, principal.tenantId));
    await next();
  };
}
