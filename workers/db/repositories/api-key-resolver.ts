import { and, eq, lt, or, isNull } from "drizzle-orm";
import type { Db } from "../client";
import { nowSeconds } from "../client";
import { apiKeys, apps, workspaces } from "../schema";
import type { App } from "./app-repository";

export type ResolvedKey =
  | { type: "app"; keyId: string; tenantId: string; tenantStatus: string; tokenQuota: number | null; lastUsedAt: number | null; app: App | undefined }
  | { type: "dataset"; keyId: string; tenantId: string; tenantStatus: string; tokenQuota: number | null; lastUsedAt: number | null };

/**
 * Finds the tenant (and, for app keys, the app) behind a service API key in one query. This is
 * the one lookup that is not tenant-scoped, because the key is how the tenant becomes known.
 * Keys are not cached, so a revoked key is refused on the very next request.
 */
export async function resolveApiKey(db: Db, tokenHash: string): Promise<ResolvedKey | undefined> {
  const rows = await db
    .select({ key: apiKeys, workspaceStatus: workspaces.status, tokenQuota: workspaces.monthlyTokenQuota, app: apps })
    .from(apiKeys)
    .innerJoin(workspaces, eq(workspaces.id, apiKeys.tenantId))
    .leftJoin(apps, and(eq(apps.id, apiKeys.appId), eq(apps.tenantId, apiKeys.tenantId)))
    .where(eq(apiKeys.tokenHash, tokenHash))
    .limit(1);
  const row = rows[0];
  if (!row) return undefined;
  const base = { keyId: row.key.id, tenantId: row.key.tenantId, tenantStatus: row.workspaceStatus, tokenQuota: row.tokenQuota, lastUsedAt: row.key.lastUsedAt };
  if (row.key.type === "dataset") return { type: "dataset", ...base };
  return { type: "app", ...base, app: row.app ?? undefined };
}

/** How stale `last_used_at` may get; recording every request would add a write to each call. */
export const KEY_USE_RESOLUTION_SECONDS = 60;

/** Records key use, at most once per minute per key (conditional, so concurrent calls write once). */
export function touchApiKey(db: Db, keyId: string) {
  const now = nowSeconds();
  return db
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(and(eq(apiKeys.id, keyId), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, now - KEY_USE_RESOLUTION_SECONDS))));
}
