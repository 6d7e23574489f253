const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** A graph needs `nodes` and `edges` arrays (Dify's shape); `viewport` is optional. */
export function graphProblem(value: unknown): string | null {
  if (!isObject(value)) return "The graph must be a JSON object with \"nodes\" and \"edges\".";
  if (!Array.isArray(value.nodes)) return "The graph needs a \"nodes\" array.";
  if (!Array.isArray(value.edges)) return "The graph needs an \"edges\" array.";
  if (value.viewport !== undefined && !isObject(value.viewport)) return "\"viewport\" must be an object like {\"x\":0,\"y\":0,\"zoom\":1}.";
  const ids = new Set<string>();
  for (const [index, node] of value.nodes.entries()) {
    if (!isObject(node) || typeof node.id !== "string" || !node.id) return `Node ${index + 1} needs a string "id".`;
    if (ids.has(node.id)) return `Two nodes share the id "${node.id}".`;
    ids.add(node.id);
  }
  for (const [index, edge] of value.edges.entries()) {
    if (!isObject(edge) || typeof edge.source !== "string" || typeof edge.target !== "string") {
      return `Edge ${index + 1} needs string "source" and "target".`;
    }
  }
  return null;
}

/** Environment variables: `[{ name, value, value_type }]` with unique names. */
export function environmentProblem(value: unknown): string | null {
  if (!Array.isArray(value)) return "Environment variables must be a JSON array.";
  const names = new Set<string>();
  for (const [index, variable] of value.entries()) {
    if (!isObject(variable) || typeof variable.name !== "string" || !variable.name) return `Variable ${index + 1} needs a "name".`;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable.name)) return `"${variable.name}" is not a valid variable name (letters, digits, underscore).`;
    if (names.has(variable.name)) return `Two variables are named "${variable.name}".`;
    names.add(variable.name);
    const type = variable.value_type;
    if (type !== undefined && type !== "string" && type !== "number" && type !== "secret") {
      return `Variable "${variable.name}": value_type must be "string", "number" or "secret".`;
    }
  }
  return null;
}

export function arrayProblem(value: unknown): string | null {
  return Array.isArray(value) ? null : "Must be a JSON array.";
}

export function objectProblem(value: unknown): string | null {
  return isObject(value) ? null : "Must be a JSON object.";
}

export const EMPTY_GRAPH = { nodes: [], edges: [], viewport: { x: 0, y: 0, zoom: 1 } };

export const pretty = (value: unknown) => JSON.stringify(value ?? null, null, 2);
