import type { ModelRuntime } from "../models";

/** Turns texts into vectors: a provider's embedding model or the built-in hashing embedder. */
export interface Embedder {
  provider: string;
  model: string;
  /** True for the hashing embedder, so the API and console can say it is not semantic. */
  lexical: boolean;
  embed(texts: string[], signal?: AbortSignal): Promise<number[][]>;
}

/** Texts per embedding request (OpenAI accepts 2,048; Workers AI's bge models 100). */
export const EMBED_BATCH_SIZE = 64;

/**
 * An embedder over the model runtime that sends texts in batches of `batchSize`.
 *
 * @example
 * const embedder = modelEmbedder(runtime, "openai", "text-embedding-3-small");
 * const [vector] = await embedder.embed(["hello"]);
 */
export function modelEmbedder(runtime: ModelRuntime, provider: string, model: string, batchSize = EMBED_BATCH_SIZE): Embedder {
  return {
    provider,
    model,
    lexical: false,
    async embed(texts, signal) {
      const out: number[][] = [];
      for (let i = 0; i < texts.length; i += batchSize) {
        const { embeddings } = await runtime.embed({ provider, model, texts: texts.slice(i, i + batchSize), signal });
        if (embeddings.length !== Math.min(batchSize, texts.length - i)) throw new Error(`The embedding model returned ${embeddings.length} vectors for ${Math.min(batchSize, texts.length - i)} texts`);
        out.push(...embeddings);
      }
      return out;
    },
  };
}
