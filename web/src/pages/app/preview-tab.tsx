import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { api, errorMessage, type App } from "../../api";
import { ErrorText } from "../../components/error-text";
import { streamRun, type RunEvent } from "../../editor/run-stream";

interface FormField {
  variable: string;
  label: string;
  required: boolean;
  type: string;
  options?: string[];
}

interface Thought {
  id: string;
  tool: string;
  tool_input: string;
  observation: string;
}

interface Turn {
  query: string;
  /** The message the answer became (text generators offer "More like this" of it). */
  messageId?: string;
  /** Set on a "More like this" answer. */
  label?: string;
  answer: string;
  thoughts: Thought[];
  error?: string;
  tokens?: number;
  price?: string;
  running: boolean;
}

/** The input form of the draft: an easy-mode app's `user_input_form`, a chatflow's start variables. */
function formFields(app: App, draft: { model_config?: Record<string, unknown>; graph?: { nodes: unknown[] } }): FormField[] {
  if (app.mode === "advanced-chat") {
    const start = (draft.graph?.nodes as Array<{ data?: { type?: string; variables?: Array<Record<string, unknown>> } }> | undefined)?.find((node) => node.data?.type === "start");
    return (start?.data?.variables ?? []).map((variable) => ({
      variable: String(variable.variable),
      label: String(variable.label ?? variable.variable),
      required: Boolean(variable.required),
      type: String(variable.type ?? "text-input"),
      options: Array.isArray(variable.options) ? (variable.options as string[]) : undefined,
    }));
  }
  const form = (draft.model_config?.user_input_form as Array<Record<string, Record<string, unknown>>> | undefined) ?? [];
  return form.flatMap((item) => {
    const [type, spec] = Object.entries(item)[0] ?? [];
    if (!type || !spec || typeof spec.variable !== "string") return [];
    return [{ variable: spec.variable, label: String(spec.label ?? spec.variable), required: Boolean(spec.required), type, options: Array.isArray(spec.options) ? (spec.options as string[]) : undefined }];
  });
}

function debugUrl(app: App): string {
  const base = `/console/api/apps/${encodeURIComponent(app.id)}`;
  if (app.mode === "advanced-chat") return `${base}/advanced-chat/workflows/draft/run`;
  if (app.mode === "completion") return `${base}/completion-messages`;
  return `${base}/chat-messages`;
}

/** Dify's opening statement and starter questions, from an easy-mode config or chatflow features. */
function conversationStart(features: Record<string, unknown>): { opening: string; starters: string[] } {
  return {
    opening: typeof features.opening_statement === "string" ? features.opening_statement : "",
    starters: Array.isArray(features.suggested_questions) ? features.suggested_questions.filter((q): q is string => typeof q === "string" && q.trim() !== "") : [],
  };
}

export interface PreviewProps {
  app: App;
  /**
   * The easy-mode config being edited beside the chat: its inputs and opening statement are shown
   * as they are now, instead of as loaded once from the server.
   */
  modelConfig?: Record<string, unknown>;
  /** Saves the edited draft before a message is sent; false (a conflict, an error) stops the send. */
  beforeRun?: () => Promise<boolean>;
}

/**
 * Talks to the app's draft as a user would: an input form, then a chat (or, for text generators,
 * one completion per run) streamed from the console's debug routes, with tool calls of agents and
 * the usage of each answer. "Restart" starts a new conversation. Also the debug chat beside the
 * easy-mode editor.
 */
export function PreviewTab({ app, modelConfig, beforeRun }: PreviewProps) {
  const fields = useSignal<FormField[]>([]);
  const inputs = useSignal<Record<string, string>>({});
  const turns = useSignal<Turn[]>([]);
  const query = useSignal("");
  const conversationId = useSignal<string | null>(null);
  const taskId = useSignal<string | null>(null);
  const error = useSignal("");
  const busy = useSignal(false);
  /** The features a conversation starts with: the assistant's first message and starter questions. */
  const opening = useSignal("");
  const starters = useSignal<string[]>([]);
  const bottom = useRef<HTMLDivElement>(null);
  const completion = app.mode === "completion";
  /** A text generator with Dify's `more_like_this` feature on. */
  const moreLikeThis = useSignal(false);

  useEffect(() => {
    if (!modelConfig) return;
    fields.value = formFields(app, { model_config: modelConfig });
    moreLikeThis.value = completion && (modelConfig.more_like_this as { enabled?: unknown } | undefined)?.enabled === true;
    ({ opening: opening.value, starters: starters.value } = conversationStart(modelConfig));
  }, [modelConfig]);

  useEffect(() => {
    if (modelConfig) return;
    const load = async () => {
      try {
        const draft = app.mode === "advanced-chat" ? await api.workflowDraft(app.id) : await api.modelConfig(app.id);
        fields.value = formFields(app, draft as never);
        const features = ((app.mode === "advanced-chat" ? (draft as { features?: unknown }).features : (draft as { model_config?: unknown }).model_config) ?? {}) as Record<string, unknown>;
        ({ opening: opening.value, starters: starters.value } = conversationStart(features));
        moreLikeThis.value = completion && (features.more_like_this as { enabled?: unknown } | undefined)?.enabled === true;
      } catch (caught) {
        error.value = errorMessage(caught);
      }
    };
    void load();
  }, [app.id]);

  useEffect(() => bottom.current?.scrollIntoView?.({ block: "end" }), [turns.value]);

  const update = (index: number, change: (turn: Turn) => Turn) => {
    turns.value = turns.value.map((turn, at) => (at === index ? change(turn) : turn));
  };

  const send = (event: Event) => {
    event.preventDefault();
    void ask(query.value.trim());
  };

  const ask = async (text: string) => {
    if (busy.value || (!completion && !text)) return;
    const missing = fields.value.find((field) => field.required && !inputs.value[field.variable]?.trim());
    if (missing && !conversationId.value) {
      error.value = `${missing.label} is required.`;
      return;
    }
    if (!(await begin())) return;
    query.value = "";
    await streamTurn({ query: completion ? "" : text, answer: "", thoughts: [], running: true }, debugUrl(app), { query: text, inputs: inputs.value, conversation_id: conversationId.value, response_mode: "streaming" });
  };

  /** Marks the preview busy and saves the edited draft first; false, with the reason shown, when it could not. */
  const begin = async (): Promise<boolean> => {
    error.value = "";
    busy.value = true;
    if (!beforeRun || (await beforeRun())) return true;
    error.value = "The draft could not be saved, so it was not run; see the message above.";
    busy.value = false;
    return false;
  };

  /** "More like this" of a text generator's answer: the same inputs again, as a new answer below. */
  const more = async (turn: Turn) => {
    if (busy.value || !turn.messageId || !(await begin())) return;
    const url = `/console/api/apps/${encodeURIComponent(app.id)}/completion-messages/${encodeURIComponent(turn.messageId)}/more-like-this?response_mode=streaming`;
    await streamTurn({ query: "", label: "More like this", answer: "", thoughts: [], running: true }, url, undefined);
  };

  /** Adds a turn and fills it from the stream of `url` (POSTing `body`, or a GET without one). */
  const streamTurn = async (start: Turn, url: string, body: unknown) => {
    const index = turns.value.length;
    turns.value = [...turns.value, start];
    const onEvent = (frame: RunEvent) => {
      if (typeof frame.task_id === "string") taskId.value = frame.task_id;
      if (typeof frame.conversation_id === "string" && !completion) conversationId.value = frame.conversation_id;
      if (typeof frame.message_id === "string") update(index, (turn) => (turn.messageId === frame.message_id ? turn : { ...turn, messageId: String(frame.message_id) }));
      if (frame.event === "message" || frame.event === "agent_message") update(index, (turn) => ({ ...turn, answer: turn.answer + String(frame.answer ?? "") }));
      else if (frame.event === "message_replace") update(index, (turn) => ({ ...turn, answer: String(frame.answer ?? "") }));
      else if (frame.event === "agent_thought" && frame.tool) {
        update(index, (turn) => ({ ...turn, thoughts: [...turn.thoughts, { id: String(frame.id), tool: String(frame.tool), tool_input: String(frame.tool_input ?? ""), observation: String(frame.observation ?? "") }] }));
      } else if (frame.event === "message_end") {
        const usage = (frame.metadata as { usage?: { total_tokens?: number; total_price?: string; currency?: string } } | undefined)?.usage;
        update(index, (turn) => ({ ...turn, tokens: usage?.total_tokens, price: usage ? `${usage.total_price} ${usage.currency}` : undefined }));
      } else if (frame.event === "error") update(index, (turn) => ({ ...turn, error: String(frame.message ?? "The run failed.") }));
    };
    try {
      await streamRun(url, body, onEvent);
    } catch (caught) {
      update(index, (turn) => ({ ...turn, error: errorMessage(caught) }));
    } finally {
      update(index, (turn) => ({ ...turn, running: false }));
      busy.value = false;
      taskId.value = null;
    }
  };

  const stop = async () => {
    if (!taskId.value) return;
    await fetch(`/console/api/apps/${encodeURIComponent(app.id)}/chat-messages/${encodeURIComponent(taskId.value)}/stop`, { method: "POST", credentials: "same-origin" });
  };

  const restart = () => {
    conversationId.value = null;
    turns.value = [];
    error.value = "";
  };

  return (
    <div class="preview" data-testid="preview">
      <p class="muted">
        {modelConfig ? "Runs the draft as edited here (it is saved first)." : "Runs the draft, as saved, through the console's debug API."} {completion ? "Each run is one completion." : "Messages continue the same conversation until you restart."}
      </p>
      {fields.value.length > 0 && (
        <fieldset class="preview-inputs" disabled={Boolean(conversationId.value)}>
          <legend>Inputs</legend>
          {fields.value.map((field) => (
            <label key={field.variable}>
              {field.label}
              {field.required && " *"}
              {field.options ? (
                <select value={inputs.value[field.variable] ?? ""} onChange={(e) => (inputs.value = { ...inputs.value, [field.variable]: (e.target as HTMLSelectElement).value })} data-testid={`preview-input-${field.variable}`}>
                  <option value="">—</option>
                  {field.options.map((option) => (
                    <option key={option} value={option}>
                      {option}
                    </option>
                  ))}
                </select>
              ) : field.type === "paragraph" ? (
                <textarea rows={3} value={inputs.value[field.variable] ?? ""} onInput={(e) => (inputs.value = { ...inputs.value, [field.variable]: e.currentTarget.value })} data-testid={`preview-input-${field.variable}`} />
              ) : (
                <input type={(field.type === "number" ? "number" : "text") as "text"} value={inputs.value[field.variable] ?? ""} onInput={(e) => (inputs.value = { ...inputs.value, [field.variable]: (e.target as HTMLInputElement).value })} data-testid={`preview-input-${field.variable}`} />
              )}
            </label>
          ))}
        </fieldset>
      )}
      <div class="preview-turns" data-testid="preview-turns">
        {!completion && opening.value && (
          <div class="bubble assistant" data-testid="preview-opening">
            {opening.value}
          </div>
        )}
        {!completion && turns.value.length === 0 && starters.value.length > 0 && (
          <div class="preview-starters">
            {starters.value.map((question) => (
              <button key={question} type="button" class="btn btn-small" disabled={busy.value} onClick={() => void ask(question)} data-testid="preview-suggested-question">
                {question}
              </button>
            ))}
          </div>
        )}
        {turns.value.map((turn, index) => (
          <div key={index} class="preview-turn">
            {turn.query && (
              <div class="bubble user" data-testid="preview-query">
                {turn.query}
              </div>
            )}
            {turn.label && <div class="muted small">{turn.label}</div>}
            {turn.thoughts.map((thought) => (
              <details key={thought.id} class="preview-thought" data-testid="preview-thought">
                <summary>Used {thought.tool}</summary>
                <pre>{thought.tool_input}</pre>
                <pre>{thought.observation}</pre>
              </details>
            ))}
            <div class={turn.error ? "bubble assistant failed" : "bubble assistant"} data-testid="preview-answer">
              {turn.answer || (turn.running ? "…" : "")}
              {turn.error && <ErrorText message={turn.error} testId="preview-error" />}
            </div>
            {turn.tokens !== undefined && (
              <div class="muted small" data-testid="preview-usage">
                {turn.tokens} tokens · {turn.price}
              </div>
            )}
            {moreLikeThis.value && turn.messageId && !turn.running && !turn.error && (
              <button type="button" class="btn btn-small" disabled={busy.value} onClick={() => void more(turn)} data-testid="preview-more-like-this">
                More like this
              </button>
            )}
          </div>
        ))}
        <div ref={bottom} />
      </div>
      {error.value && <ErrorText message={error.value} testId="preview-form-error" />}
      <form class="preview-composer" onSubmit={send}>
        {!completion && (
          <input
            type="text"
            value={query.value}
            onInput={(e) => (query.value = (e.target as HTMLInputElement).value)}
            placeholder="Send a message"
            aria-label="Message"
            data-testid="preview-message"
          />
        )}
        <button type="submit" class="btn btn-primary" disabled={busy.value} data-testid="preview-send">
          {completion ? "Run" : "Send"}
        </button>
        {busy.value && (
          <button type="button" class="btn" onClick={stop} data-testid="preview-stop">
            Stop
          </button>
        )}
        {!completion && (
          <button type="button" class="btn" onClick={restart} disabled={busy.value} data-testid="preview-restart">
            Restart
          </button>
        )}
      </form>
    </div>
  );
}
