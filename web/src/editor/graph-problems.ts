/**
 * Problems shown on the canvas: `validateGraph` from core/dsl (in `graph-check.ts`, loaded after
 * the canvas is on screen) and the server's own list when publishing is refused.
 */
import type { Problem } from "../../../core/dsl/problem";

export type { Problem };

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
