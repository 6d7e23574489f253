import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../client";
import { nowSeconds } from "../client";
import { pluginInstallations, pluginStorage, pluginTrustedKeys, workspaces } from "../schema";

export type PluginInstallationRow = typeof pluginInstallations.$inferSelect;
export type PluginInstallationFields = Omit<typeof pluginInstallations.$inferInsert, "id" | "tenantId" | "createdAt" | "updatedAt">;
export type PluginTrustedKeyRow = typeof pluginTrustedKeys.$inferSelect;

/** Largest value a plugin may store under one key, and how many keys it may hold per workspace. */
export const PLUGIN_STORAGE_MAX_VALUE_CHARS = 64 * 1024;
export const PLUGIN_STORAGE_MAX_KEYS = 1_000;

/**
 * One tenant's installed plugins, trusted signing keys, the allow-unsigned setting and each
 * plugin's key-value storage. Credentials are ciphertext only: the caller seals and opens them.
 */
export class PluginRepository {
  constructor(private readonly db: Db, private readonly tenantId: string) {}

  async list(): Promise<PluginInstallationRow[]> {
    return this.db.select().from(pluginInstallations).where(eq(pluginInstallations.tenantId, this.tenantId)).orderBy(asc(pluginInstallations.pluginId));
  }

  async get(id: string): Promise<PluginInstallationRow | undefined> {
    const rows = await this.db.select().from(pluginInstallations).where(and(eq(pluginInstallations.tenantId, this.tenantId), eq(pluginInstallations.id, id))).limit(1);
    return rows[0];
  }

  async getByPluginId(pluginId: string): Promise<PluginInstallationRow | undefined> {
    const rows = await this.db.select().from(pluginInstallations).where(and(eq(pluginInstallations.tenantId, this.tenantId), eq(pluginInstallations.pluginId, pluginId))).limit(1);
    return rows[0];
  }

  /** By installation id, else by plugin id (`author/name`). */
  async find(idOrPluginId: string): Promise<PluginInstallationRow | undefined> {
    return (await this.get(idOrPluginId)) ?? (await this.getByPluginId(idOrPluginId));
  }

  async insert(fields: PluginInstallationFields): Promise<PluginInstallationRow> {
    const id = crypto.randomUUID();
    await this.db.insert(pluginInstallations).values({ ...fields, id, tenantId: this.tenantId });
    return (await this.get(id))!;
  }

  async update(id: string, fields: Partial<PluginInstallationFields>): Promise<void> {
    await this.db.update(pluginInstallations).set({ ...fields, updatedAt: nowSeconds() }).where(and(eq(pluginInstallations.tenantId, this.tenantId), eq(pluginInstallations.id, id)));
  }

  /** Removes the installation and everything the plugin stored in this workspace. */
  async delete(row: Pick<PluginInstallationRow, "id" | "pluginId">): Promise<void> {
    await this.db.batch([
      this.db.delete(pluginInstallations).where(and(eq(pluginInstallations.tenantId, this.tenantId), eq(pluginInstallations.id, row.id))),
      this.db.delete(pluginStorage).where(and(eq(pluginStorage.tenantId, this.tenantId), eq(pluginStorage.pluginId, row.pluginId))),
    ]);
  }

  async trustedKeys(): Promise<PluginTrustedKeyRow[]> {
    return this.db.select().from(pluginTrustedKeys).where(eq(pluginTrustedKeys.tenantId, this.tenantId)).orderBy(asc(pluginTrustedKeys.createdAt), asc(pluginTrustedKeys.keyId));
  }

  async addTrustedKey(fields: { keyId: string; publicKey: string; name: string; createdBy: string }): Promise<PluginTrustedKeyRow> {
    const id = crypto.randomUUID();
    await this.db.insert(pluginTrustedKeys).values({ ...fields, id, tenantId: this.tenantId }).onConflictDoNothing();
    const rows = await this.db.select().from(pluginTrustedKeys).where(and(eq(pluginTrustedKeys.tenantId, this.tenantId), eq(pluginTrustedKeys.keyId, fields.keyId))).limit(1);
    return rows[0]!;
  }

  async removeTrustedKey(keyId: string): Promise<boolean> {
    const rows = await this.db.delete(pluginTrustedKeys).where(and(eq(pluginTrustedKeys.tenantId, this.tenantId), eq(pluginTrustedKeys.keyId, keyId))).returning({ id: pluginTrustedKeys.id });
    return rows.length > 0;
  }

  async allowUnsigned(): Promise<boolean> {
    const rows = await this.db.select({ allow: workspaces.allowUnsignedPlugins }).from(workspaces).where(eq(workspaces.id, this.tenantId)).limit(1);
    return rows[0]?.allow === true;
  }

  async setAllowUnsigned(allow: boolean): Promise<void> {
    await this.db.update(workspaces).set({ allowUnsignedPlugins: allow }).where(eq(workspaces.id, this.tenantId));
  }

  /** The storage of one plugin in this workspace; no other plugin's or workspace's rows are reachable through it. */
  storage(pluginId: string): PluginStorageArea {
    return new PluginStorageArea(this.db, this.tenantId, pluginId);
  }
}

/** A plugin's key-value storage in one workspace (`permissions.storage`). */
export class PluginStorageArea {
  constructor(private readonly db: Db, private readonly tenantId: string, private readonly pluginId: string) {}

  private scope(key?: string) {
    return and(eq(pluginStorage.tenantId, this.tenantId), eq(pluginStorage.pluginId, this.pluginId), key === undefined ? undefined : eq(pluginStorage.key, key));
  }

  async get(key: string): Promise<string | undefined> {
    const rows = await this.db.select({ value: pluginStorage.value }).from(pluginStorage).where(this.scope(key)).limit(1);
    return rows[0]?.value;
  }

  async put(key: string, value: string): Promise<void> {
    await this.db
      .insert(pluginStorage)
      .values({ id: crypto.randomUUID(), tenantId: this.tenantId, pluginId: this.pluginId, key, value })
      .onConflictDoUpdate({ target: [pluginStorage.tenantId, pluginStorage.pluginId, pluginStorage.key], set: { value, updatedAt: nowSeconds() } });
  }

  async delete(key: string): Promise<void> {
    await this.db.delete(pluginStorage).where(this.scope(key));
  }

  async list(prefix = ""): Promise<string[]> {
    const rows = await this.db.select({ key: pluginStorage.key }).from(pluginStorage).where(this.scope()).orderBy(asc(pluginStorage.key)).limit(PLUGIN_STORAGE_MAX_KEYS);
    return rows.map((row) => row.key).filter((key) => key.startsWith(prefix));
  }

  async count(): Promise<number> {
    return (await this.db.select({ key: pluginStorage.key }).from(pluginStorage).where(this.scope())).length;
  }
}

/** Finds the installation behind an endpoint URL (`/e/{hook_id}/…`): the one unscoped lookup, as for webhooks. */
export async function resolvePluginHook(db: Db, hookId: string): Promise<PluginInstallationRow | undefined> {
  const rows = await db
    .select({ installation: pluginInstallations, status: workspaces.status })
    .from(pluginInstallations)
    .innerJoin(workspaces, eq(workspaces.id, pluginInstallations.tenantId))
    .where(eq(pluginInstallations.hookId, hookId))
    .limit(1);
  const row = rows[0];
  return row && row.status === "normal" ? row.installation : undefined;
}
