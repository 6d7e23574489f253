import { chunkDocument, DocumentParseError, parseDocument, RagConfigError, resolveChunkingPlan, type ProcessRule } from "../../core/rag";
import { WaggleError } from "../../core/errors";
import { isModelError } from "../../core/models";
import { embedderFor } from "../adapters/embedder";
import { createR2BlobStore } from "../adapters/r2-blob-store";
import { vectorStoreFor } from "../adapters/vector-store";
import { createDb, nowSeconds } from "../db/client";
import { KnowledgeRepository, type KnowledgeDocument, type SegmentInsert } from "../db/repositories/knowledge-repository";
import type { Env } from "../env";
import { ingestMessageSchema, MAX_ATTEMPTS, retryDelaySeconds, SEGMENTS_PER_MESSAGE, type IngestMessage } from "./ingest-messages";

/** Deterministic id from parts, so a repeated message writes the same rows and vectors. */
async function stableId(...parts: (string | number)[]): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(parts.join("\u0000"))));
  const hex = [...digest.slice(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export async function sha256Hex(bytes: Uint8Array<ArrayBuffer> | string): Promise<string> {
  const data = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Queues a document for (re)indexing. */
export async function enqueueDocument(env: Env, tenantId: string, document: KnowledgeDocument, key: string): Promise<void> {
  const message: IngestMessage = { type: "document.split", tenantId, datasetId: document.datasetId, documentId: document.id, key, contentHash: document.contentHash ?? "" };
  await env.INGEST_QUEUE.send(message);
}

/** A fault the person must fix (bad file, bad rule): no retry, the document shows the reason. */
function isPermanent(error: unknown): boolean {
  if (isModelError(error)) return !error.isRetryable;
  return error instanceof DocumentParseError || error instanceof RagConfigError || (error instanceof WaggleError && error.status < 500 && error.status !== 429);
}

function describe(error: unknown): string {
  if (isModelError(error)) return `The embedding model failed: ${error.message}. Check the model and its credentials in Settings › Model providers, then retry the document.`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Handles one ingestion message. Returns normally when the message is done (including when it
 * is stale or a duplicate); throws for a fault worth retrying.
 */
export async function handleIngestMessage(env: Env, message: IngestMessage): Promise<void> {
  const repo = new KnowledgeRepository(createDb(env.DB), message.tenantId);
  const document = await repo.getDocument(message.datasetId, message.documentId);
  // Deleted, or replaced by a newer upload: this message has nothing left to do.
  if (!document || document.contentHash !== message.contentHash) return;
  if (document.indexedHash === message.contentHash && document.indexingStatus === "completed") return;
  if (document.indexingStatus === "error" || document.indexingStatus === "paused") return;
  const dataset = await repo.getDataset(message.datasetId);
  if (!dataset) return;
  try {
    if (message.type === "document.split") await split(env, repo, document, message);
    else await index(env, repo, dataset, document, message);
  } catch (error) {
    if (isPermanent(error)) {
      await repo.setDocumentStatus(document.datasetId, document.id, message.contentHash, { indexingStatus: "error", error: describe(error) });
      return;
    }
    // Kept on the row so the dead-letter handler (and the person) can see what went wrong.
    await repo.setDocumentStatus(document.datasetId, document.id, message.contentHash, { error: `Retrying after: ${describe(error)}` }).catch(() => undefined);
    throw error;
  }
}

async function split(env: Env, repo: KnowledgeRepository, document: KnowledgeDocument, message: Extract<IngestMessage, { type: "document.split" }>): Promise<void> {
  const hash = message.contentHash;
  // Redelivered after the segments were written (the first attempt may have died before queueing
  // the index messages): queue them again; indexing a range twice rewrites the same rows.
  if (document.indexingStatus === "indexing" && document.totalSegments > 0) return enqueueRanges(env, message, document.totalSegments);
  await repo.setDocumentStatus(document.datasetId, document.id, hash, { indexingStatus: "parsing", processingStartedAt: nowSeconds(), error: null, completedSegments: 0 });
  const blob = await createR2BlobStore(env.FILES, message.tenantId).get(message.key);
  if (!blob) throw new DocumentParseError("The uploaded file is no longer in storage. Upload it again.");
  const extension = message.key.slice(message.key.lastIndexOf(".") + 1);
  const text = await parseDocument(new Uint8Array(blob.body), extension);
  await repo.setDocumentStatus(document.datasetId, document.id, hash, { indexingStatus: "splitting" });
  const plan = resolveChunkingPlan(document.docForm, document.processRule as ProcessRule | null);
  const chunks = chunkDocument(text, plan);
  if (chunks.length === 0) throw new DocumentParseError("The document produced no chunks after cleaning. Check the separator and pre-processing rules.");

  const rows: SegmentInsert[] = [];
  let tokens = 0;
  let words = 0;
  for (const [i, chunk] of chunks.entries()) {
    const position = i + 1;
    const id = await stableId(document.id, hash, position);
    tokens += chunk.tokens;
    words += chunk.wordCount;
    rows.push({ id, datasetId: document.datasetId, documentId: document.id, position, content: chunk.content, wordCount: chunk.wordCount, tokens: chunk.tokens, indexNodeId: id, indexNodeHash: await sha256Hex(chunk.content), status: "waiting" });
    for (const [j, child] of (chunk.children ?? []).entries()) {
      const childId = await stableId(document.id, hash, position, j + 1);
      rows.push({ id: childId, datasetId: document.datasetId, documentId: document.id, parentId: id, position: j + 1, content: child.content, wordCount: child.wordCount, tokens: child.tokens, indexNodeId: childId, indexNodeHash: await sha256Hex(child.content), status: "waiting" });
    }
  }
  // Vectors of an earlier version of this document go first (ids differ by content hash).
  const stale = (await repo.segmentIdsOfDocument(document.id)).filter((id) => !rows.some((row) => row.id === id));
  if (stale.length) await vectorStoreFor(env, message.tenantId, document.datasetId).deleteByIds(stale);
  await repo.replaceSegments(document.id, rows);
  await repo.setDocumentStatus(document.datasetId, document.id, hash, { indexingStatus: "indexing", totalSegments: chunks.length, completedSegments: 0, tokens, wordCount: words });
  await enqueueRanges(env, message, chunks.length);
}

/** One `document.index` message per range of top-level segments. */
async function enqueueRanges(env: Env, message: Extract<IngestMessage, { type: "document.split" }>, total: number): Promise<void> {
  const messages: IngestMessage[] = [];
  for (let from = 1; from <= total; from += SEGMENTS_PER_MESSAGE) {
    messages.push({ type: "document.index", tenantId: message.tenantId, datasetId: message.datasetId, documentId: message.documentId, contentHash: message.contentHash, from, to: from + SEGMENTS_PER_MESSAGE });
  }
  for (let i = 0; i < messages.length; i += 100) await env.INGEST_QUEUE.sendBatch(messages.slice(i, i + 100).map((body) => ({ body })));
}

async function index(
  env: Env,
  repo: KnowledgeRepository,
  dataset: { id: string; embeddingModel: string | null; embeddingModelProvider: string | null },
  document: KnowledgeDocument,
  message: Extract<IngestMessage, { type: "document.index" }>,
): Promise<void> {
  const rows = await repo.segmentsToIndex(document.id, message.from, message.to);
  if (rows.length === 0) return;
  const childrenByParent = new Map<string, number>();
  for (const row of rows) if (row.parentId) childrenByParent.set(row.parentId, (childrenByParent.get(row.parentId) ?? 0) + 1);
  // Parent-child: the children are embedded and searched; general: every segment.
  const searchable = rows.filter((row) => row.parentId !== null || !childrenByParent.has(row.id));
  const embedder = embedderFor(env, message.tenantId, dataset);
  const vectors = await embedder.embed(searchable.map((row) => row.content));
  await vectorStoreFor(env, message.tenantId, document.datasetId).upsert(
    searchable.map((row, i) => ({
      id: row.id,
      values: vectors[i]!,
      metadata: { tenant_id: message.tenantId, dataset_id: document.datasetId, document_id: document.id, segment_id: row.parentId ?? row.id },
    })),
  );
  const topLevel = rows.filter((row) => row.parentId === null).map((row) => row.id);
  const completed = await repo.markSegmentsIndexed(document.id, searchable.map((row) => ({ id: row.id, datasetId: row.datasetId, content: row.content })), topLevel);
  const done = completed >= document.totalSegments;
  await repo.setDocumentStatus(document.datasetId, document.id, message.contentHash, {
    completedSegments: completed,
    ...(done ? { indexingStatus: "completed", indexedHash: message.contentHash, completedAt: nowSeconds(), error: null } : {}),
  });
}

/**
 * The ingestion queue's consumer. Each message is acknowledged or retried on its own (with
 * backoff), so one bad document never holds up the rest of the batch.
 */
export async function consumeIngestBatch(batch: MessageBatch<unknown>, env: Env): Promise<{ acked: number; retried: number }> {
  let acked = 0;
  let retried = 0;
  for (const message of batch.messages) {
    const parsed = ingestMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      console.warn(`queue ${batch.queue}: message ${message.id} is not an ingestion message; acknowledged`);
      message.ack();
      acked++;
      continue;
    }
    try {
      await handleIngestMessage(env, parsed.data);
      message.ack();
      acked++;
    } catch (error) {
      console.warn(`queue ${batch.queue}: document ${parsed.data.documentId} attempt ${message.attempts} failed: ${describe(error)}`);
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      retried++;
    }
  }
  return { acked, retried };
}

/**
 * The dead-letter queue's consumer: a message that failed every attempt marks its document
 * `error`, with the last failure and what to do, instead of disappearing.
 */
export async function consumeDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<number> {
  let marked = 0;
  for (const message of batch.messages) {
    const parsed = ingestMessageSchema.safeParse(message.body);
    if (parsed.success) {
      const repo = new KnowledgeRepository(createDb(env.DB), parsed.data.tenantId);
      const document = await repo.getDocument(parsed.data.datasetId, parsed.data.documentId);
      if (document && document.contentHash === parsed.data.contentHash && document.indexingStatus !== "completed") {
        const last = document.error?.replace(/^Retrying after: /, "") ?? "unknown error";
        await repo.setDocumentStatus(document.datasetId, document.id, parsed.data.contentHash, {
          indexingStatus: "error",
          error: `Indexing stopped after ${MAX_ATTEMPTS} attempts. Last error: ${last}. If the embedding model's provider was unavailable, check its credentials and retry the document; otherwise re-upload it.`,
        });
        marked++;
      }
    }
    message.ack();
  }
  return marked;
}
