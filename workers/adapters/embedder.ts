import { HASHING_EMBEDDER_PROVIDER, hashingEmbedder, modelEmbedder, type Embedder } from "../../core/rag";
import type { ModelRuntime } from "../../core/models";
import type { Env } from "../env";
import { buildModelRuntime } from "./model-runtime";

/**
 * The embedder of a dataset: its provider embedding model (through the tenant's credentials and
 * the guarded egress; Workers AI's `@cf/baai/bge-*` through the `AI` binding), or the built-in
 * hashing embedder when no model is configured.
 */
export function embedderFor(env: Env, tenantId: string, dataset: { embeddingModel: string | null; embeddingModelProvider: string | null }, runtime?: ModelRuntime): Embedder {
  if (!dataset.embeddingModel || !dataset.embeddingModelProvider || dataset.embeddingModelProvider === HASHING_EMBEDDER_PROVIDER) return hashingEmbedder;
  return modelEmbedder(runtime ?? buildModelRuntime(env, tenantId), dataset.embeddingModelProvider, dataset.embeddingModel);
}
