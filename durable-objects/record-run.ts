import type { WorkflowEvent } from "../core/engine";
import type { RunState, StartRunRequest } from "./workflow-run-types";

/** D1 rows are capped (2 MB); node inputs/outputs beyond this are stored as a marked preview. */
const MAX_JSON_CHARS = 256 * 1024;

function boundedJson(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = JSON.stringify(value);
  if (text.length <= MAX_JSON_CHARS) return text;
  return JSON.stringify({ truncated: true, preview: text.slice(0, 10_000) });
}

/**
 * Writes a finished run and all its node executions in one D1 batch (one round-trip at the end
 * of the run, none per node). Idempotent: re-running it (alarm retries) replaces the same rows.
 */
export async function recordRun(db: D1Database, request: StartRunRequest, state: RunState, nodeEvents: WorkflowEvent[]): Promise<void> {
  const statements = [
    db
      .prepare(
        `INSERT OR REPLACE INTO workflow_runs (id, tenant_id, app_id, workflow_id, triggered_from, status, inputs, outputs, error, elapsed_time, total_tokens, total_steps, exceptions_count, created_by_role, created_by, created_at, finished_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)`,
      )
      .bind(
        state.runId,
        state.tenantId,
        state.appId,
        state.workflowId,
        request.triggeredFrom,
        state.status,
        boundedJson(state.inputs) ?? "{}",
        boundedJson(state.outputs),
        state.error,
        state.elapsedTime,
        state.totalTokens,
        state.totalSteps,
        state.exceptionsCount,
        request.createdByRole,
        request.createdBy,
        state.createdAt,
        state.finishedAt,
      ),
  ];
  for (const event of nodeEvents) {
    if (event.type !== "node_finished") continue;
    const d = event.data;
    statements.push(
      db
        .prepare(
          `INSERT OR REPLACE INTO node_executions (id, tenant_id, app_id, workflow_run_id, "index", node_id, node_type, title, predecessor_node_id, inputs, process_data, outputs, status, error, elapsed_time, execution_metadata, created_at, finished_at)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)`,
        )
        .bind(
          d.id,
          state.tenantId,
          state.appId,
          state.runId,
          d.index,
          d.node_id,
          d.node_type,
          d.title,
          d.predecessor_node_id,
          boundedJson(d.inputs),
          boundedJson(d.process_data),
          boundedJson(d.outputs),
          d.status,
          d.error,
          d.elapsed_time,
          boundedJson({ ...(d.execution_metadata ?? {}), iteration_id: d.iteration_id, loop_id: d.loop_id }),
          d.created_at,
          d.finished_at,
        ),
    );
  }
  await db.batch(statements);
}
