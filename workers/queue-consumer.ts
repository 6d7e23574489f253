import type { Env } from "./env";

/**
 * Queue consumer for document ingestion and its dead-letter queue. Messages carry ids and an R2
 * key, never documents. Until the ingestion pipeline handles a message type, a message of that type
 * is refused loudly (logged, acknowledged) instead of being retried into the dead-letter queue
 * forever; nothing produces such messages yet.
 */
export async function consumeQueue(batch: MessageBatch<unknown>, _env: Env): Promise<{ acked: number; unknown: number }> {
  let unknown = 0;
  for (const message of batch.messages) {
    const body = message.body as { type?: unknown } | null;
    console.warn(`queue ${batch.queue}: no handler for message ${message.id} of type ${JSON.stringify(body?.type ?? null)}; acknowledged`);
    unknown++;
    message.ack();
  }
  return { acked: batch.messages.length, unknown };
}
