/**
 * Problems shown on the canvas: `validateGraph` from core/dsl with Dify's node-type catalog
 * (shape, edges, cycles, start node, selectors pointing upstream), and the server's own list when
 * publishing is refused.
 */
// Imported file by file rather than from core/dsl's index: the index also re-exports the YAML
// import/export, which would add the `yaml` package (~30 kB gzip) to the editor for nothing.
import { difyNodeTypeCatalog } from "../../../core/dsl/dify-node-types";
import type { Problem } from "../../../core/dsl/problem";
import { validateGraph } from "../../../core/dsl/validate-graph";

export type { Problem };

export function checkGraph(graph: unknown, mode: string, environmentVariableNames: string[], conversationVariableNames: string[]): Problem[] {
  return validateGraph(graph, { nodeTypes: difyNodeTypeCatalog, mode, environmentVariableNames, conversationVariableNames });
}

/**
 * Parses the server's `invalid_param` message, which lists problems as
 * `node <id> (<field>): <message>` separated by `;` or new lines.
 */
export function parseServerProblems(message: string): Problem[] {
  const problems: Problem[] = [];
  const pattern = /node ([^\s()]+) \(([^)]*)\): ([^;\n]+)/g;
  for (const match of message.matchAll(pattern)) problems.push({ node_id: match[1], field: match[2], message: match[3].trim() });
  return problems;
}

/** Problems grouped by node id; graph-wide ones under "". */
export function problemsByNode(problems: Problem[]): Map<string, Problem[]> {
  const map = new Map<string, Problem[]>();
  for (const problem of problems) {
    const key = problem.node_id ?? "";
    map.set(key, [...(map.get(key) ?? []), problem]);
  }
  return map;
}

/** Whether two groupings (from `problemsByNode`) hold the same problems for the same nodes. */
export function sameProblems(a: Map<string, Problem[]>, b: Map<string, Problem[]>): boolean {
  if (a.size !== b.size) return false;
  const text = (list: Problem[] | undefined) => (list ?? []).map((p) => `${p.field}|${p.message}`).join("\n");
  for (const [node, list] of b) if (!a.has(node) || text(a.get(node)) !== text(list)) return false;
  return true;
}

/** Problem messages name nodes by id; people know them by title. */
export function withTitles(message: string, nodes: { id: string; data: { title?: string } }[]): string {
  let text = message;
  for (const node of nodes) {
    if (!node.data.title || node.id === node.data.title) continue;
    text = text.replace(new RegExp(`(?<![\\w.-])${node.id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\w-])`, "g"), `"${node.data.title}"`);
  }
  return text;
}
