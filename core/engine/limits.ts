/** Dify's defaults (`WORKFLOW_MAX_EXECUTION_STEPS`, `..._TIME`, `WORKFLOW_CALL_MAX_DEPTH`, `MAX_VARIABLE_SIZE`). */
export interface EngineLimits {
  /** Counted per node start, children of iterations and loops included. */
  maxSteps: number;
  maxExecutionTimeMs: number;
  /** Nested workflow calls (a workflow used as a tool). */
  maxCallDepth: number;
  /** Per output variable, measured as UTF-8 JSON. */
  maxVariableSizeBytes: number;
  /** Nodes of one graph level running at once (Dify's `GRAPH_ENGINE_MAX_WORKERS`). */
  maxConcurrency: number;
}

export const defaultEngineLimits: EngineLimits = {
  maxSteps: 500,
  maxExecutionTimeMs: 1_200_000,
  maxCallDepth: 5,
  maxVariableSizeBytes: 200 * 1024,
  maxConcurrency: 10,
};

const encoder = new TextEncoder();

/** Size of a value as stored; cheap for the common small string. */
export function variableSizeBytes(value: unknown, limit: number): number {
  if (value === null || value === undefined || typeof value === "number" || typeof value === "boolean") return 8;
  if (typeof value === "string") {
    // Each UTF-16 unit is at most 3 UTF-8 bytes: skip encoding when it cannot exceed the limit.
    if (value.length * 3 <= limit) return value.length;
    return encoder.encode(value).length;
  }
  const json = JSON.stringify(value) ?? "";
  return json.length * 3 <= limit ? json.length : encoder.encode(json).length;
}
