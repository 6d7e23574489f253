/**
 * Run the draft: an input form from the start node's variables, then the run as it streams —
 * the result, and each node's status, time, inputs, outputs and error. Failed runs can be retried
 * from the failed node. A chatflow's runs are turns of one conversation (Dify's "Debug and
 * Preview"): earlier turns are listed, conversation variables and memory carry over, and "New
 * conversation" starts again.
 */
import { useRef, useState } from "preact/hooks";
import type { App } from "../api";
import { currentRun } from "./editor-signals";
import { Labelled } from "./form-controls";
import type { FlowNode } from "./graph-model";
import { parseLoose } from "./node-panel";
import { nodeKind } from "./node-catalog";
import { IDLE_RUN, applyRunEvent, settleRun, traceTimeline } from "./run-state";
import { streamRun } from "./run-stream";
import { formatSeconds } from "./workflow-node";
import { RunHistory } from "./run-history";

type Item = Record<string, unknown>;

interface Props {
  app: App;
  nodes: FlowNode[];
  beforeRun: () => Promise<boolean>;
  onClose: () => void;
}

export function RunPanel({ app, nodes, beforeRun, onClose }: Props) {
  const start = nodes.find((n) => n.data.type === "start");
  const variables = (Array.isArray(start?.data.variables) ? start.data.variables : []) as Item[];
  const chat = app.mode === "advanced-chat";
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const [query, setQuery] = useState("");
  const [error, setError] = useState("");
  const [open, setOpen] = useState<string | null>(null);
  const [conversationId, setConversationId] = useState<string | null>(null);
  // Earlier turns of the conversation; the latest one is the run shown below the form.
  const [turns, setTurns] = useState<{ query: string; answer: string; status: string }[]>([]);
  const latest = useRef<{ query: string; answer: string; status: string } | null>(null);
  const abort = useRef<AbortController | null>(null);
  const run = currentRun.value;
  const timeline = traceTimeline(run);
  const running = run.status === "running";

  const follow = async (url: string, body: unknown) => {
    setError("");
    currentRun.value = { ...IDLE_RUN, status: "running" };
    abort.current = new AbortController();
    try {
      await streamRun(
        url,
        body,
        (event) => {
          if (chat && typeof event.conversation_id === "string" && event.conversation_id) setConversationId(event.conversation_id);
          currentRun.value = applyRunEvent(currentRun.value, event);
        },
        abort.current.signal,
      );
      if (currentRun.value.status === "running") currentRun.value = { ...currentRun.value, status: "stopped" };
    } catch (caught) {
      if ((caught as Error).name !== "AbortError") setError((caught as Error).message);
      currentRun.value = { ...currentRun.value, status: currentRun.value.run_id ? "stopped" : "idle" };
    } finally {
      currentRun.value = settleRun(currentRun.value);
      abort.current = null;
    }
  };

  const start_ = async (event: Event) => {
    event.preventDefault();
    if (running) return;
    if (!(await beforeRun())) {
      setError("The draft could not be saved, so it was not run.");
      return;
    }
    const inputs: Record<string, unknown> = {};
    for (const v of variables) {
      const name = String(v.variable ?? "");
      const raw = values[name];
      if (raw === undefined || raw === "") continue;
      inputs[name] = v.type === "number" ? Number(raw) : v.type === "json_object" && typeof raw === "string" ? parseLoose(raw) : raw;
    }
    if (!chat) return follow(`/console/api/apps/${encodeURIComponent(app.id)}/workflows/draft/run`, { inputs });
    const asked = query;
    const previous = latest.current;
    if (previous) setTurns((list) => [...list, previous]);
    latest.current = null;
    setQuery("");
    await follow(`/console/api/apps/${encodeURIComponent(app.id)}/advanced-chat/workflows/draft/run`, { inputs, query: asked, conversation_id: conversationId, response_mode: "streaming" });
    latest.current = { query: asked, answer: currentRun.value.text, status: currentRun.value.status };
  };

  const newConversation = () => {
    setConversationId(null);
    setTurns([]);
    latest.current = null;
    currentRun.value = IDLE_RUN;
  };

  const retry = () => run.run_id && void follow(`/console/api/apps/${encodeURIComponent(app.id)}/workflow-runs/${encodeURIComponent(run.run_id)}/retry`, {});

  return (
    <aside class="wf-panel wf-run-panel" data-testid="run-panel" aria-label="Run the draft">
      <div class="wf-panel-head">
        <strong class="grow">Test run</strong>
        <button type="button" class="icon-button" aria-label="Close" data-testid="run-close" onClick={onClose}>
          ×
        </button>
      </div>
      <div class="wf-panel-body">
        {chat && turns.length > 0 && (
          <ol class="wf-turns" data-testid="run-turns" aria-label="This conversation">
            {turns.map((turn, index) => (
              <li key={index} class="wf-turn" data-testid="run-turn">
                <div class="wf-turn-query">{turn.query}</div>
                <div class={turn.status === "succeeded" ? "wf-turn-answer" : "wf-turn-answer failed"}>{turn.answer || (turn.status === "succeeded" ? "(no answer)" : turn.status)}</div>
              </li>
            ))}
          </ol>
        )}
        <form class="form" onSubmit={(e) => void start_(e)}>
          {chat && (
            <Labelled label={turns.length ? "Next message (sys.query)" : "Message (sys.query)"}>
              <textarea rows={2} value={query} data-testid="run-query" onInput={(e) => setQuery(e.currentTarget.value)} />
            </Labelled>
          )}
          {variables.map((v) => {
            const name = String(v.variable ?? "");
            const label = `${String(v.label || name)}${v.required ? " *" : ""}`;
            const value = values[name];
            const set = (next: string | boolean) => setValues({ ...values, [name]: next });
            if (v.type === "checkbox")
              return (
                <label key={name} class="wf-check">
                  <input type="checkbox" checked={Boolean(value)} onChange={(e) => set(e.currentTarget.checked)} data-testid={`run-input-${name}`} /> {label}
                </label>
              );
            return (
              <Labelled key={name} label={label}>
                {v.type === "select" ? (
                  <select value={String(value ?? "")} onChange={(e) => set(e.currentTarget.value)} data-testid={`run-input-${name}`}>
                    <option value="">—</option>
                    {(Array.isArray(v.options) ? (v.options as string[]) : []).map((o) => (
                      <option key={o}>{o}</option>
                    ))}
                  </select>
                ) : v.type === "paragraph" || v.type === "json_object" ? (
                  <textarea rows={3} value={String(value ?? "")} onInput={(e) => set(e.currentTarget.value)} data-testid={`run-input-${name}`} />
                ) : v.type === "number" ? (
                  <input type="number" value={String(value ?? "")} onInput={(e) => set(e.currentTarget.value)} data-testid={`run-input-${name}`} />
                ) : (
                  <input type="text" value={String(value ?? "")} onInput={(e) => set(e.currentTarget.value)} data-testid={`run-input-${name}`} />
                )}
              </Labelled>
            );
          })}
          <div class="row gap">
            <button type="submit" class="btn btn-primary btn-small" disabled={running} data-testid="run-start">
              {running ? "Running…" : chat ? "▶ Send" : "▶ Start run"}
            </button>
            {running && (
              <button type="button" class="btn btn-small" onClick={() => abort.current?.abort()} data-testid="run-stop-watching">
                Stop watching
              </button>
            )}
            {chat && conversationId && !running && (
              <button type="button" class="btn btn-small btn-ghost" onClick={newConversation} data-testid="run-new-conversation">
                New conversation
              </button>
            )}
            {(run.status === "failed" || run.status === "stopped") && run.run_id && (
              <button type="button" class="btn btn-small" onClick={retry} data-testid="run-retry">
                Retry from failed node
              </button>
            )}
          </div>
        </form>
        {error && (
          <div class="error-text" role="alert" data-testid="run-error">
            {error}
          </div>
        )}
        {run.status !== "idle" && (
          <div class="wf-run-result" data-testid="run-result" data-status={run.status}>
            <div class={`wf-run-status status-${run.status}`} data-testid="run-status">
              <span class="wf-capital">{run.status}</span>
              {run.elapsed_time !== undefined && ` · ${formatSeconds(run.elapsed_time)}`}
              {run.total_tokens ? ` · ${run.total_tokens} tokens` : ""}
            </div>
            {run.error && <div class="error-text">{run.error}</div>}
            {run.text && (
              <div class="wf-run-text" data-testid="run-text">
                {run.text}
              </div>
            )}
            {run.outputs && (
              <pre class="wf-pre" data-testid="run-outputs">
                {JSON.stringify(run.outputs, null, 2)}
              </pre>
            )}
          </div>
        )}
        {run.order.length > 0 && (
          <div class="wf-trace" data-testid="run-trace">
            {run.order.map((id) => {
              const n = run.nodes[id];
              const bar = timeline[id];
              return (
                <div key={id} class="wf-trace-row" data-testid="trace-row" data-node-id={id}>
                  <button type="button" class={`wf-trace-head status-${n.status}`} onClick={() => setOpen(open === id ? null : id)} aria-expanded={open === id}>
                    <span class="grow">{n.title || nodeKind(n.node_type).label}</span>
                    <span>{n.status}</span>
                    {n.elapsed_time !== undefined && <span class="muted">{formatSeconds(n.elapsed_time)}</span>}
                  </button>
                  {bar && (
                    <div class="wf-trace-lane" title={`Started ${formatSeconds(bar.offsetMs / 1000)} into the run${n.elapsed_time !== undefined ? `, took ${formatSeconds(n.elapsed_time)}` : ""}`}>
                      <div class={`wf-trace-bar status-${n.status}`} data-testid="trace-bar" style={{ marginLeft: `${bar.left}%`, width: `${bar.width}%` }} aria-hidden="true" />
                    </div>
                  )}
                  {open === id && (
                    <div class="wf-run-detail small">
                      {n.error && <div class="error-text">{n.error}</div>}
                      <div class="muted">Inputs</div>
                      <pre class="wf-pre">{JSON.stringify(n.inputs ?? {}, null, 2)}</pre>
                      <div class="muted">Outputs</div>
                      <pre class="wf-pre">{JSON.stringify(n.outputs ?? {}, null, 2)}</pre>
                    </div>
                  )}
                </div>
              );
            })}
          </div>
        )}
        <RunHistory appId={app.id} refreshKey={running ? "running" : run.run_id} />
      </div>
    </aside>
  );
}
