import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../client";
import { nowSeconds } from "../client";
import { providerCredentials, workspaces } from "../schema";

export type ProviderCredentialRow = typeof providerCredentials.$inferSelect;

/** Which credential: a provider's own (`model` null) or one model's (customizable providers). */
export interface CredentialKey {
  provider: string;
  model?: string | null;
  modelType?: string | null;
}

/**
 * Rows under this provider name hold the workspace's default model per model type (`model_name`,
 * `model_type`, and the sealed `{provider}`), so defaults need no table of their own.
 */
export const DEFAULT_MODEL_PROVIDER = "__default_model__";

/**
 * Model provider credentials of one tenant. Rows hold ciphertext only: sealing and opening with
 * `SecretBox` happen in the caller, which holds the key.
 */
export class ProviderCredentialRepository {
  constructor(private readonly db: Db, private readonly tenantId: string) {}

  /** Marks the workspace's credentials changed (see `workspaces.credentialsRevision`); batched with each write. */
  private bumpRevision() {
    return this.db
      .update(workspaces)
      .set({ credentialsRevision: sql`${workspaces.credentialsRevision} + 1` })
      .where(eq(workspaces.id, this.tenantId));
  }

  private where(key: CredentialKey) {
    const base = and(eq(providerCredentials.tenantId, this.tenantId), eq(providerCredentials.provider, key.provider));
    if (!key.model) return and(base, isNull(providerCredentials.modelName));
    return and(base, eq(providerCredentials.modelName, key.model), key.modelType ? eq(providerCredentials.modelType, key.modelType) : undefined);
  }

  /** Credential rows (default-model rows excluded). */
  async list(): Promise<ProviderCredentialRow[]> {
    const rows = await this.db.select().from(providerCredentials).where(eq(providerCredentials.tenantId, this.tenantId)).orderBy(asc(providerCredentials.createdAt));
    return rows.filter((row) => row.provider !== DEFAULT_MODEL_PROVIDER);
  }

  /** The default-model row for a model type, if one was set. */
  async getDefault(modelType: string): Promise<ProviderCredentialRow | undefined> {
    const rows = await this.db
      .select()
      .from(providerCredentials)
      .where(and(eq(providerCredentials.tenantId, this.tenantId), eq(providerCredentials.provider, DEFAULT_MODEL_PROVIDER), eq(providerCredentials.modelType, modelType)))
      .limit(1);
    return rows[0];
  }

  /** Sets the default model of a type; `sealedProvider` is the sealed `{provider}` JSON. */
  async setDefault(modelType: string, model: string, sealedProvider: string): Promise<void> {
    await this.db.batch([
      this.db
        .delete(providerCredentials)
        .where(and(eq(providerCredentials.tenantId, this.tenantId), eq(providerCredentials.provider, DEFAULT_MODEL_PROVIDER), eq(providerCredentials.modelType, modelType))),
      this.db.insert(providerCredentials).values({ id: crypto.randomUUID(), tenantId: this.tenantId, provider: DEFAULT_MODEL_PROVIDER, modelName: model, modelType, encryptedConfig: sealedProvider }),
      this.bumpRevision(),
    ]);
  }

  async get(key: CredentialKey): Promise<ProviderCredentialRow | undefined> {
    const rows = await this.db.select().from(providerCredentials).where(this.where(key)).limit(1);
    return rows[0];
  }

  /** Inserts or replaces the credential for `key`. */
  async save(key: CredentialKey, encryptedConfig: string): Promise<void> {
    const existing = await this.get(key);
    if (existing) {
      await this.db.batch([
        this.db.update(providerCredentials).set({ encryptedConfig, updatedAt: nowSeconds() }).where(and(eq(providerCredentials.tenantId, this.tenantId), eq(providerCredentials.id, existing.id))),
        this.bumpRevision(),
      ]);
      return;
    }
    await this.db.batch([
      this.db.insert(providerCredentials).values({
        id: crypto.randomUUID(),
        tenantId: this.tenantId,
        provider: key.provider,
        modelName: key.model ?? null,
        modelType: key.model ? (key.modelType ?? "llm") : null,
        encryptedConfig,
      }),
      this.bumpRevision(),
    ]);
  }

  async delete(key: CredentialKey): Promise<boolean> {
    const [rows] = await this.db.batch([this.db.delete(providerCredentials).where(this.where(key)).returning({ id: providerCredentials.id }), this.bumpRevision()]);
    return rows.length > 0;
  }
}
