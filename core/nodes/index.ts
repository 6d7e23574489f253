/**
 * Built-in nodes and the default registry. Other node types (llm, code, http-request, tool...)
 * register on the same `NodeRegistry` from their own folders.
 */
import { NodeRegistry } from "../engine";
import { answerNode } from "./answer";
import { assignerNode } from "./assigner";
import { iterationStartNode, loopEndNode, loopStartNode } from "./container-markers";
import { endNode } from "./end";
import { ifElseNode } from "./if-else";
import { iterationNode } from "./iteration";
import { listOperatorNode } from "./list-operator";
import { loopNode } from "./loop";
import { startNode } from "./start";
import { templateTransformNode } from "./template-transform";
import { variableAggregatorNode, variableAssignerLegacyNode } from "./variable-aggregator";

export const builtinNodes = [
  startNode,
  endNode,
  answerNode,
  ifElseNode,
  templateTransformNode,
  variableAggregatorNode,
  variableAssignerLegacyNode,
  assignerNode,
  listOperatorNode,
  iterationNode,
  iterationStartNode,
  loopNode,
  loopStartNode,
  loopEndNode,
] as const;

/**
 * A registry with every built-in node. Add more with `registry.register(definition)`.
 *
 * @example
 * const registry = createNodeRegistry().register(llmNode);
 */
export function createNodeRegistry(): NodeRegistry {
  const registry = new NodeRegistry();
  for (const node of builtinNodes) registry.register(node);
  return registry;
}

export * from "./answer";
export * from "./assigner";
export * from "./conditions";
export * from "./container-markers";
export * from "./end";
export * from "./if-else";
export * from "./iteration";
export * from "./list-operator";
export * from "./loop";
export * from "./start";
export * from "./template-transform";
export * from "./variable-aggregator";
