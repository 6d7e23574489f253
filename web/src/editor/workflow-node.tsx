import { Handle, Position, useUpdateNodeInternals, type NodeProps } from "@xyflow/react";
import { createPortal, memo } from "preact/compat";
import { useContext, useEffect, useRef, useState } from "preact/hooks";
import { ContainerActionsContext } from "./container-actions";
import { allowedInside, isContainerType, type ContainerType } from "./containers";
import { currentRun, problemsByNodeId } from "./editor-signals";
import { hasTargetHandle, sourceHandles } from "./graph-model";
import { nodeKind, nodeSummary, paletteGroups, type NodeData } from "./node-catalog";

const STATUS_LABEL: Record<string, string> = {
  running: "Running",
  succeeded: "Succeeded",
  failed: "Failed",
  exception: "Failed (handled)",
  stopped: "Stopped",
  retry: "Retrying",
};

/**
 * A node on the canvas: type badge, title, a one-line summary, run status, problems and its handles.
 * It draws only from its id, data and selection (and the run and problem signals it reads), so it
 * is not drawn again when React Flow hands it new props for anything else: measuring a freshly
 * opened graph gives every node a new object, which would otherwise draw all of them twice.
 */
export const WorkflowNode = memo(WorkflowNodeView, (before: NodeProps, after: NodeProps) => before.id === after.id && before.data === after.data && before.selected === after.selected && before.type === after.type);

function WorkflowNodeView({ id, data: raw, selected }: NodeProps) {
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
  const container = isContainerType(data.type);
  const classes = ["wf-node", container ? "wf-container" : "", selected ? "selected" : "", status ? `run-${status}` : "", problems.length ? "has-problems" : ""].filter(Boolean).join(" ");
  const multi = handles.length > 1 || Boolean(handles[0]?.label);
  return (
    <div class={classes} data-testid="canvas-node" data-node-id={id} data-node-type={data.type} data-run-status={status ?? ""} title={problems.map((p) => p.message).join("\n") || undefined}>
      {hasTargetHandle(data) && <Handle type="target" position={Position.Left} id="target" className="wf-handle" />}
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
        {container && <AddInside id={id} type={data.type as ContainerType} />}
      </div>
      <div class="wf-node-summary">
        {nodeSummary(data)}
        {/* A container's header stays one height, so its run shows on this line, not below it. */}
        {container && run && ` · ${runText(run)}`}
      </div>
      {run && !container && (
        <div class="wf-node-run small">
          {runText(run)}
        </div>
      )}
      {problems.length > 0 && (
        <div class="wf-node-problem small" data-testid="node-problem">
          ⚠ {problems[0].message}
          {problems.length > 1 && ` (+${problems.length - 1})`}
        </div>
      )}
      {container && <div class="wf-container-body" />}
      {multi ? (
        <div class="wf-branches">
          {handles.map((handle) => (
            <div class="wf-branch" key={handle.id}>
              <span>{handle.label ?? handle.id}</span>
              <Handle type="source" position={Position.Right} id={handle.id} className="wf-handle" data-testid={`handle-${handle.id}`} />
            </div>
          ))}
        </div>
      ) : (
        handles.map((handle) => <Handle key={handle.id} type="source" position={Position.Right} id={handle.id} className="wf-handle" />)
      )}
    </div>
  );
}

/**
 * The "+" inside an iteration or loop: a menu of the types that may go inside (as in Dify: no
 * nested containers, no start or end; "Exit loop" only in a loop). The menu is drawn on the page,
 * not in the node, so the container's children cannot cover it.
 */
const MENU_HEIGHT = 300;

function AddInside({ id, type }: { id: string; type: ContainerType }) {
  const actions = useContext(ContainerActionsContext);
  const [at, setAt] = useState<{ left: number; top: number } | null>(null);
  useEffect(() => {
    if (!at) return;
    const close = (event: Event) => {
      if (!(event.target instanceof Element && event.target.closest(".wf-container-menu, .wf-container-add"))) setAt(null);
    };
    window.addEventListener("pointerdown", close, true);
    return () => window.removeEventListener("pointerdown", close, true);
  }, [at]);
  if (actions.readOnly) return null;
  const kinds = paletteGroups(actions.mode).flatMap((group) => group.kinds.filter((kind) => allowedInside(kind.type, type)));
  const extra = type === "loop" ? [{ type: "loop-end", ...nodeKind("loop-end") }] : [];
  return (
    <>
      <button
        type="button"
        class="wf-container-add nodrag nopan"
        data-testid="container-add"
        title="Add a node inside"
        onClick={(event) => {
          const box = (event.currentTarget as HTMLElement).getBoundingClientRect();
          // Below the button, or as low as still fits in the window.
          setAt(at ? null : { left: box.left, top: Math.max(8, Math.min(box.bottom + 4, window.innerHeight - MENU_HEIGHT - 8)) });
        }}
      >
        + Add node
      </button>
      {at &&
        createPortal(
          <div class="wf-container-menu" role="menu" data-testid="container-menu" style={{ left: `${at.left}px`, top: `${at.top}px`, maxHeight: `${MENU_HEIGHT}px` }}>
            {[...kinds, ...extra].map((kind) => (
              <button
                type="button"
                role="menuitem"
                key={kind.type}
                class="wf-palette-item"
                data-testid={`container-add-${kind.type}`}
                onClick={() => {
                  setAt(null);
                  actions.addInside(id, kind.type);
                }}
              >
                <span class="wf-node-icon" style={{ background: kind.colour }} aria-hidden="true">
                  {kind.icon}
                </span>
                {kind.label}
              </button>
            ))}
          </div>,
          document.body,
        )}
    </>
  );
}

/** A container's start node: a small badge inside it that the child graph begins from. */
export function ContainerStartNode({ id, data: raw }: NodeProps) {
  const data = raw as NodeData;
  const run = currentRun.value.nodes[id];
  return (
    <div class="wf-container-start" data-testid="canvas-node" data-node-id={id} data-node-type={data.type} data-run-status={run?.status ?? ""} title={nodeKind(data.type).label}>
      {nodeKind(data.type).icon}
      <Handle type="source" position={Position.Right} id="source" className="wf-handle" />
    </div>
  );
}

const runText = (run: { status: string; elapsed_time?: number }) => `${STATUS_LABEL[run.status] ?? run.status}${run.elapsed_time !== undefined ? ` · ${formatSeconds(run.elapsed_time)}` : ""}`;

export function formatSeconds(seconds: number): string {
  return seconds < 1 ? `${Math.round(seconds * 1000)} ms` : `${seconds.toFixed(2)} s`;
}
