/**
 * `validateGraph` from core/dsl with Dify's node-type catalog (shape, edges, cycles, start node,
 * selectors pointing upstream). Its own chunk: building the zod schemas and checking a large graph
 * would otherwise sit between a draft's arrival and its nodes on screen.
 */
// Imported file by file rather than from core/dsl's index: the index also re-exports the YAML
// import/export, which would add the `yaml` package (~30 kB gzip) to the editor for nothing.
import { difyNodeTypeCatalog } from "../../../core/dsl/dify-node-types";
import type { Problem } from "../../../core/dsl/problem";
import { validateGraph } from "../../../core/dsl/validate-graph";

export function checkGraph(graph: unknown, mode: string, environmentVariableNames: string[], conversationVariableNames: string[]): Problem[] {
  return validateGraph(graph, { nodeTypes: difyNodeTypeCatalog, mode, environmentVariableNames, conversationVariableNames });
}
