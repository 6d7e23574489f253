import type { Tool, ToolMessage } from "../tool";

/** One retrieved chunk, as the knowledge port returns it. */
export interface DatasetChunk {
  content: string;
  title: string;
  metadata: { score?: number; document_name?: string; dataset_name?: string } & Record<string, unknown>;
}

export interface DatasetToolOptions {
  dataset: { id: string; name: string; description: string };
  /** Searches this dataset; `topK` and `scoreThreshold` come from the app's dataset settings. */
  retrieve(query: string, options: { topK: number; scoreThreshold: number | null; signal: AbortSignal }): Promise<DatasetChunk[]>;
}

/** The tool name an agent sees for a dataset, as Dify names its dataset retriever tools. */
export function datasetToolName(datasetId: string): string {
  return `dataset_${datasetId.replace(/-/g, "_")}`;
}

/**
 * Knowledge offered to an agent as a tool (Dify's dataset retriever tool): the model calls it with
 * a query and reads the matching chunks. `top_k` and `score_threshold` are parameters the app
 * fixes (the agent never sees them).
 */
export function datasetTool(options: DatasetToolOptions): Tool {
  const { dataset } = options;
  return {
    name: datasetToolName(dataset.id),
    label: dataset.name,
    description: dataset.description.trim() || `useful for when you want to answer queries about the ${dataset.name}`,
    parameters: {
      type: "object",
      properties: {
        query: { type: "string", description: "Query for the dataset to be used to retrieve the dataset." },
        top_k: { type: "integer", minimum: 1, maximum: 20, description: "How many chunks to return." },
        score_threshold: { type: "number", minimum: 0, maximum: 1, description: "The lowest relevance score a chunk may have (0: no threshold)." },
      },
      required: ["query"],
    },
    async invoke(args, ctx): Promise<ToolMessage[]> {
      const chunks = await options.retrieve(String(args.query ?? ""), {
        topK: typeof args.top_k === "number" ? args.top_k : 4,
        scoreThreshold: typeof args.score_threshold === "number" && args.score_threshold > 0 ? args.score_threshold : null,
        signal: ctx.signal,
      });
      if (!chunks.length) return [{ type: "text", text: `No content in the knowledge base "${dataset.name}" matches the query.` }];
      return [{ type: "text", text: chunks.map((chunk) => chunk.content).join("\n\n") }];
    },
  };
}
