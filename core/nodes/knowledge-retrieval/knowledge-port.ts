/** One item of the node's `result`, shaped as Dify's (`_source: knowledge` metadata feeds citations). */
export interface KnowledgeResultItem {
  metadata: {
    _source: "knowledge";
    position: number;
    dataset_id: string;
    dataset_name: string;
    document_id: string;
    document_name: string;
    data_source_type: string;
    segment_id: string;
    retriever_from: "workflow";
    score: number;
    segment_hit_count: number;
    segment_word_count: number;
    segment_position: number;
    segment_index_node_hash: string | null;
    doc_metadata: Record<string, unknown> | null;
    child_chunks?: Array<{ id: string; content: string; position: number; score: number }>;
  };
  title: string;
  content: string;
}

export interface KnowledgeRetrievalRequest {
  datasetIds: string[];
  query: string;
  topK: number;
  scoreThreshold?: number | null;
  reranking?: { mode: "reranking_model"; provider: string; model: string } | { mode: "weighted_score"; vectorWeight: number; keywordWeight: number } | null;
  metadataConditions?: { logical_operator: "and" | "or"; conditions: Array<{ name: string; comparison_operator: string; value?: unknown }> } | null;
  /**
   * Search with the (single) dataset's own retrieval settings — top_k, threshold, method,
   * reranking — instead of `topK` / `scoreThreshold` / `reranking` (Dify's single mode).
   */
  datasetSettings?: boolean;
  signal?: AbortSignal;
}

/** What a router needs to know of a dataset to choose it. */
export interface KnowledgeDatasetInfo {
  id: string;
  name: string;
  description: string;
}

/**
 * Retrieval over the tenant's datasets, for the knowledge-retrieval node (`ctx.ports.knowledge`).
 * The Worker implements it over D1, the vector index and the model runtime; tests pass fakes.
 * A dataset id the tenant does not own is reported as an error, never searched.
 */
export interface KnowledgePort {
  retrieve(request: KnowledgeRetrievalRequest): Promise<KnowledgeResultItem[]>;
  /** The tenant's datasets among `ids` (single mode routes between them); unknown ids are left out. */
  describe?(ids: string[]): Promise<KnowledgeDatasetInfo[]>;
}
