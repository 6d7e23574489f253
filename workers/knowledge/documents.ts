import { BadRequestError } from "../../core/errors";
import { resolveChunkingPlan, type ProcessRule } from "../../core/rag";
import { createR2BlobStore } from "../adapters/r2-blob-store";
import type { Dataset, KnowledgeDocument, KnowledgeRepository } from "../db/repositories/knowledge-repository";
import type { Env } from "../env";
import { enqueueDocument, sha256Hex } from "./ingest";
import { documentSourceKey } from "./ingest-messages";

export interface NewDocumentSource {
  name: string;
  bytes: Uint8Array<ArrayBuffer>;
  extension: string;
  mimeType: string;
  docForm?: string | null;
  processRule?: ProcessRule | null;
  docMetadata?: Record<string, unknown> | null;
  createdBy: string | null;
  createdByRole: "account" | "api";
}

/** The dataset's chunk structure: set by its first document, then every document must share it (as Dify). */
async function settleDocForm(repo: KnowledgeRepository, dataset: Dataset, requested: string | null | undefined): Promise<string> {
  const docForm = requested ?? dataset.docForm;
  if (docForm !== dataset.docForm) {
    const { total } = await repo.listDocuments(dataset.id, { page: 1, limit: 1 });
    if (total > 0) throw new BadRequestError(`doc_form ${docForm} does not match this knowledge base's ${dataset.docForm}; every document in a knowledge base uses the same chunk structure.`, "invalid_param");
  }
  return docForm;
}

/** Stores the source in R2 (inside the tenant's folder) and records it as an upload file. */
async function storeSource(env: Env, repo: KnowledgeRepository, dataset: Dataset, documentId: string, source: NewDocumentSource) {
  const contentHash = await sha256Hex(source.bytes);
  const key = documentSourceKey(dataset.id, documentId, contentHash, source.extension);
  await createR2BlobStore(env.FILES, repo.tenantId).put(key, source.bytes, { contentType: source.mimeType });
  const file = await repo.insertUploadFile({
    id: crypto.randomUUID(),
    storageKey: key,
    name: source.name,
    size: source.bytes.byteLength,
    extension: source.extension,
    mimeType: source.mimeType,
    hash: contentHash,
    createdByRole: source.createdByRole,
    createdBy: source.createdBy,
  });
  return { contentHash, key, file };
}

/**
 * Creates a document from text or a file and queues it: the chunking rule is checked first (a
 * wrong `doc_form` or rule is a 400 here, not a failed document later).
 */
export async function createDocument(env: Env, repo: KnowledgeRepository, dataset: Dataset, source: NewDocumentSource, batch = crypto.randomUUID()): Promise<KnowledgeDocument> {
  const docForm = await settleDocForm(repo, dataset, source.docForm);
  resolveChunkingPlan(docForm, source.processRule);
  if (docForm !== dataset.docForm) {
    await repo.setDatasetDocFormStatement(dataset.id, docForm);
    repo.forgetDataset(dataset.id);
  }
  const id = crypto.randomUUID();
  const { contentHash, key, file } = await storeSource(env, repo, dataset, id, source);
  const document = await repo.insertDocument({
    id,
    datasetId: dataset.id,
    position: await repo.nextDocumentPosition(dataset.id),
    name: source.name,
    dataSourceType: "upload_file",
    uploadFileId: file.id,
    batch,
    contentHash,
    indexingStatus: "waiting",
    docForm,
    processRule: (source.processRule ?? { mode: "automatic" }) as Record<string, unknown>,
    docMetadata: source.docMetadata ?? null,
    createdBy: source.createdBy,
  });
  await enqueueDocument(env, repo.tenantId, document, key);
  return document;
}

/** Replaces a document's content (update-by-text / update-by-file) and re-indexes it. */
export async function replaceDocumentContent(env: Env, repo: KnowledgeRepository, dataset: Dataset, document: KnowledgeDocument, source: NewDocumentSource): Promise<KnowledgeDocument> {
  const processRule = source.processRule ?? (document.processRule as ProcessRule | null);
  resolveChunkingPlan(document.docForm, processRule);
  const { contentHash, key, file } = await storeSource(env, repo, dataset, document.id, source);
  const updated = await repo.updateDocument(dataset.id, document.id, {
    name: source.name || document.name,
    uploadFileId: file.id,
    contentHash,
    processRule: processRule as Record<string, unknown> | null,
    indexingStatus: "waiting",
    error: null,
    totalSegments: 0,
    completedSegments: 0,
    indexedHash: null,
    completedAt: null,
    batch: crypto.randomUUID(),
  });
  await enqueueDocument(env, repo.tenantId, updated!, key);
  return updated!;
}

/** Queues a document again from its stored source (embedding model changed, or a retry after an error). */
export async function requeueDocument(env: Env, repo: KnowledgeRepository, document: KnowledgeDocument): Promise<void> {
  const file = document.uploadFileId ? await repo.getUploadFile(document.uploadFileId) : undefined;
  if (!file || !document.contentHash) return;
  const updated = await repo.updateDocument(document.datasetId, document.id, { indexingStatus: "waiting", error: null, totalSegments: 0, completedSegments: 0, indexedHash: null, completedAt: null });
  if (updated) await enqueueDocument(env, repo.tenantId, updated, file.storageKey);
}

