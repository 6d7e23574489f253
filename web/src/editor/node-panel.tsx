/**
 * The side panel for the selected node: title and description, the type's form, error handling,
 * the node's problems, its `data` as JSON, and a single-node test run.
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import { findSelectorReferences } from "../../../core/dsl/selector-references";
import { ApiError, errorMessage } from "../api";
import { availableVariables, containerOutputOptions } from "./available-variables";
import { JsonField, Labelled, Select, TextInput } from "./form-controls";
import type { FlowEdge, FlowNode } from "./graph-model";
import type { Problem } from "./graph-problems";
import { nodeKind, type NodeData } from "./node-catalog";
import { NODE_FORMS } from "./node-forms";
import { formatSeconds } from "./workflow-node";

/** Node types whose failures can be handled (Dify offers error handling on these). */
const HANDLES_ERRORS = new Set(["llm", "code", "http-request", "tool", "agent", "knowledge-retrieval", "question-classifier", "parameter-extractor", "template-transform", "document-extractor", "list-operator"]);

interface Props {
  node: FlowNode;
  nodes: FlowNode[];
  edges: FlowEdge[];
  mode: string;
  appId: string;
  readOnly: boolean;
  environmentVariables: { name?: unknown; value_type?: unknown }[];
  conversationVariables: { name?: unknown; value_type?: unknown }[];
  problems: Problem[];
  onChange: (data: NodeData) => void;
  onClose: () => void;
  /** For a node inside an iteration or loop: takes it out. */
  onMoveOut?: () => void;
  beforeRun: () => Promise<boolean>;
}

export function NodePanel(props: Props) {
  const { node, readOnly, onChange } = props;
  const data = node.data;
  const kind = nodeKind(data.type);
  const options = useMemo(
    () => availableVariables(node.id, props.nodes, props.edges, { mode: props.mode, environmentVariables: props.environmentVariables, conversationVariables: props.conversationVariables }),
    [node.id, props.nodes, props.edges, props.environmentVariables, props.conversationVariables],
  );
  const innerOptions = useMemo(() => containerOutputOptions(node.id, props.nodes), [node.id, props.nodes]);
  const set = (patch: Record<string, unknown>) => onChange({ ...data, ...patch } as NodeData);
  const Form = NODE_FORMS[data.type];
  return (
    <aside class="wf-panel" data-testid="node-panel" data-node-id={node.id} aria-label={`${kind.label} settings`}>
      <div class="wf-panel-head">
        <span class="wf-node-icon" style={{ background: kind.colour }} aria-hidden="true">
          {kind.icon}
        </span>
        <input class="wf-title-input" value={data.title} readOnly={readOnly} aria-label="Title" data-testid="node-title" onInput={(e) => set({ title: e.currentTarget.value })} />
        <button type="button" class="icon-button" aria-label="Close" data-testid="node-panel-close" onClick={props.onClose}>
          ×
        </button>
      </div>
      <div class="wf-panel-body">
        <input type="text" class="wf-desc" value={String(data.desc ?? "")} placeholder="Add a description…" readOnly={readOnly} aria-label="Description" onInput={(e) => set({ desc: e.currentTarget.value })} />
        {props.problems.length > 0 && (
          <div class="wf-panel-problems" role="alert" data-testid="node-panel-problems">
            {props.problems.map((p, i) => (
              <div key={i}>
                ⚠ {p.message}
                {p.field && p.field !== "data" && <span class="muted"> ({p.field.replace(/^data\./, "")})</span>}
              </div>
            ))}
          </div>
        )}
        {Form ? <Form data={data} set={set} options={options} innerOptions={innerOptions} nodeId={node.id} readOnly={readOnly} mode={props.mode} /> : <p class="muted small">This node is configured in the JSON below.</p>}
        {HANDLES_ERRORS.has(data.type) && (
          <Labelled label="On failure" hint={data.error_strategy === "fail-branch" ? "Adds a Fail branch beside Success." : undefined}>
            <Select
              value={String(data.error_strategy ?? "none")}
              options={[["none", "Stop the run"], ["fail-branch", "Take the fail branch"], ["default-value", "Use default values"]]}
              readOnly={readOnly}
              testId="error-strategy"
              onChange={(v) => set({ error_strategy: v === "none" ? undefined : v })}
            />
          </Labelled>
        )}
        <JsonData data={data} readOnly={readOnly} onChange={onChange} />
        {props.onMoveOut && !readOnly && (
          <button type="button" class="btn btn-small btn-ghost" data-testid="node-move-out" onClick={props.onMoveOut}>
            Move out of the {nodeKind(String(props.nodes.find((n) => n.id === node.parentId)?.data.type ?? "")).label.toLowerCase()}
          </button>
        )}
        {!readOnly && !["start", "end", "answer"].includes(data.type) && <SingleRun {...props} />}
      </div>
    </aside>
  );
}

function JsonData({ data, readOnly, onChange }: { data: NodeData; readOnly: boolean; onChange: (data: NodeData) => void }) {
  const sameType = (value: unknown) => ((value as NodeData).type === data.type ? null : `Must be an object with "type": "${data.type}".`);
  return (
    <details class="wf-json">
      <summary>Advanced: data as JSON</summary>
      <JsonField label="Node data" value={data} validate={sameType} readOnly={readOnly} rows={10} testId="node-json" onChange={(next) => onChange(next as NodeData)} />
    </details>
  );
}

/** Runs just this node on the saved draft with values typed in for each variable it reads. */
function SingleRun({ node, appId, beforeRun }: Props) {
  const references = useMemo(() => {
    const seen = new Set<string>();
    return findSelectorReferences(node.data)
      .map((r) => r.selector.slice(0, 2).join("."))
      .filter((key) => key.includes(".") && !seen.has(key) && (seen.add(key), true));
  }, [node.data]);
  const [values, setValues] = useState<Record<string, string>>({});
  const [result, setResult] = useState<Record<string, unknown> | null>(null);
  const [error, setError] = useState("");
  const [running, setRunning] = useState(false);
  const run = async () => {
    setRunning(true);
    setError("");
    setResult(null);
    try {
      if (!(await beforeRun())) throw new Error("Save the draft first.");
      const inputs = Object.fromEntries(references.map((key) => [key, parseLoose(values[key] ?? "")]));
      const response = await fetch(`/console/api/apps/${encodeURIComponent(appId)}/workflows/draft/nodes/${encodeURIComponent(node.id)}/run`, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ inputs }),
      });
      const payload = (await response.json()) as Record<string, unknown>;
      if (!response.ok) throw new ApiError(String(payload.code ?? "error"), String(payload.message ?? response.statusText), response.status);
      setResult(payload);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setRunning(false);
    }
  };
  return (
    <details class="wf-json" data-testid="single-run">
      <summary>Test this node</summary>
      {references.map((key) => (
        <Labelled key={key} label={key}>
          <TextInput value={values[key] ?? ""} placeholder="value (JSON or text)" onInput={(v) => setValues({ ...values, [key]: v })} />
        </Labelled>
      ))}
      <button type="button" class="btn btn-small" disabled={running} onClick={() => void run()} data-testid="single-run-start">
        {running ? "Running…" : "Run node"}
      </button>
      {error && <div class="error-text">{error}</div>}
      {result && (
        <div class="wf-run-detail small" data-testid="single-run-result">
          <div>
            <strong>{String(result.status)}</strong>
            {typeof result.elapsed_time === "number" && ` · ${formatSeconds(result.elapsed_time)}`}
          </div>
          {result.error ? <div class="error-text">{String(result.error)}</div> : null}
          <pre>{JSON.stringify(result.outputs ?? {}, null, 2)}</pre>
        </div>
      )}
    </details>
  );
}

/** Numbers, booleans, arrays and objects typed as JSON are sent as such; anything else as text. */
export function parseLoose(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed) return "";
  try {
    return JSON.parse(trimmed);
  } catch {
    return text;
  }
}
