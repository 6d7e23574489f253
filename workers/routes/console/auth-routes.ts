import { z, type OpenAPIHono } from "@hono/zod-openapi";
import { setCookie } from "hono/cookie";
import { ForbiddenError, InvalidParamError, TooManyRequestsError, UnauthorizedError } from "../../../core/errors";
import { hashPassword, hashToken, passwordProblem, randomToken, verifyPassword } from "../../../core/security";
import { nowSeconds } from "../../db/client";
import type { AppEnv } from "../../http/app-env";
import { defineRoute, jsonBody, jsonResponse, successSchema } from "../../http/route";
import { clearSessionCookies, SESSION_COOKIE, SIGNED_IN_COOKIE } from "../../middleware/session-auth";

const SESSION_SECONDS = 7 * 24 * 3600;
const LOGIN_WINDOW_SECONDS = 15 * 60;
const MAX_FAILURES_PER_EMAIL = 5;
const MAX_FAILURES_PER_CLIENT = 30;

const email = z.string().trim().toLowerCase().email("Enter a valid email address.").max(254);
const password = z.string().min(1, "Password is required.").max(256);

const getSetup = defineRoute({
  method: "get",
  path: "/console/api/setup",
  policy: { auth: "public" },
  tags: ["console: auth"],
  responses: { 200: jsonResponse("Setup status", z.object({ step: z.enum(["not_started", "finished"]) })) },
});

const postSetup = defineRoute({
  method: "post",
  path: "/console/api/setup",
  policy: { auth: "public" },
  tags: ["console: auth"],
  request: { body: jsonBody(z.object({ email, name: z.string().trim().min(1).max(100), password, workspace_name: z.string().trim().min(1).max(100).optional() })) },
  responses: { 201: jsonResponse("Owner account and workspace created", successSchema) },
});

const login = defineRoute({
  method: "post",
  path: "/console/api/login",
  policy: { auth: "public" },
  tags: ["console: auth"],
  request: { body: jsonBody(z.object({ email, password, remember_me: z.boolean().optional() })) },
  responses: { 200: jsonResponse("Logged in", z.object({ result: z.literal("success"), data: z.object({ access_token: z.string() }) })) },
});

const logout = defineRoute({
  method: "post",
  path: "/console/api/logout",
  policy: { auth: "session" },
  tags: ["console: auth"],
  responses: { 200: jsonResponse("Logged out", successSchema) },
});

const profile = defineRoute({
  method: "get",
  path: "/console/api/account/profile",
  policy: { auth: "session" },
  tags: ["console: auth"],
  responses: { 200: jsonResponse("The logged-in account", z.object({ id: z.string(), name: z.string(), email: z.string(), created_at: z.number() })) },
});

const currentWorkspace = defineRoute({
  method: "get",
  path: "/console/api/workspaces/current",
  policy: { auth: "session" },
  tags: ["console: auth"],
  responses: { 200: jsonResponse("The current workspace", z.object({ id: z.string(), name: z.string(), role: z.string(), created_at: z.number() })) },
});

const activateCheck = defineRoute({
  method: "get",
  path: "/console/api/activate/check",
  policy: { auth: "public" },
  tags: ["console: auth"],
  request: { query: z.object({ token: z.string().max(200) }) },
  responses: { 200: jsonResponse("Whether an invitation token is valid", z.object({ is_valid: z.boolean(), data: z.object({ email: z.string(), workspace_name: z.string() }).optional() })) },
});

const activate = defineRoute({
  method: "post",
  path: "/console/api/activate",
  policy: { auth: "public" },
  tags: ["console: auth"],
  request: { body: jsonBody(z.object({ token: z.string().max(200), name: z.string().trim().min(1).max(100), password })) },
  responses: { 200: jsonResponse("Account activated", successSchema) },
});

function checkPassword(value: string): void {
  const problem = passwordProblem(value);
  if (problem) throw new InvalidParamError(`password: ${problem}`);
}

function clientKey(request: Request): string {
  return `ip:${request.headers.get("CF-Connecting-IP") ?? "local"}`;
}

export function registerAuthRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(getSetup, async (c) => c.json({ step: (await c.var.identity.isSetupDone()) ? "finished" : "not_started" } as const, 200));

  app.openapi(postSetup, async (c) => {
    const body = c.req.valid("json");
    checkPassword(body.password);
    if (await c.var.identity.isSetupDone()) throw new ForbiddenError("Setup has already been completed.", "already_setup");
    const created = await c.var.identity.setup({
      workspaceId: crypto.randomUUID(),
      workspaceName: body.workspace_name ?? `${body.name}'s Workspace`,
      accountId: crypto.randomUUID(),
      membershipId: crypto.randomUUID(),
      email: body.email,
      name: body.name,
      passwordHash: await hashPassword(body.password),
    });
    if (!created) throw new ForbiddenError("Setup has already been completed.", "already_setup");
    return c.json({ result: "success" } as const, 201);
  });

  app.openapi(login, async (c) => {
    const { email: address, password: secret } = c.req.valid("json");
    const identity = c.var.identity;
    const emailKey = `email:${address}`;
    const ipKey = clientKey(c.req.raw);
    const [byEmail, byClient] = await Promise.all([
      identity.recentLoginFailures(emailKey, LOGIN_WINDOW_SECONDS),
      identity.recentLoginFailures(ipKey, LOGIN_WINDOW_SECONDS),
    ]);
    if (byEmail >= MAX_FAILURES_PER_EMAIL || byClient >= MAX_FAILURES_PER_CLIENT) {
      throw new TooManyRequestsError("Too many failed login attempts. Please wait 15 minutes and try again.", LOGIN_WINDOW_SECONDS, "login_rate_limited");
    }
    const account = await identity.findAccountByEmail(address);
    const ok = account?.status === "active" && (await verifyPassword(secret, account.passwordHash));
    const membership = ok && account ? await identity.firstMembership(account.id) : undefined;
    if (!account || !ok || !membership) {
      await Promise.all([identity.recordLoginFailure(emailKey, LOGIN_WINDOW_SECONDS), identity.recordLoginFailure(ipKey, LOGIN_WINDOW_SECONDS)]);
      throw new UnauthorizedError("Invalid email or password.");
    }
    await identity.clearLoginFailures(emailKey);
    const token = randomToken(48);
    await identity.createSession({ id: crypto.randomUUID(), accountId: account.id, tenantId: membership.tenantId, tokenHash: await hashToken(token), expiresAt: nowSeconds() + SESSION_SECONDS });
    const secure = new URL(c.req.url).protocol === "https:";
    setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: "Lax", path: "/", secure, maxAge: SESSION_SECONDS });
    setCookie(c, SIGNED_IN_COOKIE, "1", { sameSite: "Lax", path: "/", secure, maxAge: SESSION_SECONDS });
    return c.json({ result: "success", data: { access_token: token } } as const, 200);
  });

  app.openapi(logout, async (c) => {
    await c.var.identity.deleteSession(c.var.principal.sessionId);
    clearSessionCookies(c);
    return c.json({ result: "success" } as const, 200);
  });

  app.openapi(profile, (c) => {
    const { account } = c.var.principal;
    return c.json({ id: account.id, name: account.name, email: account.email, created_at: account.createdAt }, 200);
  });

  app.openapi(currentWorkspace, (c) => {
    const { tenantId, tenantName, tenantCreatedAt, role } = c.var.principal;
    return c.json({ id: tenantId, name: tenantName, role, created_at: tenantCreatedAt }, 200);
  });

  app.openapi(activateCheck, async (c) => {
    const found = await c.var.identity.findInvitation(await hashToken(c.req.valid("query").token));
    if (!found) return c.json({ is_valid: false }, 200);
    return c.json({ is_valid: true, data: { email: found.account.email, workspace_name: found.workspace.name } }, 200);
  });

  app.openapi(activate, async (c) => {
    const body = c.req.valid("json");
    checkPassword(body.password);
    const found = await c.var.identity.findInvitation(await hashToken(body.token));
    if (!found) throw new ForbiddenError("This invitation link is invalid, expired or already used. Ask an admin for a new one.", "invalid_invitation");
    const accepted = await c.var.identity.acceptInvitation(found.invitation.id, found.account.id, body.name, await hashPassword(body.password));
    if (!accepted) throw new ForbiddenError("This invitation link has already been used.", "invalid_invitation");
    return c.json({ result: "success" } as const, 200);
  });
}
