/**
 * Typed client for the console's knowledge routes (`/console/api/datasets…`), including a file
 * upload that reports its progress.
 */
import { apiErrorFrom, ApiError, notifyUnauthorized, q, request } from "./api";

export type IndexingTechnique = "high_quality" | "economy";
export type SearchMethod = "semantic_search" | "full_text_search" | "hybrid_search" | "keyword_search";

export interface Dataset {
  id: string;
  name: string;
  description: string;
  indexing_technique: IndexingTechnique;
  document_count: number;
  word_count: number;
  created_at: number;
  updated_at: number;
  embedding_model: string;
  embedding_model_provider: string;
  embedding_model_kind: "lexical" | "semantic";
  embedding_model_label: string;
  retrieval_model_dict: { search_method: SearchMethod; top_k: number };
}

export type IndexingStatus = "waiting" | "parsing" | "cleaning" | "splitting" | "indexing" | "paused" | "completed" | "error";

export interface KnowledgeDocument {
  id: string;
  name: string;
  indexing_status: IndexingStatus;
  display_status: string;
  error: string | null;
  enabled: boolean;
  archived: boolean;
  word_count: number;
  tokens: number;
  created_at: number;
  updated_at: number;
  batch: string;
  completed_segments: number;
  total_segments: number;
}

export interface Segment {
  id: string;
  position: number;
  document_id: string;
  content: string;
  answer: string;
  word_count: number;
  tokens: number;
  keywords: string[];
  enabled: boolean;
  status: string;
  child_chunks: Array<{ id: string; content: string; position: number }>;
}

export interface RetrievalRecord {
  segment: Segment & { document: { id: string; name: string } };
  child_chunks: Array<{ id: string; content: string; position: number; score: number }>;
  score: number;
}

export interface Page<T> {
  data: T[];
  has_more: boolean;
  limit: number;
  total: number;
  page: number;
}

export interface NewDataset {
  name: string;
  description?: string;
  indexing_technique: IndexingTechnique;
  embedding_model?: string | null;
  embedding_model_provider?: string | null;
}

const e = encodeURIComponent;

export const knowledgeApi = {
  datasets: (params: { page?: number; limit?: number; keyword?: string }) => request<Page<Dataset>>("GET", `/datasets?${q(params)}`),
  createDataset: (body: NewDataset) => request<Dataset>("POST", "/datasets", { body }),
  dataset: (id: string) => request<Dataset>("GET", `/datasets/${e(id)}`),
  deleteDataset: (id: string) => request<void>("DELETE", `/datasets/${e(id)}`),
  documents: (id: string, params: { page?: number; limit?: number } = {}) =>
    request<Page<KnowledgeDocument>>("GET", `/datasets/${e(id)}/documents?${q(params)}`),
  deleteDocument: (id: string, documentId: string) => request<void>("DELETE", `/datasets/${e(id)}/documents/${e(documentId)}`),
  retry: (id: string, documentIds: string[]) => request<{ result: "success" }>("POST", `/datasets/${e(id)}/retry`, { body: { document_ids: documentIds } }),
  segments: (id: string, documentId: string, params: { page?: number; limit?: number } = {}) =>
    request<Page<Segment>>("GET", `/datasets/${e(id)}/documents/${e(documentId)}/segments?${q(params)}`),
  hitTesting: (id: string, body: { query: string; retrieval_model?: { search_method: SearchMethod; top_k: number } }) =>
    request<{ query: { content: string }; records: RetrievalRecord[] }>("POST", `/datasets/${e(id)}/hit-testing`, { body }),
};

/**
 * Uploads one file as a new document, reporting upload progress (0–1) as it goes; resolves with
 * the created document once the server has queued it for indexing.
 * @example uploadDocument(datasetId, file, (fraction) => (progress.value = fraction))
 */
export function uploadDocument(datasetId: string, file: File, onProgress: (fraction: number) => void): Promise<{ document: KnowledgeDocument; batch: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/console/api/datasets/${e(datasetId)}/document/create-by-file`);
    xhr.withCredentials = true;
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    xhr.addEventListener("load", () => {
      let payload: unknown;
      try {
        payload = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        payload = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(payload as { document: KnowledgeDocument; batch: string });
        return;
      }
      if (xhr.status === 401) notifyUnauthorized();
      reject(apiErrorFrom(xhr.status, xhr.statusText, payload));
    });
    xhr.addEventListener("error", () => reject(new ApiError("network_error", "The upload was interrupted. Check your connection and try again.", 0)));
    xhr.addEventListener("abort", () => reject(new ApiError("aborted", "The upload was cancelled.", 0)));
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
}
