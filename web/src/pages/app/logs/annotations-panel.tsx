import { useEffect, useState } from "preact/hooks";
import { annotationApi, type Annotation, type AnnotationReplySetting } from "../../../access-api";
import { errorMessage, type App } from "../../../api";
import { confirmAction } from "../../../components/confirm-dialog";
import { ErrorText } from "../../../components/error-text";
import { showToast } from "../../../components/toast";
import { formatDateTime } from "../../../format";
import { loadEmbeddingOptions } from "../../knowledge/embedding-options";
import type { ModelOption } from "../../model-providers/model-options";

const PAGE = 20;
/** The platform's built-in lexical embedder, which needs no provider. */
const BUILT_IN = { provider: "waggle", model: "hashing-lexical-v1" };
const BUILT_IN_VALUE = `${BUILT_IN.provider}/${BUILT_IN.model}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A chat app's annotations (Dify's Logs → Annotations): curated answers that, with annotation
 * reply on, answer a close enough question without calling the model.
 */
export function AnnotationsPanel({ app }: { app: App }) {
  const [list, setList] = useState<{ data: Annotation[]; has_more: boolean; total: number } | null>(null);
  const [page, setPage] = useState(1);
  const [keyword, setKeyword] = useState("");
  const [error, setError] = useState("");
  const [editing, setEditing] = useState<Annotation | "new" | null>(null);

  const load = async (nextPage = page, nextKeyword = keyword) => {
    try {
      setList(await annotationApi.list(app.id, { page: nextPage, limit: PAGE, keyword: nextKeyword.trim() || undefined }));
      setError("");
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };

  useEffect(() => {
    void load(page, keyword);
  }, [app.id, page]);

  return (
    <div class="stack" data-testid="annotations-panel">
      <ReplySettingCard app={app} />
      <div class="card">
        <div class="card-header">
          <div>
            <h2>Annotations</h2>
            <p class="muted small">Questions with the answer the app gives them, word for word, once annotation reply is on.</p>
          </div>
          <button type="button" class="btn btn-primary" data-testid="annotation-add" onClick={() => setEditing("new")}>
            + Add annotation
          </button>
        </div>
        <form
          class="row gap"
          onSubmit={(event) => {
            event.preventDefault();
            setPage(1);
            void load(1, keyword);
          }}
        >
          <input type="search" placeholder="Search questions and answers" data-testid="annotation-search" value={keyword} onInput={(event) => setKeyword(event.currentTarget.value)} />
          <button type="submit" class="btn">
            Search
          </button>
        </form>
        <ErrorText message={error} testId="annotations-error" />
        {editing && (
          <AnnotationForm
            app={app}
            annotation={editing === "new" ? null : editing}
            onDone={(saved) => {
              setEditing(null);
              if (saved) void load();
            }}
          />
        )}
        {!list && !error && <p class="muted">Loading…</p>}
        {list && list.data.length === 0 && (
          <p class="muted" data-testid="annotations-empty">
            {keyword.trim() ? "No annotation matches." : "No annotations yet. Add one, or annotate an answer from a conversation."}
          </p>
        )}
        {list && list.data.length > 0 && (
          <table class="table" data-testid="annotation-list">
            <thead>
              <tr>
                <th>Question</th>
                <th>Answer</th>
                <th>Hits</th>
                <th>Added</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.data.map((annotation) => (
                <tr key={annotation.id} data-testid="annotation-row" data-annotation-id={annotation.id}>
                  <td data-testid="annotation-question">{annotation.question}</td>
                  <td data-testid="annotation-answer">{annotation.answer}</td>
                  <td data-testid="annotation-hits">{annotation.hit_count}</td>
                  <td class="muted small">{formatDateTime(annotation.created_at)}</td>
                  <td class="row gap">
                    <button type="button" class="btn btn-small" data-testid="annotation-edit" onClick={() => setEditing(annotation)}>
                      Edit
                    </button>
                    <button
                      type="button"
                      class="btn btn-small btn-danger-outline"
                      data-testid="annotation-delete"
                      onClick={() =>
                        confirmAction({
                          title: "Delete annotation",
                          message: `Delete the annotation for “${annotation.question}”?`,
                          confirmLabel: "Delete",
                          danger: true,
                          action: async () => {
                            await annotationApi.remove(app.id, annotation.id);
                            showToast("Annotation deleted");
                            await load();
                          },
                        })
                      }
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {list && (page > 1 || list.has_more) && (
          <div class="row gap">
            <button type="button" class="btn btn-small" disabled={page === 1} onClick={() => setPage(page - 1)}>
              ← Newer
            </button>
            <span class="muted small">
              Page {page} of {Math.max(1, Math.ceil(list.total / PAGE))}
            </span>
            <button type="button" class="btn btn-small" disabled={!list.has_more} onClick={() => setPage(page + 1)}>
              Older →
            </button>
          </div>
        )}
      </div>
    </div>
  );
}

function AnnotationForm({ app, annotation, onDone }: { app: App; annotation: Annotation | null; onDone: (saved: boolean) => void }) {
  const [question, setQuestion] = useState(annotation?.question ?? "");
  const [answer, setAnswer] = useState(annotation?.answer ?? "");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    setError("");
    try {
      if (annotation) await annotationApi.update(app.id, annotation.id, { question, answer });
      else await annotationApi.create(app.id, { question, answer });
      showToast(annotation ? "Annotation saved" : "Annotation added");
      onDone(true);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      class="stack annotation-form"
      data-testid="annotation-form"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <label class="field">
        <span class="field-label">Question</span>
        <textarea rows={2} data-testid="annotation-form-question" value={question} onInput={(event) => setQuestion(event.currentTarget.value)} />
      </label>
      <label class="field">
        <span class="field-label">Answer</span>
        <textarea rows={3} data-testid="annotation-form-answer" value={answer} onInput={(event) => setAnswer(event.currentTarget.value)} />
      </label>
      <ErrorText message={error} testId="annotation-form-error" />
      <div class="row gap">
        <button type="submit" class="btn btn-primary" data-testid="annotation-form-save" disabled={busy}>
          {annotation ? "Save" : "Add"}
        </button>
        <button type="button" class="btn" onClick={() => onDone(false)} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Annotation reply: on (with a similarity threshold and an embedding model) or off; both run as a job. */
function ReplySettingCard({ app }: { app: App }) {
  const [setting, setSetting] = useState<AnnotationReplySetting | null>(null);
  const [options, setOptions] = useState<ModelOption[]>([]);
  const [model, setModel] = useState(BUILT_IN_VALUE);
  const [threshold, setThreshold] = useState("0.9");
  const [error, setError] = useState("");
  const [working, setWorking] = useState(false);

  const reload = async () => {
    const next = await annotationApi.setting(app.id);
    setSetting(next);
    if (next.score_threshold !== undefined) setThreshold(String(next.score_threshold));
    const current = next.embedding_model;
    if (current?.embedding_model_name) setModel(`${current.embedding_provider_name}/${current.embedding_model_name}`);
  };

  useEffect(() => {
    reload().catch((caught) => setError(errorMessage(caught)));
    loadEmbeddingOptions()
      .then(({ options: found, defaultValue }) => {
        setOptions(found);
        setModel((chosen) => (chosen === BUILT_IN_VALUE && defaultValue ? defaultValue : chosen));
      })
      .catch(() => setOptions([]));
  }, [app.id]);

  const run = async (action: "enable" | "disable") => {
    const score = Number(threshold);
    if (action === "enable" && !(score >= 0 && score <= 1)) return setError("The threshold is a similarity between 0 and 1, such as 0.9.");
    const chosen = options.find((option) => option.value === model) ?? BUILT_IN;
    setWorking(true);
    setError("");
    try {
      const job = await annotationApi.replyAction(app.id, action, { score_threshold: score, embedding_provider_name: chosen.provider, embedding_model_name: chosen.model });
      let status = job.job_status;
      for (let tries = 0; status !== "completed" && status !== "error" && tries < 120; tries += 1) {
        await sleep(500);
        const polled = await annotationApi.replyStatus(app.id, action, job.job_id);
        status = polled.job_status;
        if (status === "error") throw new Error(polled.error_msg || "The job failed.");
      }
      await reload();
      showToast(action === "enable" ? "Annotation reply on" : "Annotation reply off");
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setWorking(false);
    }
  };

  const on = Boolean(setting?.enabled);
  return (
    <div class="card" data-testid="annotation-reply" data-enabled={setting ? String(on) : undefined}>
      <div class="card-header">
        <div>
          <h2>Annotation reply</h2>
          <p class="muted small">{on ? "On: a question close enough to an annotation gets its answer without calling the model." : "Off: annotations are kept but not used to answer."}</p>
        </div>
      </div>
      <div class="row gap wrap" style={{ alignItems: "flex-end" }}>
        <label class="field">
          <span class="field-label">Similarity threshold</span>
          <input type="text" inputMode="decimal" data-testid="annotation-threshold" value={threshold} onInput={(event) => setThreshold(event.currentTarget.value)} />
        </label>
        <label class="field">
          <span class="field-label">Embedding model</span>
          <select data-testid="annotation-embedding" value={model} onChange={(event) => setModel(event.currentTarget.value)}>
            <option value={BUILT_IN_VALUE}>Built-in embedder (matches shared words)</option>
            {options.map((option) => (
              <option key={option.value} value={option.value}>
                {option.providerLabel} / {option.model}
              </option>
            ))}
          </select>
        </label>
        <button type="button" class={on ? "btn" : "btn btn-primary"} data-testid="annotation-reply-toggle" disabled={working || !setting} onClick={() => void run(on ? "disable" : "enable")}>
          {working ? "Working…" : on ? "Turn off" : "Turn on"}
        </button>
        {on && (
          <button type="button" class="btn" data-testid="annotation-reply-update" disabled={working} onClick={() => void run("enable")}>
            Apply changes
          </button>
        )}
      </div>
      <ErrorText message={error} testId="annotation-reply-error" />
    </div>
  );
}
