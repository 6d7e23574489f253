import { defineNode, failed, succeeded } from "../../engine";
import type { KnowledgePort, KnowledgeRetrievalRequest } from "./knowledge-port";
import { knowledgeRetrievalNodeDataSchema } from "./schema";

function knowledgePort(ports: Record<string, unknown>): KnowledgePort | undefined {
  const port = ports.knowledge as KnowledgePort | undefined;
  return port && typeof port.retrieve === "function" ? port : undefined;
}

/**
 * Dify's knowledge-retrieval node: searches the node's datasets with the query variable and
 * outputs `result`, a list of `{metadata, title, content}` whose metadata (`_source: knowledge`,
 * dataset, document, segment, score…) lets an llm node use it as context and a chat answer cite
 * it in `retriever_resources`. `multiple` mode merges all datasets (top_k, score threshold,
 * rerank model or weighted score); `single` mode, which in Dify asks an LLM to pick one dataset,
 * queries the datasets together the same way. Metadata filtering: `disabled` or `manual`
 * (condition values may use `{{#node.var#}}`); `automatic` (an LLM writes the filter) is refused.
 */
export const knowledgeRetrievalNode = defineNode({
  type: "knowledge-retrieval",
  schema: knowledgeRetrievalNodeDataSchema,
  async run(ctx) {
    const { config } = ctx;
    const port = knowledgePort(ctx.ports);
    if (!port) return failed("Knowledge retrieval is not available in this runtime.", "KnowledgeRetrievalNodeError");
    const raw = config.query_variable_selector?.length ? ctx.resolve(config.query_variable_selector) : undefined;
    const query = typeof raw === "string" ? raw : raw === undefined || raw === null ? "" : String(raw);
    const inputs = { query };
    if (!query.trim()) return failed("Query is required.", "KnowledgeRetrievalNodeError", { inputs });
    if (config.dataset_ids.length === 0) return succeeded({ result: [] }, { inputs });
    if (config.metadata_filtering_mode === "automatic") {
      return failed("metadata_filtering_mode automatic (an LLM writes the filter) is not supported; use manual conditions.", "KnowledgeRetrievalNodeError", { inputs });
    }
    const multiple = config.multiple_retrieval_config;
    const reranking: KnowledgeRetrievalRequest["reranking"] =
      multiple?.reranking_enable !== false && multiple?.reranking_mode === "reranking_model" && multiple.reranking_model
        ? { mode: "reranking_model", provider: multiple.reranking_model.provider, model: multiple.reranking_model.model }
        : multiple?.reranking_mode === "weighted_score" && multiple.weights
          ? { mode: "weighted_score", vectorWeight: multiple.weights.vector_setting?.vector_weight ?? 0.7, keywordWeight: multiple.weights.keyword_setting?.keyword_weight ?? 0.3 }
          : null;
    const conditions =
      config.metadata_filtering_mode === "manual" && config.metadata_filtering_conditions
        ? {
            logical_operator: config.metadata_filtering_conditions.logical_operator,
            conditions: config.metadata_filtering_conditions.conditions.map((condition) => ({
              ...condition,
              value: typeof condition.value === "string" ? ctx.render(condition.value) : condition.value,
            })),
          }
        : null;
    try {
      const result = await port.retrieve({
        datasetIds: config.dataset_ids,
        query,
        topK: multiple?.top_k ?? 4,
        scoreThreshold: multiple?.score_threshold ?? null,
        reranking,
        metadataConditions: conditions,
        signal: ctx.signal,
      });
      return succeeded({ result }, { inputs });
    } catch (error) {
      return failed(error instanceof Error ? error.message : String(error), "KnowledgeRetrievalNodeError", { inputs });
    }
  },
});
