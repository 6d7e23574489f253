import { z, type OpenAPIHono } from "@hono/zod-openapi";
import { ForbiddenError, InvalidParamError, NotFoundError } from "../../../core/errors";
import { hashToken, randomToken } from "../../../core/security";
import { nowSeconds } from "../../db/client";
import { roles } from "../../db/schema";
import type { AppEnv } from "../../http/app-env";
import { defineRoute, jsonBody, jsonResponse, successSchema } from "../../http/route";

const INVITATION_SECONDS = 7 * 24 * 3600;
/** Roles an admin may hand out; ownership is never assigned through these routes. */
const assignableRole = z.enum(roles.filter((role) => role !== "owner") as ["admin", "editor", "normal"]);
const accountParam = z.object({ account_id: z.string().max(64) });

const memberSchema = z.object({ id: z.string(), name: z.string(), email: z.string(), role: z.string(), status: z.string(), created_at: z.number(), last_login_at: z.number().nullable() });

const listMembers = defineRoute({
  method: "get",
  path: "/console/api/workspaces/current/members",
  policy: { auth: "session" },
  tags: ["console: members"],
  responses: { 200: jsonResponse("Members of the current workspace", z.object({ accounts: z.array(memberSchema) })) },
});

const invite = defineRoute({
  method: "post",
  path: "/console/api/workspaces/current/members/invite-email",
  policy: { auth: "session", role: "admin" },
  tags: ["console: members"],
  request: { body: jsonBody(z.object({ emails: z.array(z.string().trim().toLowerCase().email()).min(1).max(20), role: assignableRole, language: z.string().optional() })) },
  responses: {
    201: jsonResponse(
      "Invitation results; each success carries an activation link to share",
      z.object({ result: z.literal("success"), invitation_results: z.array(z.object({ status: z.enum(["success", "failed"]), email: z.string(), url: z.string().optional(), message: z.string().optional() })) }),
    ),
  },
});

const updateRole = defineRoute({
  method: "put",
  path: "/console/api/workspaces/current/members/{account_id}/update-role",
  policy: { auth: "session", role: "admin" },
  tags: ["console: members"],
  request: { params: accountParam, body: jsonBody(z.object({ role: assignableRole })) },
  responses: { 200: jsonResponse("Role changed", successSchema) },
});

const removeMember = defineRoute({
  method: "delete",
  path: "/console/api/workspaces/current/members/{account_id}",
  policy: { auth: "session", role: "admin" },
  tags: ["console: members"],
  request: { params: accountParam },
  responses: { 200: jsonResponse("Member removed", successSchema) },
});

export function registerMemberRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(listMembers, async (c) => {
    const members = await c.var.tenant.members.list();
    return c.json({ accounts: members.map((m) => ({ id: m.id, name: m.name, email: m.email, role: m.role, status: m.status, created_at: m.createdAt, last_login_at: m.lastLoginAt })) }, 200);
  });

  app.openapi(invite, async (c) => {
    const { emails, role } = c.req.valid("json");
    const results = [];
    const existingMembers = await c.var.tenant.members.list();
    for (const email of [...new Set(emails)]) {
      if (existingMembers.some((member) => member.email === email)) {
        results.push({ status: "failed" as const, email, message: "This person is already a member of the workspace." });
        continue;
      }
      const existing = await c.var.identity.findAccountByEmail(email);
      if (existing) {
        // An existing account joins directly; it already has a password.
        await c.var.tenant.members.add(crypto.randomUUID(), existing.id, role);
        results.push({ status: "success" as const, email, url: "/signin" });
        continue;
      }
      const token = randomToken(40);
      await c.var.tenant.members.invite({
        accountId: crypto.randomUUID(),
        email,
        membershipId: crypto.randomUUID(),
        role,
        invitationId: crypto.randomUUID(),
        tokenHash: await hashToken(token),
        expiresAt: nowSeconds() + INVITATION_SECONDS,
      });
      results.push({ status: "success" as const, email, url: `/activate?token=${token}` });
    }
    return c.json({ result: "success" as const, invitation_results: results }, 201);
  });

  app.openapi(updateRole, async (c) => {
    const { account_id } = c.req.valid("param");
    const target = await c.var.tenant.members.get(account_id);
    if (!target) throw new NotFoundError("Member not found.");
    if (target.role === "owner") throw new ForbiddenError("The owner's role cannot be changed.");
    if (account_id === c.var.principal.account.id) throw new InvalidParamError("You cannot change your own role.");
    await c.var.tenant.members.updateRole(account_id, c.req.valid("json").role);
    return c.json({ result: "success" } as const, 200);
  });

  app.openapi(removeMember, async (c) => {
    const { account_id } = c.req.valid("param");
    const target = await c.var.tenant.members.get(account_id);
    if (!target) throw new NotFoundError("Member not found.");
    if (target.role === "owner") throw new ForbiddenError("The owner cannot be removed from the workspace.");
    if (account_id === c.var.principal.account.id) throw new InvalidParamError("You cannot remove yourself.");
    await c.var.tenant.members.remove(account_id);
    return c.json({ result: "success" } as const, 200);
  });
}
