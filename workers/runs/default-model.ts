import { SecretBox } from "../../core/security";
import type { TenantRepository } from "../db/repositories";
import type { Env } from "../env";

/** The workspace's default model of a type (`/console/api/workspaces/current/default-model`), if set. */
export async function defaultModel(env: Env, tenant: TenantRepository, modelType = "llm"): Promise<{ provider: string; model: string } | null> {
  const row = await tenant.providerCredentials.getDefault(modelType);
  if (!row?.modelName) return null;
  const { provider } = JSON.parse(await (await SecretBox.fromSecret(env.WAGGLE_SECRET_KEY)).open(row.encryptedConfig)) as { provider: string };
  return { provider, model: row.modelName };
}
