import { and, eq, gt, lte } from "drizzle-orm";
import type { Db } from "../client";
import { nowSeconds } from "../client";
import { dslImports } from "../schema";

export type DslImport = typeof dslImports.$inferSelect;

/** How long a `pending` import can be confirmed (Dify's `IMPORT_INFO_REDIS_EXPIRY`). */
export const PENDING_IMPORT_SECONDS = 10 * 60;

/** One tenant's DSL imports awaiting confirmation. */
export class DslImportRepository {
  constructor(private readonly db: Db, private readonly tenantId: string) {}

  async insert(values: Omit<typeof dslImports.$inferInsert, "tenantId" | "expiresAt" | "createdAt">): Promise<void> {
    await this.db.insert(dslImports).values({ ...values, tenantId: this.tenantId, expiresAt: nowSeconds() + PENDING_IMPORT_SECONDS });
  }

  /** A pending import of this tenant that has not expired. */
  async get(id: string): Promise<DslImport | undefined> {
    const rows = await this.db
      .select()
      .from(dslImports)
      .where(and(eq(dslImports.tenantId, this.tenantId), eq(dslImports.id, id), gt(dslImports.expiresAt, nowSeconds())))
      .limit(1);
    return rows[0];
  }

  delete(id: string) {
    return this.db.delete(dslImports).where(and(eq(dslImports.tenantId, this.tenantId), eq(dslImports.id, id)));
  }

  /** Expired rows, so their stored YAML can be removed too. */
  async expired(limit = 50): Promise<DslImport[]> {
    return this.db.select().from(dslImports).where(and(eq(dslImports.tenantId, this.tenantId), lte(dslImports.expiresAt, nowSeconds()))).limit(limit);
  }
}
