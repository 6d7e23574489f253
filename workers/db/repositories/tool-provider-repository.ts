import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../client";
import { nowSeconds } from "../client";
import { toolProviders } from "../schema";

export type ToolProviderRow = typeof toolProviders.$inferSelect;
export type ToolProviderType = ToolProviderRow["type"];
export type ToolProviderFields = Omit<typeof toolProviders.$inferInsert, "id" | "tenantId" | "type" | "createdAt" | "updatedAt">;

/**
 * One tenant's API, MCP and workflow tool providers. Rows hold credentials as ciphertext only:
 * sealing and opening with `SecretBox` happen in the caller, which holds the key.
 */
export class ToolProviderRepository {
  constructor(private readonly db: Db, private readonly tenantId: string) {}

  async list(type?: ToolProviderType): Promise<ToolProviderRow[]> {
    return this.db
      .select()
      .from(toolProviders)
      .where(and(eq(toolProviders.tenantId, this.tenantId), type ? eq(toolProviders.type, type) : undefined))
      .orderBy(asc(toolProviders.createdAt), asc(toolProviders.name));
  }

  async get(type: ToolProviderType, id: string): Promise<ToolProviderRow | undefined> {
    const rows = await this.db.select().from(toolProviders).where(and(eq(toolProviders.tenantId, this.tenantId), eq(toolProviders.type, type), eq(toolProviders.id, id))).limit(1);
    return rows[0];
  }

  async getByName(type: ToolProviderType, name: string): Promise<ToolProviderRow | undefined> {
    const rows = await this.db.select().from(toolProviders).where(and(eq(toolProviders.tenantId, this.tenantId), eq(toolProviders.type, type), eq(toolProviders.name, name))).limit(1);
    return rows[0];
  }

  /** By id, else by name (DSLs name providers either way). */
  async find(type: ToolProviderType, idOrName: string): Promise<ToolProviderRow | undefined> {
    return (await this.get(type, idOrName)) ?? (await this.getByName(type, idOrName));
  }

  async getByApp(appId: string): Promise<ToolProviderRow | undefined> {
    const rows = await this.db.select().from(toolProviders).where(and(eq(toolProviders.tenantId, this.tenantId), eq(toolProviders.type, "workflow"), eq(toolProviders.appId, appId))).limit(1);
    return rows[0];
  }

  async insert(type: ToolProviderType, fields: ToolProviderFields): Promise<ToolProviderRow> {
    const id = crypto.randomUUID();
    await this.db.insert(toolProviders).values({ ...fields, id, tenantId: this.tenantId, type });
    return (await this.get(type, id))!;
  }

  async update(type: ToolProviderType, id: string, fields: Partial<ToolProviderFields>): Promise<void> {
    await this.db.update(toolProviders).set({ ...fields, updatedAt: nowSeconds() }).where(and(eq(toolProviders.tenantId, this.tenantId), eq(toolProviders.type, type), eq(toolProviders.id, id)));
  }

  async delete(type: ToolProviderType, id: string): Promise<boolean> {
    const rows = await this.db.delete(toolProviders).where(and(eq(toolProviders.tenantId, this.tenantId), eq(toolProviders.type, type), eq(toolProviders.id, id))).returning({ id: toolProviders.id });
    return rows.length > 0;
  }
}
