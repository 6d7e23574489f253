import { defaultEventTruncation, type EventTruncationLimits } from "./event-truncation";

/** Dify's defaults (`WORKFLOW_MAX_EXECUTION_STEPS`, `..._TIME`, `WORKFLOW_CALL_MAX_DEPTH`, `MAX_VARIABLE_SIZE`). */
export interface EngineLimits {
  /** Counted per node start, children of iterations and loops included. */
  maxSteps: number;
  maxExecutionTimeMs: number;
  /** Nested workflow calls (a workflow used as a tool). */
  maxCallDepth: number;
  /** Per variable a node writes (assigner: conversation and loop variables), as UTF-8 JSON. */
  maxVariableSizeBytes: number;
  /** Nodes of one graph level running at once (Dify's `GRAPH_ENGINE_MAX_WORKERS`). */
  maxConcurrency: number;
  /** What node events carry; the pool keeps full values. */
  eventTruncation: EventTruncationLimits;
}

export const defaultEngineLimits: EngineLimits = {
  maxSteps: 500,
  maxExecutionTimeMs: 1_200_000,
  maxCallDepth: 5,
  maxVariableSizeBytes: 200 * 1024,
  maxConcurrency: 10,
  eventTruncation: defaultEventTruncation,
};
