import { describe, expect, it } from "vitest";
import { call, seedTenant } from "./harness";

const owner = { email: "Owner@Example.com", name: "Olive Owner", password: "first-pass-1", workspace_name: "Acme" };

function sessionCookie(headers: Headers): string {
  const raw = headers.get("Set-Cookie") ?? "";
  const match = /waggle_session=([^;]+)/.exec(raw);
  if (!match) throw new Error(`no session cookie in ${raw}`);
  return `waggle_session=${match[1]}`;
}

/** Names of the cookies a response deletes (an empty value that expires at once). */
function cleared(headers: Headers): string[] {
  return headers
    .getSetCookie()
    .filter((line) => /Max-Age=0/i.test(line))
    .map((line) => line.split("=")[0]!)
    .sort();
}

describe("setup, login and sessions", () => {
  it("walks setup → login → authenticated calls → logout", async () => {
    expect((await call("GET", "/console/api/setup")).json).toEqual({ step: "not_started" });

    const weak = await call("POST", "/console/api/setup", { body: { ...owner, password: "short" } });
    expect(weak.status).toBe(400);
    expect(weak.json).toMatchObject({ code: "invalid_param", status: 400 });
    expect(weak.json.message).toMatch(/password/);

    expect((await call("POST", "/console/api/setup", { body: owner })).status).toBe(201);
    expect((await call("GET", "/console/api/setup")).json).toEqual({ step: "finished" });
    const again = await call("POST", "/console/api/setup", { body: { ...owner, email: "other@example.com" } });
    expect(again.status).toBe(403);
    expect(again.json.code).toBe("already_setup");

    const bad = await call("POST", "/console/api/login", { body: { email: owner.email, password: "wrong-pass-1" } });
    expect(bad.status).toBe(401);
    expect(bad.json).toEqual({ code: "unauthorized", message: "Invalid email or password.", status: 401 });

    const login = await call("POST", "/console/api/login", { body: { email: "owner@example.com", password: owner.password } });
    expect(login.status).toBe(200);
    expect(login.json.result).toBe("success");
    const token = login.json.data.access_token as string;
    const setCookies = login.headers.getSetCookie();
    const sessionSet = setCookies.find((line) => line.startsWith("waggle_session=")) ?? "";
    expect(sessionSet).toMatch(/HttpOnly/i);
    expect(sessionSet).toMatch(/SameSite=Lax/i);
    // Beside it, a hint the console's script can read: no credential, same lifetime.
    const hintSet = setCookies.find((line) => line.startsWith("waggle_signed_in=")) ?? "";
    expect(hintSet).toMatch(/^waggle_signed_in=1;/);
    expect(hintSet).not.toMatch(/HttpOnly/i);
    expect(hintSet).toMatch(/Max-Age=604800/);
    expect(sessionSet).toMatch(/Max-Age=604800/);
    const cookie = sessionCookie(login.headers);

    // Both the bearer token and the cookie authenticate.
    const byToken = await call("GET", "/console/api/account/profile", { token });
    expect(byToken.json).toMatchObject({ name: owner.name, email: "owner@example.com" });
    const byCookie = await call("GET", "/console/api/workspaces/current", { cookie });
    expect(byCookie.json).toMatchObject({ name: "Acme", role: "owner" });

    // Cookie-authenticated writes need our own Origin (CSRF).
    const noOrigin = await call("POST", "/console/api/apps", { cookie, body: { name: "x", mode: "chat" } });
    expect(noOrigin.status).toBe(403);
    expect(noOrigin.json.code).toBe("csrf_token_invalid");
    const evil = await call("POST", "/console/api/apps", { cookie, headers: { Origin: "https://evil.example" }, body: { name: "x", mode: "chat" } });
    expect(evil.status).toBe(403);
    const same = await call("POST", "/console/api/apps", { cookie, headers: { Origin: "http://waggle.test" }, body: { name: "x", mode: "chat" } });
    expect(same.status).toBe(201);

    const logout = await call("POST", "/console/api/logout", { token });
    expect(logout.status).toBe(200);
    expect(cleared(logout.headers)).toEqual(["waggle_session", "waggle_signed_in"]);
    const stale = await call("GET", "/console/api/account/profile", { token });
    expect(stale.status).toBe(401);
    // A bearer token's caller has no cookies to clear.
    expect(stale.headers.getSetCookie()).toEqual([]);

    // A browser still holding the ended session, or only the hint, is told to drop both.
    const staleCookie = await call("GET", "/console/api/account/profile", { cookie: `${cookie}; waggle_signed_in=1` });
    expect(staleCookie.status).toBe(401);
    expect(staleCookie.json.message).toBe("Your session has expired or is invalid. Please log in again.");
    expect(cleared(staleCookie.headers)).toEqual(["waggle_session", "waggle_signed_in"]);
    const hintOnly = await call("GET", "/console/api/workspaces/current", { cookie: "waggle_signed_in=1" });
    expect(hintOnly.status).toBe(401);
    expect(cleared(hintOnly.headers)).toEqual(["waggle_session", "waggle_signed_in"]);
    // The hint alone signs nobody in.
    expect((await call("GET", "/console/api/apps", { cookie: "waggle_signed_in=1" })).status).toBe(401);
  });

  it("rate limits repeated failed logins for an email", async () => {
    const email = "owner@example.com";
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await call("POST", "/console/api/login", { body: { email, password: `nope-nope-${i}` } })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const locked = await call("POST", "/console/api/login", { body: { email, password: owner.password } });
    expect(locked.status).toBe(429);
    expect(locked.json.code).toBe("login_rate_limited");
    expect(locked.headers.get("Retry-After")).toBe("900");
  });
});

describe("members and invitations", () => {
  it("invites a member who activates, logs in, and is limited by role", async () => {
    const t = await seedTenant("members");
    const invite = await call("POST", "/console/api/workspaces/current/members/invite-email", { token: t.tokens.admin, body: { emails: ["New.Person@example.com"], role: "normal" } });
    expect(invite.status).toBe(201);
    const result = invite.json.invitation_results[0];
    expect(result).toMatchObject({ status: "success", email: "new.person@example.com" });
    const token = new URL(result.url, "http://x").searchParams.get("token")!;

    const listed = await call("GET", "/console/api/workspaces/current/members", { token: t.tokens.normal });
    expect(listed.json.accounts.find((a: any) => a.email === "new.person@example.com")).toMatchObject({ role: "normal", status: "pending" });

    // A pending account cannot log in yet.
    expect((await call("POST", "/console/api/login", { body: { email: "new.person@example.com", password: "whatever-1" } })).status).toBe(401);

    expect((await call("GET", `/console/api/activate/check?token=${token}`)).json).toMatchObject({ is_valid: true, data: { email: "new.person@example.com" } });
    expect((await call("POST", "/console/api/activate", { body: { token, name: "New Person", password: "new-pass-123" } })).status).toBe(200);
    // The link works once.
    expect((await call("POST", "/console/api/activate", { body: { token, name: "Mallory", password: "evil-pass-123" } })).status).toBe(403);
    expect((await call("GET", `/console/api/activate/check?token=${token}`)).json).toEqual({ is_valid: false });

    const login = await call("POST", "/console/api/login", { body: { email: "new.person@example.com", password: "new-pass-123" } });
    expect(login.status).toBe(200);
    const memberToken = login.json.data.access_token;
    expect((await call("GET", "/console/api/workspaces/current", { token: memberToken })).json.role).toBe("normal");
    // A normal member can see apps but not edit them or see keys.
    expect((await call("GET", "/console/api/apps", { token: memberToken })).status).toBe(200);
    const denied = await call("POST", "/console/api/apps", { token: memberToken, body: { name: "nope", mode: "chat" } });
    expect(denied.status).toBe(403);
    expect(denied.json.message).toMatch(/editor role/);

    // Role changes and removal; the owner is untouchable.
    const memberId = listed.json.accounts.find((a: any) => a.email === "new.person@example.com").id;
    expect((await call("PUT", `/console/api/workspaces/current/members/${memberId}/update-role`, { token: t.tokens.admin, body: { role: "editor" } })).status).toBe(200);
    expect((await call("POST", "/console/api/apps", { token: memberToken, body: { name: "now ok", mode: "chat" } })).status).toBe(201);
    expect((await call("PUT", `/console/api/workspaces/current/members/${t.accountIds.owner}/update-role`, { token: t.tokens.admin, body: { role: "normal" } })).status).toBe(403);
    expect((await call("PUT", `/console/api/workspaces/current/members/${memberId}/update-role`, { token: t.tokens.admin, body: { role: "owner" } })).status).toBe(400);
    expect((await call("DELETE", `/console/api/workspaces/current/members/${t.accountIds.owner}`, { token: t.tokens.admin })).status).toBe(403);
    expect((await call("DELETE", `/console/api/workspaces/current/members/${memberId}`, { token: t.tokens.admin })).status).toBe(200);
    // Removal ends the member's sessions here.
    expect((await call("GET", "/console/api/apps", { token: memberToken })).status).toBe(401);

    // Removing someone still pending voids their invitation link.
    const second = await call("POST", "/console/api/workspaces/current/members/invite-email", { token: t.tokens.owner, body: { emails: ["late@example.com"], role: "editor" } });
    const lateToken = new URL(second.json.invitation_results[0].url, "http://x").searchParams.get("token")!;
    const lateId = (await call("GET", "/console/api/workspaces/current/members", { token: t.tokens.owner })).json.accounts.find((a: any) => a.email === "late@example.com").id;
    expect((await call("DELETE", `/console/api/workspaces/current/members/${lateId}`, { token: t.tokens.owner })).status).toBe(200);
    expect((await call("GET", `/console/api/activate/check?token=${lateToken}`)).json).toEqual({ is_valid: false });
    expect((await call("POST", "/console/api/activate", { body: { token: lateToken, name: "Late", password: "late-pass-123" } })).status).toBe(403);
  });
});
