import { Handle, Position, useUpdateNodeInternals, type NodeProps } from "@xyflow/react";
import { useEffect, useRef } from "preact/hooks";
import { currentRun, problemsByNodeId } from "./editor-signals";
import { hasTargetHandle, sourceHandles } from "./graph-model";
import { nodeKind, nodeSummary, type NodeData } from "./node-catalog";

const STATUS_LABEL: Record<string, string> = {
  running: "Running",
  succeeded: "Succeeded",
  failed: "Failed",
  exception: "Failed (handled)",
  stopped: "Stopped",
  retry: "Retrying",
};

/** A node on the canvas: type badge, title, a one-line summary, run status, problems and its handles. */
export function WorkflowNode({ id, data: raw, selected }: NodeProps) {
  const data = raw as NodeData;
  const kind = nodeKind(data.type);
  const handles = sourceHandles(data);
  const run = currentRun.value.nodes[id];
  const problems = problemsByNodeId.value.get(id) ?? [];
  const updateNodeInternals = useUpdateNodeInternals();
  const handleKey = handles.map((h) => h.id).join("|");
  // React Flow caches handle positions; it must re-measure when cases or classes change. It
  // measures a new node by itself: asking on mount too would re-measure, and re-render the
  // editor, once per node of a freshly opened graph.
  const measuredKey = useRef(handleKey);
  useEffect(() => {
    if (measuredKey.current === handleKey) return;
    measuredKey.current = handleKey;
    updateNodeInternals(id);
  }, [handleKey]);

  const status = run?.status;
  const classes = ["wf-node", selected ? "selected" : "", status ? `run-${status}` : "", problems.length ? "has-problems" : ""].filter(Boolean).join(" ");
  const multi = handles.length > 1 || Boolean(handles[0]?.label);
  return (
    <div class={classes} data-testid="canvas-node" data-node-id={id} data-node-type={data.type} data-run-status={status ?? ""} title={problems.map((p) => p.message).join("\n") || undefined}>
      {hasTargetHandle(data) && <Handle type="target" position={Position.Left} id="target" class="wf-handle" />}
      <div class="wf-node-head">
        <span class="wf-node-icon" style={{ background: kind.colour }} aria-hidden="true">
          {kind.icon}
        </span>
        <span class="wf-node-title">{data.title || kind.label}</span>
        {status && (
          <span class={`wf-node-status status-${status}`} data-testid="node-run-status">
            {status === "running" ? "…" : status === "succeeded" ? "✓" : status === "failed" || status === "exception" ? "✕" : "•"}
          </span>
        )}
      </div>
      <div class="wf-node-summary">{nodeSummary(data)}</div>
      {run && (
        <div class="wf-node-run small">
          {STATUS_LABEL[run.status] ?? run.status}
          {run.elapsed_time !== undefined && ` · ${formatSeconds(run.elapsed_time)}`}
        </div>
      )}
      {problems.length > 0 && (
        <div class="wf-node-problem small" data-testid="node-problem">
          ⚠ {problems[0].message}
          {problems.length > 1 && ` (+${problems.length - 1})`}
        </div>
      )}
      {multi ? (
        <div class="wf-branches">
          {handles.map((handle) => (
            <div class="wf-branch" key={handle.id}>
              <span>{handle.label ?? handle.id}</span>
              <Handle type="source" position={Position.Right} id={handle.id} class="wf-handle" data-testid={`handle-${handle.id}`} />
            </div>
          ))}
        </div>
      ) : (
        handles.map((handle) => <Handle key={handle.id} type="source" position={Position.Right} id={handle.id} class="wf-handle" />)
      )}
    </div>
  );
}

export function formatSeconds(seconds: number): string {
  return seconds < 1 ? `${Math.round(seconds * 1000)} ms` : `${seconds.toFixed(2)} s`;
}
