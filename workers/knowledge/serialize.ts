import { HASHING_EMBEDDER_LABEL, HASHING_EMBEDDER_MODEL, HASHING_EMBEDDER_PROVIDER, DEFAULT_RETRIEVAL_MODEL } from "../../core/rag";
import type { Dataset, KnowledgeDocument, Segment } from "../db/repositories/knowledge-repository";

/** Dify's `display_status` from the indexing status and the enabled/archived flags. */
function displayStatus(document: KnowledgeDocument): string {
  if (document.indexingStatus === "waiting") return "queuing";
  if (["parsing", "cleaning", "splitting", "indexing"].includes(document.indexingStatus)) return "indexing";
  if (document.indexingStatus === "paused") return "paused";
  if (document.indexingStatus === "error") return "error";
  if (document.archived) return "archived";
  return document.enabled ? "available" : "disabled";
}

/** The embedding model as shown to people: the built-in one is labelled lexical. */
export function embeddingInfo(dataset: Dataset) {
  const builtIn = !dataset.embeddingModel || dataset.embeddingModelProvider === HASHING_EMBEDDER_PROVIDER;
  return {
    embedding_model: builtIn ? HASHING_EMBEDDER_MODEL : dataset.embeddingModel,
    embedding_model_provider: builtIn ? HASHING_EMBEDDER_PROVIDER : dataset.embeddingModelProvider,
    embedding_available: true,
    /** Waggle's addition: whether the vectors capture meaning or only shared words. */
    embedding_model_kind: builtIn ? "lexical" : "semantic",
    embedding_model_label: builtIn ? HASHING_EMBEDDER_LABEL : `${dataset.embeddingModelProvider} / ${dataset.embeddingModel}`,
  };
}

export function serializeDataset(dataset: Dataset, stats?: { documentCount: number; wordCount: number }, tags: Array<{ id: string; name: string; type: string }> = []) {
  return {
    id: dataset.id,
    name: dataset.name,
    description: dataset.description,
    provider: dataset.provider,
    permission: dataset.permission,
    data_source_type: "upload_file",
    indexing_technique: dataset.indexingTechnique,
    app_count: 0,
    document_count: stats?.documentCount ?? 0,
    word_count: stats?.wordCount ?? 0,
    created_by: dataset.createdBy,
    created_at: dataset.createdAt,
    updated_by: dataset.createdBy,
    updated_at: dataset.updatedAt,
    ...embeddingInfo(dataset),
    retrieval_model_dict: { ...DEFAULT_RETRIEVAL_MODEL, ...(dataset.retrievalModel ?? {}) },
    tags,
    doc_form: dataset.docForm,
    built_in_field_enabled: dataset.builtInFieldEnabled,
    external_knowledge_info: null,
    external_retrieval_model: null,
  };
}

export function serializeDocument(document: KnowledgeDocument) {
  return {
    id: document.id,
    position: document.position,
    data_source_type: document.dataSourceType,
    data_source_info: document.uploadFileId ? { upload_file_id: document.uploadFileId } : null,
    dataset_process_rule_id: null,
    dataset_process_rule: document.processRule ?? null,
    name: document.name,
    created_from: "api",
    created_by: document.createdBy,
    created_at: document.createdAt,
    updated_at: document.updatedAt,
    tokens: document.tokens,
    indexing_status: document.indexingStatus,
    error: document.error,
    enabled: document.enabled,
    disabled_at: null,
    disabled_by: null,
    archived: document.archived,
    display_status: displayStatus(document),
    word_count: document.wordCount,
    hit_count: 0,
    doc_form: document.docForm,
    doc_metadata: Object.entries(document.docMetadata ?? {}).map(([name, value]) => ({ name, value })),
    batch: document.batch,
    completed_segments: document.completedSegments,
    total_segments: document.totalSegments,
  };
}

export function serializeIndexingStatus(document: KnowledgeDocument) {
  return {
    id: document.id,
    indexing_status: document.indexingStatus,
    processing_started_at: document.processingStartedAt,
    parsing_completed_at: null,
    cleaning_completed_at: null,
    splitting_completed_at: null,
    completed_at: document.completedAt,
    paused_at: null,
    error: document.error,
    stopped_at: null,
    completed_segments: document.completedSegments,
    total_segments: document.totalSegments,
  };
}

export function serializeChildChunk(child: Segment) {
  return {
    id: child.id,
    segment_id: child.parentId,
    content: child.content,
    position: child.position,
    word_count: child.wordCount,
    type: "automatic",
    created_at: child.createdAt,
    updated_at: child.updatedAt,
  };
}

export function serializeSegment(segment: Segment, children?: Segment[]) {
  return {
    id: segment.id,
    position: segment.position,
    document_id: segment.documentId,
    content: segment.content,
    answer: segment.answer ?? "",
    word_count: segment.wordCount,
    tokens: segment.tokens,
    keywords: segment.keywords ?? [],
    index_node_id: segment.indexNodeId,
    index_node_hash: segment.indexNodeHash,
    hit_count: segment.hitCount,
    enabled: segment.enabled,
    disabled_at: null,
    disabled_by: null,
    status: segment.status,
    created_by: null,
    created_at: segment.createdAt,
    updated_at: segment.updatedAt,
    indexing_at: segment.createdAt,
    completed_at: segment.status === "completed" ? segment.updatedAt : null,
    error: null,
    stopped_at: null,
    child_chunks: (children ?? []).map(serializeChildChunk),
  };
}
