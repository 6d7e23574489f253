import { and, asc, eq, isNull } from "drizzle-orm";
import type { Db } from "../client";
import { nowSeconds } from "../client";
import { providerCredentials } from "../schema";

export type ProviderCredentialRow = typeof providerCredentials.$inferSelect;

/** Which credential: a provider's own (`model` null) or one model's (customizable providers). */
export interface CredentialKey {
  provider: string;
  model?: string | null;
  modelType?: string | null;
}

/**
 * Model provider credentials of one tenant. Rows hold ciphertext only: sealing and opening with
 * `SecretBox` happen in the caller, which holds the key.
 */
export class ProviderCredentialRepository {
  constructor(private readonly db: Db, private readonly tenantId: string) {}

  private where(key: CredentialKey) {
    const base = and(eq(providerCredentials.tenantId, this.tenantId), eq(providerCredentials.provider, key.provider));
    if (!key.model) return and(base, isNull(providerCredentials.modelName));
    return and(base, eq(providerCredentials.modelName, key.model), key.modelType ? eq(providerCredentials.modelType, key.modelType) : undefined);
  }

  async list(): Promise<ProviderCredentialRow[]> {
    return this.db.select().from(providerCredentials).where(eq(providerCredentials.tenantId, this.tenantId)).orderBy(asc(providerCredentials.createdAt));
  }

  async get(key: CredentialKey): Promise<ProviderCredentialRow | undefined> {
    const rows = await this.db.select().from(providerCredentials).where(this.where(key)).limit(1);
    return rows[0];
  }

  /** Inserts or replaces the credential for `key`. */
  async save(key: CredentialKey, encryptedConfig: string): Promise<void> {
    const existing = await this.get(key);
    if (existing) {
      await this.db.update(providerCredentials).set({ encryptedConfig, updatedAt: nowSeconds() }).where(and(eq(providerCredentials.tenantId, this.tenantId), eq(providerCredentials.id, existing.id)));
      return;
    }
    await this.db.insert(providerCredentials).values({
      id: crypto.randomUUID(),
      tenantId: this.tenantId,
      provider: key.provider,
      modelName: key.model ?? null,
      modelType: key.model ? (key.modelType ?? "llm") : null,
      encryptedConfig,
    });
  }

  async delete(key: CredentialKey): Promise<boolean> {
    const rows = await this.db.delete(providerCredentials).where(this.where(key)).returning({ id: providerCredentials.id });
    return rows.length > 0;
  }
}
