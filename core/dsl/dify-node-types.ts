import { baseNodeDataSchema } from "./graph-schema";
import type { NodeTypeCatalog, NodeTypeInfo } from "./validate-graph";

/** Dify's node `type` strings (BuiltinNodeTypes plus triggers). */
export const DIFY_NODE_TYPES = [
  "start",
  "end",
  "answer",
  "llm",
  "knowledge-retrieval",
  "if-else",
  "code",
  "template-transform",
  "question-classifier",
  "http-request",
  "tool",
  "datasource",
  "variable-aggregator",
  "variable-assigner",
  "assigner",
  "loop",
  "loop-start",
  "loop-end",
  "iteration",
  "iteration-start",
  "parameter-extractor",
  "document-extractor",
  "list-operator",
  "agent",
  "human-input",
  "knowledge-index",
  "trigger-webhook",
  "trigger-schedule",
  "trigger-plugin",
] as const;
export type DifyNodeType = (typeof DIFY_NODE_TYPES)[number];

const START_TYPES = new Set<string>(["start", "trigger-webhook", "trigger-schedule", "trigger-plugin"]);
const CONTAINER_TYPES = new Set<string>(["iteration", "loop"]);
const infos = new Map<string, NodeTypeInfo>(
  DIFY_NODE_TYPES.map((type) => [type, { schema: baseNodeDataSchema, isStart: START_TYPES.has(type), isContainer: CONTAINER_TYPES.has(type) }]),
);

/**
 * A catalog that knows every Dify node type but checks only the shared `data` fields. For the
 * editor, which cannot import the node implementations: it still catches unknown types, dangling
 * edges, cycles, a missing start node and selectors that do not point upstream.
 */
export const difyNodeTypeCatalog: NodeTypeCatalog = { lookup: (type) => infos.get(type) };
