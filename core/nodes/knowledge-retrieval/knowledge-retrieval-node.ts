import { defineNode, failed, succeeded, type NodeContext } from "../../engine";
import type { LlmUsage } from "../../models";
import { invokeModel, modelsPort, requestBase, usageMetadata } from "../llm/invoke-model";
import type { ModelConfig } from "../llm/schema";
import type { KnowledgeDatasetInfo, KnowledgePort, KnowledgeRetrievalRequest } from "./knowledge-port";
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
 * rerank model or weighted score, each dataset searched by its own method); `single` mode asks
 * the node's model to pick one dataset by its description (function calling, as Dify's router)
 * and searches it with its own settings; if the model picks none, the result is empty. Metadata filtering: `disabled` or `manual`
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
    if (config.retrieval_mode === "single") {
      const routed = await routeToDataset(ctx, port, config.dataset_ids, query, config.single_retrieval_config?.model);
      if ("failure" in routed) return routed.failure;
      const routing = { dataset_id: routed.dataset?.id ?? null, dataset_name: routed.dataset?.name ?? null, ...(routed.usage ? { usage: routed.usage } : {}) };
      if (!routed.dataset) return succeeded({ result: [] }, { inputs, process_data: { routing }, ...(routed.usage ? { metadata: usageMetadata(routed.usage) } : {}) });
      try {
        const result = await port.retrieve({ datasetIds: [routed.dataset.id], query, topK: 4, datasetSettings: true, metadataConditions: conditions, signal: ctx.signal });
        return succeeded({ result }, { inputs, process_data: { routing }, ...(routed.usage ? { metadata: usageMetadata(routed.usage) } : {}) });
      } catch (error) {
        return failed(error instanceof Error ? error.message : String(error), "KnowledgeRetrievalNodeError", { inputs, process_data: { routing } });
      }
    }
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

type Routed = { dataset: KnowledgeDatasetInfo | null; usage?: LlmUsage } | { failure: ReturnType<typeof failed> };

/**
 * Dify's single-mode router: the node's model sees one tool per dataset (named after it,
 * described by its description) and calls the one that fits the query. One dataset needs no model.
 */
async function routeToDataset(ctx: NodeContext<unknown>, port: KnowledgePort, ids: string[], query: string, rawModel: unknown): Promise<Routed> {
  const inputs = { query };
  if (!port.describe) return { failure: failed("Single-mode retrieval is not available in this runtime.", "KnowledgeRetrievalNodeError", { inputs }) };
  const datasets = await port.describe(ids);
  const missing = ids.filter((id) => !datasets.some((dataset) => dataset.id === id));
  if (missing.length) return { failure: failed(`Knowledge base ${missing.join(", ")} not found in this workspace.`, "KnowledgeRetrievalNodeError", { inputs }) };
  if (datasets.length === 1) return { dataset: datasets[0]! };
  const model = rawModel as ModelConfig | undefined;
  if (!model?.provider || !model.name) return { failure: failed("Single-mode retrieval needs a model (single_retrieval_config.model) to choose between knowledge bases.", "KnowledgeRetrievalNodeError", { inputs }) };
  const models = modelsPort(ctx);
  if ("status" in models) return { failure: models };
  const tools = datasets.map((dataset, i) => ({
    name: `dataset_${i + 1}`,
    description: dataset.description.trim() || `useful for when you want to answer queries about the ${dataset.name}`,
    parameters: { type: "object", properties: { query: { type: "string", description: "The query to search the knowledge base with." } }, required: ["query"] },
  }));
  const outcome = await invokeModel(
    models,
    {
      ...requestBase({ ...model, mode: "chat" }, ctx.signal),
      messages: [
        { role: "system", content: "Choose the one knowledge base that can answer the user's question by calling its tool. If none fits, answer without calling a tool." },
        { role: "user", content: query },
      ],
      tools,
      toolChoice: "auto",
    },
    { inputs },
  );
  if (!outcome.ok) return { failure: outcome.failure };
  const call = outcome.result.toolCalls[0];
  const index = call ? tools.findIndex((tool) => tool.name === call.name) : -1;
  return { dataset: index >= 0 ? datasets[index]! : null, usage: outcome.result.usage };
}
