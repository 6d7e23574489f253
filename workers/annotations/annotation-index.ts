import { BadRequestError, WaggleError } from "../../core/errors";
import { canonicalProvider, findProvider, isModelError } from "../../core/models";
import { HASHING_EMBEDDER_MODEL, HASHING_EMBEDDER_PROVIDER } from "../../core/rag";
import { embedderFor } from "../adapters/embedder";
import { tenantCredentialSource } from "../adapters/model-runtime";
import { vectorStoreFor } from "../adapters/vector-store";
import type { Env } from "../env";

/** The embedding model an app's annotation questions are indexed with. */
export interface AnnotationEmbeddingModel {
  embeddingProviderName: string;
  embeddingModelName: string;
}

/**
 * An app's annotation questions live in the same vector index as knowledge (Vectorize, or the
 * local stand-in), in their own namespace; ids are prefixed so they can never meet a segment's.
 */
function annotationStore(env: Env, tenantId: string, appId: string) {
  return vectorStoreFor(env, tenantId, `annotations-${appId}`);
}

const vectorId = (annotationId: string) => `annotation-${annotationId}`;

function embedder(env: Env, tenantId: string, model: AnnotationEmbeddingModel) {
  return embedderFor(env, tenantId, { embeddingModel: model.embeddingModelName, embeddingModelProvider: model.embeddingProviderName });
}

/** A provider's refusal (no credentials, unknown model) is the caller's to fix: 400, as Dify answers. */
function asRequestError(error: unknown): unknown {
  if (isModelError(error)) {
    const message = `The embedding model for annotation reply failed: ${error.message}. Check the model's credentials under Settings → Model providers, or enable annotation reply again with another embedding model.`;
    return new WaggleError(error.code, message, error.isRetryable ? 503 : 400, { cause: error });
  }
  return error;
}

/**
 * Refuses an embedding model this workspace cannot call, naming what to configure. The built-in
 * hashing embedder (provider `waggle`) always works; it matches shared words, not meaning.
 */
export async function assertEmbeddingModelUsable(env: Env, tenantId: string, model: AnnotationEmbeddingModel): Promise<void> {
  const provider = model.embeddingProviderName.trim();
  const name = model.embeddingModelName.trim();
  if (!provider || !name) {
    throw new BadRequestError(
      `embedding_provider_name and embedding_model_name are required to enable annotation reply: name a text-embedding model configured under Settings → Model providers (or provider "${HASHING_EMBEDDER_PROVIDER}", model "${HASHING_EMBEDDER_MODEL}" for the built-in lexical embedder).`,
      "invalid_param",
    );
  }
  if (provider === HASHING_EMBEDDER_PROVIDER) {
    if (name !== HASHING_EMBEDDER_MODEL) throw new BadRequestError(`The built-in embedder is model "${HASHING_EMBEDDER_MODEL}" of provider "${HASHING_EMBEDDER_PROVIDER}".`, "invalid_param");
    return;
  }
  const spec = findProvider(provider);
  if (!spec) throw new BadRequestError(`Embedding provider "${provider}" does not exist. Use a provider listed under Settings → Model providers.`, "provider_not_initialize");
  if (!spec.supported_model_types.includes("text-embedding")) {
    throw new BadRequestError(`Provider "${provider}" has no text-embedding models. Choose an embedding model (model type text-embedding) for annotation reply.`, "model_currently_not_support");
  }
  const canonical = canonicalProvider(provider);
  if (canonical === "workers_ai") {
    if (!env.AI) throw new BadRequestError("Workers AI embeddings need the AI binding, which is configured only in production. Choose another embedding provider.", "provider_not_initialize");
    return;
  }
  const credentials = await tenantCredentialSource(env, tenantId)(canonical, name, "text-embedding");
  if (!credentials) {
    const perModel = spec.configurate_methods.includes("customizable-model");
    throw new BadRequestError(
      `No credentials for embedding model "${name}" of provider "${canonical}" in this workspace. Add ${perModel ? `the model "${name}" (type text-embedding)` : `the provider's API key`} under Settings → Model providers → ${spec.label.en_US}, then enable annotation reply again.`,
      "provider_not_initialize",
    );
  }
}

/** Embeds the questions and writes them to the app's annotation index (new or replaced). */
export async function indexAnnotations(env: Env, tenantId: string, appId: string, model: AnnotationEmbeddingModel, rows: Array<{ id: string; question: string }>): Promise<void> {
  if (rows.length === 0) return;
  let vectors: number[][];
  try {
    vectors = await embedder(env, tenantId, model).embed(rows.map((row) => row.question));
  } catch (error) {
    throw asRequestError(error);
  }
  await annotationStore(env, tenantId, appId).upsert(
    rows.map((row, i) => ({ id: vectorId(row.id), values: vectors[i]!, metadata: { tenant_id: tenantId, app_id: appId, annotation_id: row.id } })),
  );
}

export async function unindexAnnotations(env: Env, tenantId: string, appId: string, annotationIds: string[]): Promise<void> {
  if (annotationIds.length === 0) return;
  await annotationStore(env, tenantId, appId).deleteByIds(annotationIds.map(vectorId));
}

/** The indexed question closest to `query`, with its cosine similarity. */
export async function nearestAnnotation(env: Env, tenantId: string, appId: string, model: AnnotationEmbeddingModel, query: string): Promise<{ annotationId: string; score: number } | null> {
  const [vector] = await embedder(env, tenantId, model).embed([query]);
  const { matches } = await annotationStore(env, tenantId, appId).query(vector!, { topK: 1, filter: { app_id: appId }, returnMetadata: "all" });
  const best = matches[0];
  if (!best) return null;
  const annotationId = typeof best.metadata?.annotation_id === "string" ? best.metadata.annotation_id : best.id.replace(/^annotation-/, "");
  return { annotationId, score: best.score };
}
