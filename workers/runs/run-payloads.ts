import type { WorkflowEvent } from "../../core/engine";
import type { RunState } from "../../durable-objects/workflow-run-types";
import type { WorkflowRunRow } from "../db/repositories";

/** Dify's workflow-mode SSE payload for an engine event. */
export function workflowEventFrame(runId: string, event: WorkflowEvent): object {
  return { event: event.type, task_id: runId, workflow_run_id: runId, data: wireData(event) };
}

/** The event's data as Dify sends it (without Waggle's internal `error_type` on `workflow_finished`). */
export function wireData(event: WorkflowEvent): object {
  if (event.type !== "workflow_finished" || !("error_type" in event.data)) return event.data;
  const { error_type: _internal, ...data } = event.data;
  return data;
}

/** The run as `/workflows/run` (blocking) and `workflow_finished` describe it. */
export function runData(state: RunState) {
  return {
    id: state.runId,
    workflow_id: state.workflowId,
    status: state.status,
    outputs: state.outputs ?? {},
    error: state.error,
    elapsed_time: state.elapsedTime,
    total_tokens: state.totalTokens,
    total_steps: state.totalSteps,
    created_at: state.createdAt,
    finished_at: state.finishedAt,
    exceptions_count: state.exceptionsCount,
    files: [],
  };
}

/** A run read back from D1 or from its Durable Object, in one shape. */
export function stateFromRow(row: WorkflowRunRow): RunState {
  return {
    runId: row.id,
    tenantId: row.tenantId,
    appId: row.appId,
    workflowId: row.workflowId,
    status: row.status as RunState["status"],
    inputs: row.inputs,
    outputs: row.outputs ?? null,
    error: row.error,
    elapsedTime: row.elapsedTime,
    totalTokens: row.totalTokens,
    totalSteps: row.totalSteps,
    exceptionsCount: row.exceptionsCount,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
    recorded: true,
  };
}
