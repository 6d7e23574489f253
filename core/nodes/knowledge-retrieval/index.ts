export { knowledgeRetrievalNode } from "./knowledge-retrieval-node";
export type { KnowledgePort, KnowledgeResultItem, KnowledgeRetrievalRequest } from "./knowledge-port";
export { knowledgeRetrievalNodeDataSchema, type KnowledgeRetrievalNodeData } from "./schema";
