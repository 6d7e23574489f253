import { and, eq } from "drizzle-orm";
import { randomToken } from "../../../core/security";
import type { Db } from "../client";
import { nowSeconds } from "../client";
import { appSites, apps, workspaces } from "../schema";

export type SiteRow = typeof appSites.$inferSelect;
export type SitePatch = Partial<Omit<SiteRow, "appId" | "tenantId" | "code" | "createdAt" | "updatedAt">>;
type App = typeof apps.$inferSelect;

/** Share-link codes: 16 letters and digits, like Dify's. */
const newCode = () => randomToken(16);

/** One tenant's published web apps (one site per app, made when first asked for). */
export class SiteRepository {
  constructor(private readonly db: Db, private readonly tenantId: string) {}

  async forApp(appId: string): Promise<SiteRow | undefined> {
    const rows = await this.db.select().from(appSites).where(and(eq(appSites.tenantId, this.tenantId), eq(appSites.appId, appId))).limit(1);
    return rows[0];
  }

  /** The app's site, made with a fresh code if it has none yet. The caller has checked the app is the tenant's. */
  async ensure(appId: string): Promise<SiteRow> {
    const existing = await this.forApp(appId);
    if (existing) return existing;
    await this.db.insert(appSites).values({ appId, tenantId: this.tenantId, code: newCode() }).onConflictDoNothing();
    return (await this.forApp(appId))!;
  }

  async update(appId: string, patch: SitePatch): Promise<SiteRow> {
    await this.ensure(appId);
    const rows = await this.db
      .update(appSites)
      .set({ ...patch, updatedAt: nowSeconds() })
      .where(and(eq(appSites.tenantId, this.tenantId), eq(appSites.appId, appId)))
      .returning();
    return rows[0]!;
  }

  /** A new share code: every link (and embed snippet) with the old one stops working. */
  async resetCode(appId: string): Promise<SiteRow> {
    await this.ensure(appId);
    const rows = await this.db
      .update(appSites)
      .set({ code: newCode(), updatedAt: nowSeconds() })
      .where(and(eq(appSites.tenantId, this.tenantId), eq(appSites.appId, appId)))
      .returning();
    return rows[0]!;
  }
}

export interface ResolvedSite {
  site: SiteRow;
  app: App;
  tenantStatus: string;
  tokenQuota: number | null;
  credentialsRevision: number;
}

/** Finds the web app behind a share code, with its app and workspace (one query). */
export async function resolveSite(db: Db, code: string): Promise<ResolvedSite | undefined> {
  const rows = await db
    .select({ site: appSites, app: apps, tenantStatus: workspaces.status, tokenQuota: workspaces.monthlyTokenQuota, credentialsRevision: workspaces.credentialsRevision })
    .from(appSites)
    .innerJoin(apps, and(eq(apps.id, appSites.appId), eq(apps.tenantId, appSites.tenantId)))
    .innerJoin(workspaces, eq(workspaces.id, appSites.tenantId))
    .where(eq(appSites.code, code))
    .limit(1);
  return rows[0];
}
