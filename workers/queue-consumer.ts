import type { Env } from "./env";
import { consumeDeadLetters, consumeIngestBatch } from "./knowledge/ingest";

/** Dead-letter queues end in `-dlq` (wrangler.toml: `waggle-ingest-dlq`). */
export function isDeadLetterQueue(queue: string): boolean {
  return queue.endsWith("-dlq");
}

/**
 * Queue consumer for document ingestion and its dead-letter queue. Messages carry ids, an R2 key
 * and a content hash, never documents (`workers/knowledge/ingest.ts`).
 */
export async function consumeQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  if (isDeadLetterQueue(batch.queue)) await consumeDeadLetters(batch, env);
  else await consumeIngestBatch(batch, env);
}
