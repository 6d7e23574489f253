import { useEffect, useState } from "preact/hooks";
import { api, errorMessage, type WorkflowRunSummary } from "../api";
import { formatDateTime } from "../format";
import { currentRun } from "./editor-signals";
import { IDLE_RUN, type NodeRun, type NodeRunStatus, type RunView } from "./run-state";
import { formatSeconds } from "./workflow-node";

/**
 * The app's recent runs; choosing one shows its node executions on the canvas and in the run
 * panel, as if it had just run. `refreshKey` changes when a new run ends.
 */
export function RunHistory({ appId, refreshKey }: { appId: string; refreshKey: unknown }) {
  const [runs, setRuns] = useState<WorkflowRunSummary[] | null>(null);
  const [error, setError] = useState("");

  useEffect(() => {
    api
      .workflowRuns(appId)
      .then((list) => setRuns(list.data))
      .catch((caught) => setError(errorMessage(caught)));
  }, [appId, refreshKey]);

  const show = async (run: WorkflowRunSummary) => {
    try {
      const { data } = await api.nodeExecutions(appId, run.id);
      const nodes: Record<string, NodeRun> = {};
      const order: string[] = [];
      for (const execution of [...data].sort((a, b) => a.index - b.index)) {
        if (!order.includes(execution.node_id)) order.push(execution.node_id);
        nodes[execution.node_id] = {
          node_id: execution.node_id,
          title: execution.title,
          node_type: execution.node_type,
          status: execution.status as NodeRunStatus,
          elapsed_time: execution.elapsed_time,
          started_at: execution.created_at * 1000,
          predecessor_node_id: execution.predecessor_node_id ?? null,
          inputs: execution.inputs,
          process_data: execution.process_data,
          outputs: execution.outputs,
          error: execution.error,
        };
      }
      const view: RunView = { ...IDLE_RUN, run_id: run.id, status: run.status as RunView["status"], nodes, order, outputs: run.outputs, error: run.error, elapsed_time: run.elapsed_time, total_tokens: run.total_tokens };
      currentRun.value = view;
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };

  return (
    <details class="wf-json" data-testid="run-history">
      <summary>Run history</summary>
      {error && <div class="error-text">{error}</div>}
      {runs && runs.length === 0 && <p class="muted small">No runs yet.</p>}
      {runs?.map((run) => (
        <button type="button" key={run.id} class={`wf-trace-head status-${run.status}`} onClick={() => void show(run)} data-testid="run-history-row">
          <span class="grow">{formatDateTime(run.created_at)}</span>
          <span>{run.status}</span>
          <span class="muted">{formatSeconds(run.elapsed_time ?? 0)}</span>
        </button>
      ))}
    </details>
  );
}
