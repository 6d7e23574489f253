import { and, eq, gt, sql } from "drizzle-orm";
import type { Db } from "../client";
import { nowSeconds } from "../client";
import { accounts, invitations, loginFailures, memberships, sessions, workspaces, type Role } from "../schema";

export type Account = typeof accounts.$inferSelect;

export interface SessionPrincipal {
  sessionId: string;
  account: Account;
  tenantId: string;
  tenantName: string;
  tenantCreatedAt: number;
  role: Role;
}

/**
 * Identity data that is not owned by one tenant: accounts, sessions, the one-time setup, login
 * throttling and invitation tokens. Everything a tenant owns lives behind `TenantRepository`.
 */
export class IdentityRepository {
  constructor(private readonly db: Db) {}

  async isSetupDone(): Promise<boolean> {
    const row = await this.db.select({ id: workspaces.id }).from(workspaces).limit(1);
    return row.length > 0;
  }

  /**
   * Creates the first workspace and its owner atomically, only if no workspace exists yet; two
   * concurrent setups cannot both succeed. Returns false when setup had already been done.
   */
  async setup(input: { workspaceId: string; workspaceName: string; accountId: string; email: string; name: string; passwordHash: string; membershipId: string }): Promise<boolean> {
    const d1 = this.db.$client;
    await d1.batch([
      d1.prepare("INSERT INTO workspaces (id, name) SELECT ?1, ?2 WHERE NOT EXISTS (SELECT 1 FROM workspaces)").bind(input.workspaceId, input.workspaceName),
      d1.prepare("INSERT INTO accounts (id, email, name, password_hash, status) SELECT ?1, ?2, ?3, ?4, 'active' WHERE EXISTS (SELECT 1 FROM workspaces WHERE id = ?5)")
        .bind(input.accountId, input.email, input.name, input.passwordHash, input.workspaceId),
      d1.prepare("INSERT INTO memberships (id, tenant_id, account_id, role) SELECT ?1, ?2, ?3, 'owner' WHERE EXISTS (SELECT 1 FROM accounts WHERE id = ?3)")
        .bind(input.membershipId, input.workspaceId, input.accountId),
    ]);
    const created = await this.db.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.id, input.workspaceId));
    return created.length === 1;
  }

  async findAccountByEmail(email: string): Promise<Account | undefined> {
    const rows = await this.db.select().from(accounts).where(eq(accounts.email, email.toLowerCase())).limit(1);
    return rows[0];
  }

  /** The workspace a fresh session opens in: the account's oldest membership. */
  async firstMembership(accountId: string) {
    const rows = await this.db.select().from(memberships).where(eq(memberships.accountId, accountId)).orderBy(memberships.createdAt).limit(1);
    return rows[0];
  }

  async createSession(input: { id: string; accountId: string; tenantId: string; tokenHash: string; expiresAt: number }): Promise<void> {
    await this.db.batch([
      this.db.insert(sessions).values(input),
      this.db.update(accounts).set({ lastLoginAt: nowSeconds() }).where(eq(accounts.id, input.accountId)),
    ]);
  }

  async findSession(tokenHash: string): Promise<SessionPrincipal | undefined> {
    const rows = await this.db
      .select({ session: sessions, account: accounts, membership: memberships, workspace: workspaces })
      .from(sessions)
      .innerJoin(accounts, eq(accounts.id, sessions.accountId))
      .innerJoin(memberships, and(eq(memberships.accountId, sessions.accountId), eq(memberships.tenantId, sessions.tenantId)))
      .innerJoin(workspaces, eq(workspaces.id, sessions.tenantId))
      .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, nowSeconds())))
      .limit(1);
    const row = rows[0];
    if (!row || row.account.status !== "active" || row.workspace.status !== "normal") return undefined;
    return { sessionId: row.session.id, account: row.account, tenantId: row.workspace.id, tenantName: row.workspace.name, tenantCreatedAt: row.workspace.createdAt, role: row.membership.role };
  }

  async deleteSession(sessionId: string): Promise<void> {
    await this.db.delete(sessions).where(eq(sessions.id, sessionId));
  }

  /** Failed logins in the current window for `key`; the window restarts after `windowSeconds`. */
  async recentLoginFailures(key: string, windowSeconds: number): Promise<number> {
    const rows = await this.db.select().from(loginFailures).where(eq(loginFailures.key, key)).limit(1);
    const row = rows[0];
    if (!row || row.windowStart < nowSeconds() - windowSeconds) return 0;
    return row.count;
  }

  async recordLoginFailure(key: string, windowSeconds: number): Promise<void> {
    const now = nowSeconds();
    await this.db
      .insert(loginFailures)
      .values({ key, count: 1, windowStart: now })
      .onConflictDoUpdate({
        target: loginFailures.key,
        set: {
          count: sql`CASE WHEN ${loginFailures.windowStart} < ${now - windowSeconds} THEN 1 ELSE ${loginFailures.count} + 1 END`,
          windowStart: sql`CASE WHEN ${loginFailures.windowStart} < ${now - windowSeconds} THEN ${now} ELSE ${loginFailures.windowStart} END`,
        },
      });
  }

  async clearLoginFailures(key: string): Promise<void> {
    await this.db.delete(loginFailures).where(eq(loginFailures.key, key));
  }

  async findInvitation(tokenHash: string) {
    const rows = await this.db
      .select({ invitation: invitations, account: accounts, workspace: workspaces })
      .from(invitations)
      .innerJoin(accounts, eq(accounts.id, invitations.accountId))
      .innerJoin(workspaces, eq(workspaces.id, invitations.tenantId))
      .where(and(eq(invitations.tokenHash, tokenHash), gt(invitations.expiresAt, nowSeconds())))
      .limit(1);
    const row = rows[0];
    if (!row || row.invitation.acceptedAt !== null) return undefined;
    return row;
  }

  /** Accepts an invitation once: marks the token used and activates the still-pending account. */
  async acceptInvitation(invitationId: string, accountId: string, name: string, passwordHash: string): Promise<boolean> {
    const [accepted] = await this.db.batch([
      this.db.update(invitations).set({ acceptedAt: nowSeconds() }).where(and(eq(invitations.id, invitationId), sql`${invitations.acceptedAt} IS NULL`)).returning({ id: invitations.id }),
      this.db.update(accounts).set({ name, passwordHash, status: "active" }).where(and(eq(accounts.id, accountId), eq(accounts.status, "pending"))),
    ]);
    return accepted.length === 1;
  }
}
