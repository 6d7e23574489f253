import { z } from "zod";

/**
 * Ingestion queue messages: ids, the R2 key and the content hash — never document text. A
 * document is split once (`document.split`), then indexed in ranges of top-level segments
 * (`document.index`), so no single invocation embeds a whole large document.
 */
export const ingestMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("document.split"), tenantId: z.string(), datasetId: z.string(), documentId: z.string(), key: z.string(), contentHash: z.string() }),
  z.object({ type: z.literal("document.index"), tenantId: z.string(), datasetId: z.string(), documentId: z.string(), contentHash: z.string(), from: z.number().int(), to: z.number().int() }),
]);
export type IngestMessage = z.infer<typeof ingestMessageSchema>;

/** Top-level segments indexed per `document.index` message. */
export const SEGMENTS_PER_MESSAGE = 50;
/** Attempts before the dead-letter queue (wrangler.toml `max_retries` + the first delivery). */
export const MAX_ATTEMPTS = 4;

/** Retry delay: 2, 4, 8 … seconds, at most five minutes. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(300, 2 ** Math.max(1, attempts));
}

/** R2 key of a document's source text or file, inside the tenant's folder of the blob store. */
export function documentSourceKey(datasetId: string, documentId: string, contentHash: string, extension: string): string {
  return `datasets/${datasetId}/documents/${documentId}/${contentHash}.${extension}`;
}
