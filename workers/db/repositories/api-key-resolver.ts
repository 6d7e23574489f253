import { and, eq } from "drizzle-orm";
import type { Db } from "../client";
import { nowSeconds } from "../client";
import { apiKeys, apps, workspaces } from "../schema";
import type { App } from "./app-repository";

export type ResolvedKey =
  | { type: "app"; keyId: string; tenantId: string; tenantStatus: string; app: App | undefined }
  | { type: "dataset"; keyId: string; tenantId: string; tenantStatus: string };

/**
 * Finds the tenant behind a service API key. This is the one lookup that is not tenant-scoped,
 * because the key is how the tenant becomes known.
 */
export async function resolveApiKey(db: Db, tokenHash: string): Promise<ResolvedKey | undefined> {
  const rows = await db
    .select({ key: apiKeys, workspace: workspaces })
    .from(apiKeys)
    .innerJoin(workspaces, eq(workspaces.id, apiKeys.tenantId))
    .where(eq(apiKeys.tokenHash, tokenHash))
    .limit(1);
  const row = rows[0];
  if (!row) return undefined;
  if (row.key.type === "dataset") return { type: "dataset", keyId: row.key.id, tenantId: row.key.tenantId, tenantStatus: row.workspace.status };
  const appRows = await db.select().from(apps).where(and(eq(apps.id, row.key.appId ?? ""), eq(apps.tenantId, row.key.tenantId))).limit(1);
  return { type: "app", keyId: row.key.id, tenantId: row.key.tenantId, tenantStatus: row.workspace.status, app: appRows[0] };
}

/** Records key use at most once a minute per key, off the response path. */
export function touchApiKey(db: Db, keyId: string) {
  const now = nowSeconds();
  return db.update(apiKeys).set({ lastUsedAt: now }).where(and(eq(apiKeys.id, keyId)));
}
