/**
 * The form editor of easy-mode apps (`chat`, `completion`, `agent-chat`), like Dify's
 * "Orchestrate" page: prompt, variables, model, knowledge, tools and features on the left, a
 * debug chat (or run form) of the draft on the right. Edits save themselves after a pause, with
 * the draft's hash, so a newer draft saved from another tab is reported instead of overwritten.
 * Its own chunk, loaded when an easy-mode draft is opened.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, api, errorMessage, type App } from "../../../api";
import { showToast } from "../../../components/toast";
import { FeatureFields } from "../../../editor/features-panel";
import { formatDateTime } from "../../../format";
import { canEditApps } from "../../../session";
import { PreviewTab } from "../preview-tab";
import type { ModelConfig } from "./easy-config";
import { KnowledgeSection, ModelSection, ToolsSection } from "./model-section";
import { PromptSection, VariablesSection } from "./prompt-section";
import "../../../editor/editor.css";
import "./easy-mode.css";

export const CONFLICT_MESSAGE = "Someone else saved this draft; reload to get the latest.";
const AUTOSAVE_MS = 1000;

const isConflict = (caught: unknown) => caught instanceof ApiError && (caught.code === "draft_workflow_not_sync" || caught.status === 409);

export function EasyModeEditor({ app, flushRef }: { app: App; flushRef?: { current: (() => Promise<boolean>) | null } }) {
  const readOnly = !canEditApps.value;
  const completion = app.mode === "completion";
  const [config, setConfig] = useState<ModelConfig | null>(null);
  const [loadError, setLoadError] = useState("");
  const [saveError, setSaveError] = useState("");
  const [conflict, setConflict] = useState(false);
  const [saving, setSaving] = useState(false);
  const [savedAt, setSavedAt] = useState<number | null>(null);
  const [, setTick] = useState(0);

  // Mirrors for the timer and the save that outlive a render.
  const configRef = useRef<ModelConfig | null>(null);
  const hash = useRef<string | undefined>(undefined);
  const dirtyVersion = useRef(0);
  const savedVersion = useRef(0);
  const saveTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const savingNow = useRef<Promise<boolean> | null>(null);
  const conflictRef = useRef(false);

  const load = async () => {
    setLoadError("");
    setSaveError("");
    setConflict(false);
    conflictRef.current = false;
    try {
      const draft = await api.modelConfig(app.id);
      hash.current = draft.hash;
      configRef.current = draft.model_config;
      dirtyVersion.current = savedVersion.current = 0;
      setSavedAt(draft.updated_at ?? null);
      setConfig(draft.model_config);
    } catch (caught) {
      setLoadError(errorMessage(caught));
    }
  };

  useEffect(() => {
    void load();
    return () => clearTimeout(saveTimer.current);
  }, [app.id]);

  /** Saves now if anything changed; false when it could not (a conflict or an error). */
  const save = async (): Promise<boolean> => {
    clearTimeout(saveTimer.current);
    if (savingNow.current) await savingNow.current;
    const current = configRef.current;
    if (!current || readOnly || conflictRef.current) return !conflictRef.current;
    const version = dirtyVersion.current;
    if (version === savedVersion.current) return true;
    const attempt = (async () => {
      setSaving(true);
      setSaveError("");
      try {
        const result = await api.saveModelConfig(app.id, { model_config: current, hash: hash.current });
        hash.current = result.hash;
        savedVersion.current = Math.max(savedVersion.current, version);
        setSavedAt(result.updated_at);
        return true;
      } catch (caught) {
        if (isConflict(caught)) {
          conflictRef.current = true;
          setConflict(true);
        } else setSaveError(errorMessage(caught));
        return false;
      } finally {
        setSaving(false);
        savingNow.current = null;
      }
    })();
    savingNow.current = attempt;
    return attempt;
  };
  if (flushRef) flushRef.current = save;

  const change = (next: ModelConfig) => {
    if (readOnly) return;
    configRef.current = next;
    setConfig(next);
    dirtyVersion.current += 1;
    setTick((t) => t + 1);
    clearTimeout(saveTimer.current);
    saveTimer.current = setTimeout(() => void save(), AUTOSAVE_MS);
  };

  // Leaving with unsaved changes: save on the way out when possible, and warn on reloads.
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (dirtyVersion.current !== savedVersion.current) event.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => {
      window.removeEventListener("beforeunload", warn);
      if (dirtyVersion.current !== savedVersion.current) void save();
    };
  }, []);

  if (loadError) {
    return (
      <div class="card">
        <p class="error-text" role="alert" data-testid="draft-error">
          {loadError}
        </p>
        <button type="button" class="btn" onClick={() => void load()}>
          Try again
        </button>
      </div>
    );
  }
  if (!config) return <p class="muted">Loading draft…</p>;

  const dirty = dirtyVersion.current !== savedVersion.current;
  const state = conflict ? "Not saved" : saving ? "Saving…" : dirty ? "Unsaved changes" : savedAt ? `All changes saved` : "Not saved yet";
  const sections = { config, onChange: change, readOnly };
  return (
    <div class="easy-editor" data-testid="easy-mode-editor" onKeyDown={(e) => (e.ctrlKey || e.metaKey) && e.key === "s" && (e.preventDefault(), void save().then((ok) => ok && showToast("Draft saved")))}>
      <div class="easy-form">
        <div class="easy-status">
          <span class="muted small" data-testid="save-state" title={savedAt ? `Last saved ${formatDateTime(savedAt)}` : undefined} aria-live="polite">
            {state}
          </span>
          {!readOnly && (
            <button type="button" class="btn btn-small" data-testid="save-draft" disabled={saving || conflict} onClick={() => void save().then((ok) => ok && showToast("Draft saved"))}>
              Save now
            </button>
          )}
        </div>
        {conflict && (
          <div class="banner banner-warning" role="alert" data-testid="draft-conflict">
            <span>{CONFLICT_MESSAGE}</span>
            <button type="button" class="btn btn-small" data-testid="reload-draft" onClick={() => void load()}>
              Reload
            </button>
          </div>
        )}
        {saveError && (
          <div class="error-text" role="alert" data-testid="draft-error">
            {saveError}
          </div>
        )}
        <PromptSection {...sections} completion={completion} />
        <VariablesSection {...sections} />
        <ModelSection {...sections} />
        <KnowledgeSection {...sections} completion={completion} />
        {app.mode === "agent-chat" && <ToolsSection {...sections} />}
        <section class="card easy-section" aria-labelledby="easy-features-title" data-testid="easy-features">
          <h3 id="easy-features-title">Features</h3>
          <FeatureFields appId={app.id} features={config} readOnly={readOnly} conversation={!completion} onChange={change} />
        </section>
      </div>
      <aside class="easy-debug card" aria-label={completion ? "Run the draft" : "Debug chat"} data-testid="easy-debug">
        <h3>{completion ? "Run" : "Debug and preview"}</h3>
        <PreviewTab app={app} modelConfig={config} beforeRun={save} />
      </aside>
    </div>
  );
}
