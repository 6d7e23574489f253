import { and, eq, lt, or, isNull } from "drizzle-orm";
import type { Db } from "../client";
import { ExpiringCache } from "./expiring-cache";
import { nowSeconds } from "../client";
import { apiKeys, appAnnotationSettings, apps, workspaces } from "../schema";
import type { AnnotationSetting } from "./annotation-repository";
import type { App } from "./app-repository";

interface ResolvedBase {
  keyId: string;
  tenantId: string;
  tenantStatus: string;
  tokenQuota: number | null;
  /** The workspace's `credentials_revision` (keys the per-isolate credential cache). */
  credentialsRevision: number;
  lastUsedAt: number | null;
}

export type ResolvedKey =
  | (ResolvedBase & { type: "app"; app: App | undefined; annotationSetting: AnnotationSetting | null })
  | (ResolvedBase & { type: "dataset" });

/** Default of `WAGGLE_API_KEY_CACHE_SECONDS`. */
export const API_KEY_CACHE_SECONDS = 5;
const MAX_CACHED_KEYS = 1000;

/**
 * Keys found in the last few seconds, per isolate, by token hash (as Dify caches tokens in Redis):
 * a service API call then needs no query to learn its tenant and app. Any console write, and any
 * change of an app's annotation reply setting, empties it in this isolate; another isolate sees a
 * revoked key, a disabled app or an archived workspace within the cache's lifetime.
 */
const resolvedKeys = new ExpiringCache<ResolvedKey>(MAX_CACHED_KEYS);

/** Forget every cached key (see `resolvedKeys`). */
export function forgetResolvedKeys(): void {
  resolvedKeys.clear();
}

/**
 * Finds the tenant (and, for app keys, the app) behind a service API key in one query, or from
 * the per-isolate cache for `cacheMs` (0: always query). This is the one lookup that is not
 * tenant-scoped, because the key is how the tenant becomes known.
 */
export async function resolveApiKey(db: Db, tokenHash: string, cacheMs = 0): Promise<ResolvedKey | undefined> {
  const cached = resolvedKeys.get(tokenHash);
  if (cached) return cached;
  const key = await queryApiKey(db, tokenHash);
  if (key && cacheMs > 0) resolvedKeys.set(tokenHash, key, cacheMs);
  return key;
}

/** Notes that a key's use was recorded now, so a cached copy does not record it again. */
export function keyUseRecorded(tokenHash: string): void {
  const cached = resolvedKeys.get(tokenHash);
  if (cached) cached.lastUsedAt = nowSeconds();
}

async function queryApiKey(db: Db, tokenHash: string): Promise<ResolvedKey | undefined> {
  const rows = await db
    .select({
      key: apiKeys,
      workspaceStatus: workspaces.status,
      tokenQuota: workspaces.monthlyTokenQuota,
      credentialsRevision: workspaces.credentialsRevision,
      app: apps,
      annotationSetting: appAnnotationSettings,
    })
    .from(apiKeys)
    .innerJoin(workspaces, eq(workspaces.id, apiKeys.tenantId))
    .leftJoin(apps, and(eq(apps.id, apiKeys.appId), eq(apps.tenantId, apiKeys.tenantId)))
    // The app's annotation reply setting comes along, so a chat turn needs no query of its own for it.
    .leftJoin(appAnnotationSettings, and(eq(appAnnotationSettings.appId, apiKeys.appId), eq(appAnnotationSettings.tenantId, apiKeys.tenantId)))
    .where(eq(apiKeys.tokenHash, tokenHash))
    .limit(1);
  const row = rows[0];
  if (!row) return undefined;
  const base = {
    keyId: row.key.id,
    tenantId: row.key.tenantId,
    tenantStatus: row.workspaceStatus,
    tokenQuota: row.tokenQuota,
    credentialsRevision: row.credentialsRevision,
    lastUsedAt: row.key.lastUsedAt,
  };
  if (row.key.type === "dataset") return { type: "dataset", ...base };
  return { type: "app", ...base, app: row.app ?? undefined, annotationSetting: row.annotationSetting };
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
