export { knowledgeRetrievalNode } from "./knowledge-retrieval-node";
export type { KnowledgeDatasetInfo, KnowledgePort, KnowledgeResultItem, KnowledgeRetrievalRequest } from "./knowledge-port";
export { knowledgeRetrievalNodeDataSchema, type KnowledgeRetrievalNodeData } from "./schema";
