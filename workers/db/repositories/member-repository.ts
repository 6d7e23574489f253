import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../client";
import { accounts, invitations, memberships, sessions, type Role } from "../schema";

export interface Member {
  id: string;
  name: string;
  email: string;
  role: Role;
  status: string;
  createdAt: number;
  lastLoginAt: number | null;
}

/** Memberships of one tenant. */
export class MemberRepository {
  constructor(private readonly db: Db, private readonly tenantId: string) {}

  async list(): Promise<Member[]> {
    const rows = await this.db
      .select({ account: accounts, membership: memberships })
      .from(memberships)
      .innerJoin(accounts, eq(accounts.id, memberships.accountId))
      .where(eq(memberships.tenantId, this.tenantId))
      .orderBy(asc(memberships.createdAt));
    return rows.map(({ account, membership }) => ({
      id: account.id,
      name: account.name,
      email: account.email,
      role: membership.role,
      status: account.status,
      createdAt: membership.createdAt,
      lastLoginAt: account.lastLoginAt,
    }));
  }

  async get(accountId: string): Promise<Member | undefined> {
    return (await this.list()).find((member) => member.id === accountId);
  }

  /** Adds an existing account to this workspace. */
  async add(membershipId: string, accountId: string, role: Role): Promise<void> {
    await this.db.insert(memberships).values({ id: membershipId, tenantId: this.tenantId, accountId, role }).onConflictDoNothing();
  }

  /** Creates a pending account, its membership and an invitation token (hash) in one batch. */
  async invite(input: { accountId: string; email: string; membershipId: string; role: Role; invitationId: string; tokenHash: string; expiresAt: number }): Promise<void> {
    await this.db.batch([
      this.db.insert(accounts).values({ id: input.accountId, email: input.email, name: input.email.split("@")[0] ?? input.email, status: "pending" }),
      this.db.insert(memberships).values({ id: input.membershipId, tenantId: this.tenantId, accountId: input.accountId, role: input.role }),
      this.db.insert(invitations).values({ id: input.invitationId, tenantId: this.tenantId, accountId: input.accountId, tokenHash: input.tokenHash, expiresAt: input.expiresAt }),
    ]);
  }

  async updateRole(accountId: string, role: Role): Promise<boolean> {
    const rows = await this.db
      .update(memberships)
      .set({ role })
      .where(and(eq(memberships.tenantId, this.tenantId), eq(memberships.accountId, accountId)))
      .returning({ id: memberships.id });
    return rows.length === 1;
  }

  /**
   * Removes the membership, ends the member's sessions here and voids their invitations here; a
   * still-pending account that belongs nowhere else is deleted.
   */
  async remove(accountId: string): Promise<boolean> {
    const [removed] = await this.db.batch([
      this.db.delete(memberships).where(and(eq(memberships.tenantId, this.tenantId), eq(memberships.accountId, accountId))).returning({ id: memberships.id }),
      this.db.delete(sessions).where(and(eq(sessions.tenantId, this.tenantId), eq(sessions.accountId, accountId))),
      this.db.delete(invitations).where(and(eq(invitations.tenantId, this.tenantId), eq(invitations.accountId, accountId))),
      this.db
        .delete(accounts)
        .where(and(eq(accounts.id, accountId), eq(accounts.status, "pending"), sql`NOT EXISTS (SELECT 1 FROM memberships WHERE account_id = ${accountId})`)),
    ]);
    return removed.length === 1;
  }
}
