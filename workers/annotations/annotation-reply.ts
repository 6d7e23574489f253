import type { Annotation, AnnotationSetting, TenantRepository } from "../db/repositories";
import type { Env } from "../env";
import { nearestAnnotation } from "./annotation-index";

/** Float32 vectors make an identical question score 0.9999999: a threshold of 1 still matches it. */
const SCORE_TOLERANCE = 1e-6;

/** An annotation that answers a query. */
export interface AnnotationHit {
  annotation: Annotation;
  /** The name of the account that wrote it, if it still exists. */
  authorName: string | null;
  score: number;
}

/**
 * The annotation that answers `query`, when the app's annotation reply is on and the closest
 * question scores at least the threshold. Never throws: as in Dify, a failing embedding model or
 * index means the turn simply goes to the model. `known` is the app's setting when the caller
 * already read it (null: the app has none); undefined reads it here.
 */
export async function findAnnotationReply(env: Env, tenant: TenantRepository, appId: string, query: string, known?: AnnotationSetting | null): Promise<AnnotationHit | null> {
  try {
    if (!query.trim()) return null;
    const setting = known !== undefined ? known : await tenant.annotations.setting(appId);
    if (!setting?.enabled) return null;
    const nearest = await nearestAnnotation(env, tenant.tenantId, appId, setting, query);
    if (!nearest || nearest.score + SCORE_TOLERANCE < setting.scoreThreshold) return null;
    const found = await tenant.annotations.getWithAuthor(appId, nearest.annotationId);
    return found ? { ...found, score: nearest.score } : null;
  } catch (error) {
    console.error("annotation reply lookup failed; the model answers instead", error);
    return null;
  }
}

/** Dify's `metadata.annotation_reply`: the annotation and the account that wrote it. */
export function annotationReplyMetadata(hit: AnnotationHit): { id: string; account: { id: string; name: string } } {
  return { id: hit.annotation.id, account: { id: hit.annotation.createdBy ?? "", name: hit.authorName ?? "Dify user" } };
}
