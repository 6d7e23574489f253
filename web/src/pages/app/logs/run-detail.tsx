import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { errorMessage, type App } from "../../../api";
import { ErrorText } from "../../../components/error-text";
import { formatDateTime } from "../../../format";
import { logsApi, type NodeExecutionLog, type RunLogDetail } from "../../../logs-api";
import { Link } from "../../../router";
import { formatElapsed, formatTokens, nodeTokens, prettyJson, runStarter, triggerLabel } from "./log-format";
import { logsHref } from "./logs-tab";
import { StatusBadge } from "./status-badge";

/** One run: who started it, its inputs, outputs and error, and every node it ran with that node's data. */
export function RunDetail({ app, runId, from }: { app: App; runId: string; from: string | null }) {
  const run = useSignal<RunLogDetail | null>(null);
  const nodes = useSignal<NodeExecutionLog[] | null>(null);
  const error = useSignal("");

  useEffect(() => {
    Promise.all([logsApi.run(app.id, runId), logsApi.nodeExecutions(app.id, runId)])
      .then(([detail, executions]) => {
        run.value = detail;
        nodes.value = [...executions.data].sort((a, b) => a.index - b.index);
      })
      .catch((caught) => (error.value = errorMessage(caught)));
  }, [app.id, runId]);

  const back = from ? logsHref(app.id, { conversation: from }) : logsHref(app.id);
  const current = run.value;
  return (
    <div class="stack" data-testid="run-detail" data-status={current?.status}>
      <Link href={back} class="back-link" data-testid="back-to-logs">
        ← {from ? "Conversation" : "All runs"}
      </Link>
      <ErrorText message={error.value} testId="run-detail-error-message" />
      {!current && !error.value && <p class="muted">Loading…</p>}
      {current && (
        <>
          <div class="card">
            <div class="card-header">
              <div>
                <h2>
                  Run <span class="mono muted small">{current.id}</span>
                </h2>
                <p class="muted small">{formatDateTime(current.created_at)}</p>
              </div>
              <StatusBadge status={current.status} testId="run-detail-status" />
            </div>
            <dl class="facts compact-facts run-facts">
              <dt>Source</dt>
              <dd>{triggerLabel(current.triggered_from)}</dd>
              <dt>Started by</dt>
              <dd data-testid="run-detail-who">{runStarter(current).label}</dd>
              <dt>Elapsed</dt>
              <dd data-testid="run-detail-elapsed">{formatElapsed(current.elapsed_time)}</dd>
              <dt>Tokens</dt>
              <dd data-testid="run-detail-tokens">{formatTokens(current.total_tokens)}</dd>
              <dt>Steps</dt>
              <dd>{current.total_steps}</dd>
            </dl>
            {current.error && (
              <div class="error-text" role="alert" data-testid="run-detail-error">
                {current.error}
              </div>
            )}
          </div>
          <div class="grid-2">
            <JsonCard title="Inputs" value={current.inputs} testId="run-detail-inputs" empty="No inputs." />
            <JsonCard title="Outputs" value={current.outputs} testId="run-detail-outputs" empty={current.status === "running" ? "Still running." : "No outputs."} />
          </div>
        </>
      )}
      {nodes.value && (
        <div class="card flush">
          <div class="card-header pad">
            <h2>Nodes</h2>
            <span class="muted small">{nodes.value.length} executed · open one to see its data</span>
          </div>
          {nodes.value.length === 0 ? (
            <p class="muted pad" data-testid="node-logs-empty">
              No node of this run has finished yet.
            </p>
          ) : (
            <ol class="node-logs" data-testid="node-log-list">
              {nodes.value.map((node) => (
                <NodeLog key={node.id} node={node} />
              ))}
            </ol>
          )}
        </div>
      )}
    </div>
  );
}

function NodeLog({ node }: { node: NodeExecutionLog }) {
  const tokens = nodeTokens(node.execution_metadata);
  const panes = [
    { title: "Inputs", value: node.inputs, testId: "node-log-inputs" },
    { title: "Process data", value: node.process_data, testId: "node-log-process-data" },
    { title: "Outputs", value: node.outputs, testId: "node-log-outputs" },
  ];
  return (
    <li data-testid="node-log-row" data-node-id={node.node_id} data-node-type={node.node_type} data-status={node.status}>
      <details class="node-log">
        <summary data-testid="node-log-toggle">
          <span class="node-log-title">
            <strong data-testid="node-log-title">{node.title || node.node_id}</strong>
            <span class="chip">{node.node_type}</span>
          </span>
          <StatusBadge status={node.status} testId="node-log-status" />
          <span class="muted small numeric node-log-metric" data-testid="node-log-elapsed">
            {formatElapsed(node.elapsed_time)}
          </span>
          <span class="muted small numeric node-log-metric" data-testid="node-log-tokens">
            {tokens ? `${formatTokens(tokens)} tokens` : ""}
          </span>
        </summary>
        <div class="node-log-body">
          {node.error && (
            <div class="error-text" role="alert" data-testid="node-log-error">
              {node.error}
            </div>
          )}
          {panes.map((pane) => {
            const text = prettyJson(pane.value);
            return (
              <div key={pane.title} class="json-pane">
                <span class="field-label">{pane.title}</span>
                {text ? (
                  <pre class="code-block json-view" data-testid={pane.testId}>
                    {text}
                  </pre>
                ) : (
                  <p class="muted small" data-testid={pane.testId}>
                    None
                  </p>
                )}
              </div>
            );
          })}
        </div>
      </details>
    </li>
  );
}

function JsonCard({ title, value, testId, empty }: { title: string; value: unknown; testId: string; empty: string }) {
  const text = prettyJson(value);
  return (
    <div class="card">
      <h2 class="card-title">{title}</h2>
      {text ? (
        <pre class="code-block json-view" data-testid={testId}>
          {text}
        </pre>
      ) : (
        <p class="muted small" data-testid={testId}>
          {empty}
        </p>
      )}
    </div>
  );
}
