/**
 * Every node type the engine runs: the built-ins and the nodes that reach out through ports
 * (models, code, HTTP, knowledge, tools). The Worker's runs and the checks of drafts use it.
 */
import type { NodeRegistry } from "../engine";
import { agentNode } from "./agent";
import { codeNode } from "./code";
import { documentExtractorNode } from "./document-extractor";
import { httpRequestNode } from "./http-request";
import { createNodeRegistry } from "./index";
import { knowledgeRetrievalNode } from "./knowledge-retrieval";
import { llmNode } from "./llm";
import { parameterExtractorNode } from "./parameter-extractor";
import { questionClassifierNode } from "./question-classifier";
import { toolNode } from "./tool";

export function createFullNodeRegistry(): NodeRegistry {
  return createNodeRegistry()
    .register(codeNode)
    .register(httpRequestNode)
    .register(documentExtractorNode)
    .register(llmNode)
    .register(knowledgeRetrievalNode)
    .register(questionClassifierNode)
    .register(parameterExtractorNode)
    .register(toolNode)
    .register(agentNode);
}
