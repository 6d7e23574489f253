import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { ApiError, api, errorMessage, type App, type Graph } from "../../api";
import { ErrorText } from "../../components/error-text";
import { JsonEditor } from "../../components/json-editor";
import { jsonProblem } from "../../json-text";
import { showToast } from "../../components/toast";
import { formatDateTime, isWorkflowMode } from "../../format";
import { canEditApps } from "../../session";
import { EMPTY_GRAPH, arrayProblem, environmentProblem, graphProblem, objectProblem, pretty } from "./draft-validation";

interface FieldSpec {
  key: string;
  label: string;
  testId: string;
  validate: (value: unknown) => string | null;
  rows: number;
  /** Shown under "More settings" rather than up front. */
  secondary?: boolean;
}

const WORKFLOW_FIELDS: FieldSpec[] = [
  { key: "graph", label: "Graph (nodes, edges, viewport)", testId: "draft-graph", validate: graphProblem, rows: 22 },
  { key: "environment_variables", label: "Environment variables", testId: "draft-env", validate: environmentProblem, rows: 8 },
  { key: "conversation_variables", label: "Conversation variables", testId: "draft-conversation-vars", validate: arrayProblem, rows: 6, secondary: true },
  { key: "features", label: "Features", testId: "draft-features", validate: objectProblem, rows: 8, secondary: true },
];

const MODEL_CONFIG_FIELDS: FieldSpec[] = [
  { key: "model_config", label: "Model configuration", testId: "draft-model-config", validate: objectProblem, rows: 24 },
];

export const CONFLICT_MESSAGE = "Someone else saved this draft; reload to get the latest.";

/**
 * The app's editable draft as JSON (the only editor for easy-mode apps; the "JSON" view of
 * workflows and chatflows). Saves carry the last known `hash`, so a save over someone
 * else's newer draft is refused (409) instead of silently overwriting it.
 */
export function JsonDraft({ app }: { app: App }) {
  const workflow = isWorkflowMode(app.mode);
  const fields = workflow ? WORKFLOW_FIELDS : MODEL_CONFIG_FIELDS;
  const texts = useSignal<Record<string, string>>({});
  const hash = useSignal<string | undefined>(undefined);
  const updatedAt = useSignal<number | undefined>(undefined);
  const loading = useSignal(true);
  const saving = useSignal(false);
  const dirty = useSignal(false);
  const error = useSignal("");
  const conflict = useSignal(false);
  const readOnly = !canEditApps.value;

  const load = async () => {
    loading.value = true;
    error.value = "";
    conflict.value = false;
    try {
      if (workflow) {
        const draft = await api.workflowDraft(app.id).catch(notFoundAs(null));
        texts.value = {
          graph: pretty(draft?.graph ?? EMPTY_GRAPH),
          environment_variables: pretty(draft?.environment_variables ?? []),
          conversation_variables: pretty(draft?.conversation_variables ?? []),
          features: pretty(draft?.features ?? {}),
        };
        hash.value = draft?.hash;
        updatedAt.value = draft?.updated_at;
      } else {
        const draft = await api.modelConfig(app.id).catch(notFoundAs(null));
        texts.value = { model_config: pretty(draft?.model_config ?? {}) };
        hash.value = draft?.hash;
        updatedAt.value = draft?.updated_at;
      }
      dirty.value = false;
    } catch (caught) {
      error.value = errorMessage(caught);
    } finally {
      loading.value = false;
    }
  };

  useEffect(() => {
    void load();
  }, [app.id]);

  // A reload or closed tab would drop unsaved JSON without a word.
  useEffect(() => {
    if (!dirty.value) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty.value]);

  const problems = fields.map((f) => jsonProblem(texts.value[f.key] ?? "", f.validate)).filter(Boolean);

  const save = async () => {
    if (problems.length > 0 || saving.value || readOnly) return;
    saving.value = true;
    error.value = "";
    conflict.value = false;
    const value = (key: string) => JSON.parse(texts.value[key]);
    try {
      const result = workflow
        ? await api.saveWorkflowDraft(app.id, {
            graph: value("graph") as Graph,
            environment_variables: value("environment_variables"),
            conversation_variables: value("conversation_variables"),
            features: value("features"),
            hash: hash.value,
          })
        : await api.saveModelConfig(app.id, { model_config: value("model_config"), hash: hash.value });
      hash.value = result.hash;
      updatedAt.value = result.updated_at;
      dirty.value = false;
      showToast("Draft saved");
    } catch (caught) {
      if (caught instanceof ApiError && (caught.code === "draft_workflow_not_sync" || caught.status === 409)) conflict.value = true;
      else error.value = errorMessage(caught);
    } finally {
      saving.value = false;
    }
  };

  if (loading.value) return <p class="muted">Loading draft…</p>;

  const editor = (f: FieldSpec) => (
    <JsonEditor
      key={f.key}
      label={f.label}
      testId={f.testId}
      rows={f.rows}
      readOnly={readOnly}
      validate={f.validate}
      value={texts.value[f.key] ?? ""}
      onInput={(text) => {
        texts.value = { ...texts.value, [f.key]: text };
        dirty.value = true;
      }}
    />
  );

  return (
    <div class="card" onKeyDown={(e) => (e.ctrlKey || e.metaKey) && e.key === "s" && (e.preventDefault(), void save())}>
      <div class="card-header">
        <div>
          <h2>Draft</h2>
          <p class="muted small" data-testid="draft-meta">
            {workflow ? "The workflow graph as JSON, in Dify's format." : "The prompt, model and features as JSON."}{" "}
            {updatedAt.value ? `Last saved ${formatDateTime(updatedAt.value)}.` : "Not saved yet."}
            {dirty.value && <strong class="unsaved"> Unsaved changes.</strong>}
          </p>
        </div>
        {!readOnly && (
          <button type="button" class="btn btn-primary" data-testid="save-draft" disabled={problems.length > 0 || saving.value} onClick={() => void save()}>
            {saving.value ? "Saving…" : "Save draft"}
          </button>
        )}
      </div>
      {conflict.value && (
        <div class="banner banner-warning" role="alert" data-testid="draft-conflict">
          <span>{CONFLICT_MESSAGE}</span>
          <button type="button" class="btn btn-small" data-testid="reload-draft" onClick={() => void load()}>
            Reload
          </button>
        </div>
      )}
      <ErrorText message={error.value} testId="draft-error" />
      {fields.filter((f) => !f.secondary).map(editor)}
      {fields.some((f) => f.secondary) && (
        <details class="more-settings">
          <summary>More settings (conversation variables, features)</summary>
          {fields.filter((f) => f.secondary).map(editor)}
        </details>
      )}
    </div>
  );
}

/** A missing draft (a new app) starts empty rather than failing. */
function notFoundAs<T>(fallback: T) {
  return (caught: unknown): T => {
    if (caught instanceof ApiError && caught.status === 404) return fallback;
    throw caught;
  };
}
