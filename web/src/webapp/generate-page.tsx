import { useRef, useState } from "preact/hooks";
import type { RunEvent, WebAppClient } from "./client";
import { InputForm, defaultValues } from "./input-form";
import { Markdown } from "./markdown-view";
import { inputFields, inputsToSend, missingInput, type Parameters, type SiteInfo } from "./types";

interface NodeStep {
  id: string;
  title: string;
  type: string;
  status: "running" | "succeeded" | "failed" | "stopped" | "exception" | string;
  elapsed?: number;
}

interface Props {
  client: WebAppClient;
  site: SiteInfo;
  parameters: Parameters;
  kind: "completion" | "workflow";
}

/** Shows a workflow's outputs: a single text output as markdown, anything else as JSON. */
function Outputs({ outputs }: { outputs: Record<string, unknown> }) {
  const entries = Object.entries(outputs);
  if (entries.length === 1 && typeof entries[0]![1] === "string") return <Markdown text={entries[0]![1] as string} />;
  return <pre class="wa-json">{JSON.stringify(outputs, null, 2)}</pre>;
}

/** One "More like this" answer: its text as it streams, and how it ended. */
interface Alternative {
  text: string;
  status: "running" | "succeeded" | "failed";
  error?: string;
}

/**
 * Dify's text generator (`/completion/{code}`) and workflow (`/workflow/{code}`) web apps: the input
 * form, Run and Stop, the streamed result and, for workflows, each node's progress. A text
 * generator with the `more_like_this` feature offers "More like this" under its result: the same
 * inputs again, more varied, listed below it.
 */
export function GeneratePage({ client, site, parameters, kind }: Props) {
  const fields = inputFields(parameters.user_input_form);
  const [inputs, setInputs] = useState<Record<string, unknown>>(() => defaultValues(fields));
  const [text, setText] = useState("");
  const [outputs, setOutputs] = useState<Record<string, unknown> | null>(null);
  const [steps, setSteps] = useState<NodeStep[]>([]);
  const [status, setStatus] = useState<"idle" | "running" | "succeeded" | "failed" | "stopped">("idle");
  const [error, setError] = useState("");
  const [reconnecting, setReconnecting] = useState(false);
  const [uploading, setUploading] = useState(0);
  const taskId = useRef("");
  const abort = useRef<AbortController | null>(null);
  const [messageId, setMessageId] = useState("");
  const [alternatives, setAlternatives] = useState<Alternative[]>([]);
  const moreLikeThis = kind === "completion" && parameters.more_like_this?.enabled === true;

  const generateMore = async () => {
    if (!messageId || alternatives.some((alternative) => alternative.status === "running")) return;
    const index = alternatives.length;
    const update = (change: (alternative: Alternative) => Alternative) => setAlternatives((list) => list.map((item, i) => (i === index ? change(item) : item)));
    setAlternatives((list) => [...list, { text: "", status: "running" }]);
    let ended = false;
    try {
      await client.streamGet(`/api/messages/${encodeURIComponent(messageId)}/more-like-this`, (event) => {
        if (event.event === "message") update((item) => ({ ...item, text: item.text + String(event.answer ?? "") }));
        else if (event.event === "message_replace") update((item) => ({ ...item, text: String(event.answer ?? "") }));
        else if (event.event === "message_end") ended = true;
        else if (event.event === "error") {
          ended = true;
          update((item) => ({ ...item, status: "failed", error: String(event.message ?? "The generation failed.") }));
        }
      });
      update((item) => (item.status === "running" ? { ...item, status: ended ? "succeeded" : "failed", error: ended ? undefined : "The answer stopped early." } : item));
    } catch (e) {
      update((item) => ({ ...item, status: "failed", error: (e as Error).message }));
    }
  };

  const run = async () => {
    if (uploading) return;
    const missing = missingInput(fields, inputs);
    if (missing) {
      setError(`Fill in “${missing.label}” first.`);
      return;
    }
    setError("");
    setText("");
    setMessageId("");
    setAlternatives([]);
    setOutputs(null);
    setSteps([]);
    setStatus("running");
    abort.current = new AbortController();
    let finished: "succeeded" | "failed" | "stopped" | null = null;
    const onEvent = (event: RunEvent) => {
      if (event.task_id) taskId.current = String(event.task_id);
      if (kind === "completion" && typeof event.message_id === "string") setMessageId(event.message_id);
      const data = (event.data ?? {}) as Record<string, unknown>;
      switch (event.event) {
        case "message":
          setText((current) => current + String(event.answer ?? ""));
          break;
        case "message_replace":
          setText(String(event.answer ?? ""));
          break;
        case "text_chunk":
          setText((current) => current + String(data.text ?? ""));
          break;
        case "node_started":
          setSteps((list) => [...list, { id: String(data.id ?? data.node_id), title: String(data.title ?? data.node_id), type: String(data.node_type ?? ""), status: "running" }]);
          break;
        case "node_finished":
          setSteps((list) => list.map((s) => (s.id === String(data.id ?? data.node_id) ? { ...s, status: String(data.status), elapsed: Number(data.elapsed_time ?? 0) } : s)));
          break;
        case "workflow_finished":
          finished = data.status === "succeeded" ? "succeeded" : data.status === "stopped" ? "stopped" : "failed";
          setOutputs((data.outputs as Record<string, unknown> | null) ?? {});
          if (data.error) setError(String(data.error));
          break;
        case "message_end":
          finished = "succeeded";
          break;
        case "error":
          finished = "failed";
          setError(String(event.message ?? "The run failed."));
          break;
      }
    };
    try {
      const path = kind === "workflow" ? "/api/workflows/run" : "/api/completion-messages";
      // A generation whose connection drops is picked up again; workflow runs have no resume route.
      const resume = kind === "completion" ? { eventsPath: (task: string) => `/api/completion-messages/${encodeURIComponent(task)}/events`, onReconnecting: (attempt: number) => setReconnecting(attempt > 0) } : undefined;
      await client.stream(path, { inputs: inputsToSend(fields, inputs), ...(kind === "completion" ? { query: "" } : {}) }, onEvent, abort.current.signal, resume);
      setStatus(finished ?? "succeeded");
    } catch (e) {
      if ((e as Error).name === "AbortError") setStatus("stopped");
      else {
        setError((e as Error).message);
        setStatus("failed");
      }
    } finally {
      setReconnecting(false);
      abort.current = null;
      taskId.current = "";
    }
  };

  const stop = async () => {
    const id = taskId.current;
    if (id) await client.post(kind === "workflow" ? `/api/workflows/tasks/${id}/stop` : `/api/completion-messages/${id}/stop`, {}).catch(() => undefined);
    abort.current?.abort();
  };

  const showSteps = kind === "workflow" && site.site.show_workflow_steps && steps.length > 0;
  return (
    <div class="wa-generate">
      <header class="wa-header">
        <span class="wa-app-icon" style={{ background: site.site.icon_background }}>
          {site.site.icon_type === "emoji" ? site.site.icon : "🤖"}
        </span>
        <h1>{site.site.title}</h1>
      </header>
      <div class="wa-columns">
        <section class="wa-panel">
          {site.site.description ? <p class="wa-muted">{site.site.description}</p> : null}
          <InputForm fields={fields} values={inputs} onChange={setInputs} disabled={status === "running"} upload={(file) => client.upload(file)} onUploading={setUploading} />
          <div class="wa-actions">
            <button type="button" class="wa-secondary" disabled={status === "running"} onClick={() => setInputs(defaultValues(fields))}>
              Clear
            </button>
            {status === "running" ? (
              <button type="button" class="wa-stop" onClick={stop}>
                ■ Stop
              </button>
            ) : (
              <button type="button" class="wa-send" disabled={uploading > 0} onClick={run}>
                Run
              </button>
            )}
          </div>
        </section>
        <section class="wa-panel wa-result" aria-live="polite" data-status={status}>
          {status === "idle" ? <p class="wa-muted">Fill in the form and press Run; the result appears here.</p> : null}
          {showSteps ? (
            <ol class="wa-steps" aria-label="Workflow progress">
              {steps.map((step) => (
                <li key={step.id} class={`wa-step wa-step-${step.status}`}>
                  <span class="wa-step-title">{step.title}</span>
                  <span class="wa-step-status">{step.status === "running" ? "running…" : `${step.status}${step.elapsed !== undefined ? ` · ${step.elapsed.toFixed(2)} s` : ""}`}</span>
                </li>
              ))}
            </ol>
          ) : null}
          {text ? <Markdown text={text} /> : outputs ? <Outputs outputs={outputs} /> : null}
          {status === "running" && !text && !outputs && !reconnecting ? <span class="wa-typing">•••</span> : null}
          {reconnecting ? (
            <p class="wa-reconnecting" role="status">
              Reconnecting…
            </p>
          ) : null}
          {status === "stopped" ? <p class="wa-muted">Stopped.</p> : null}
          {moreLikeThis && status === "succeeded" && messageId ? (
            <div class="wa-more">
              {alternatives.map((alternative, index) => (
                <div key={index} class="wa-alternative" data-status={alternative.status}>
                  <span class="wa-muted">More like this · {index + 1}</span>
                  {alternative.text ? <Markdown text={alternative.text} /> : alternative.status === "running" ? <span class="wa-typing">•••</span> : null}
                  {alternative.error ? (
                    <p class="wa-error" role="alert">
                      {alternative.error}
                    </p>
                  ) : null}
                </div>
              ))}
              <button type="button" class="wa-secondary" disabled={alternatives.some((alternative) => alternative.status === "running")} onClick={generateMore}>
                More like this
              </button>
            </div>
          ) : null}
          {error ? (
            <p class="wa-error" role="alert">
              {error}
            </p>
          ) : null}
        </section>
      </div>
      {site.site.custom_disclaimer ? <p class="wa-disclaimer">{site.site.custom_disclaimer}</p> : null}
    </div>
  );
}
