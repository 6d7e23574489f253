import type { Problem } from "./graph-problems";

interface Props {
  readOnly: boolean;
  canUndo: boolean;
  canRedo: boolean;
  /** "All changes saved", "Saving…" and so on. */
  state: string;
  saving: boolean;
  problems: Problem[];
  onUndo: () => void;
  onRedo: () => void;
  onLayout: () => void;
  onSave: () => void;
  onPublish: () => void;
  onRun: () => void;
  onEnvironment: () => void;
  onAddNote: () => void;
  /** Chatflows only: the app's features (opening statement, file upload…). */
  onFeatures?: () => void;
}

/** Undo/redo, auto-layout and save state on the left; problems, save, publish and run on the right. */
export function EditorToolbar(props: Props) {
  const { readOnly, problems } = props;
  return (
    <div class="wf-toolbar">
      <div class="wf-toolbar-group">
        <button type="button" class="btn btn-small" onClick={props.onUndo} disabled={readOnly || !props.canUndo} data-testid="undo" title="Undo (Ctrl+Z)">
          ↶ Undo
        </button>
        <button type="button" class="btn btn-small" onClick={props.onRedo} disabled={readOnly || !props.canRedo} data-testid="redo" title="Redo (Ctrl+Shift+Z)">
          ↷ Redo
        </button>
        <button type="button" class="btn btn-small" onClick={props.onLayout} disabled={readOnly} data-testid="auto-layout">
          Auto-layout
        </button>
        {!readOnly && (
          <button type="button" class="btn btn-small btn-ghost" onClick={props.onAddNote} data-testid="note-add" title="Add a note to the canvas">
            Note
          </button>
        )}
        <button type="button" class="btn btn-small btn-ghost" onClick={props.onEnvironment} data-testid="env-open" title="Environment variables (and a chatflow's conversation variables)">
          Variables
        </button>
        {props.onFeatures && (
          <button type="button" class="btn btn-small btn-ghost" onClick={props.onFeatures} data-testid="features-open" title="Opening statement, suggested questions, file upload, citations, speech">
            Features
          </button>
        )}
      </div>
      <span class="muted small wf-save-state" data-testid="save-state">
        {props.state}
      </span>
      <div class="wf-toolbar-group">
        <span class={problems.length ? "wf-problem-count has" : "wf-problem-count"} data-testid="problem-count" title={problems.map((p) => p.message).join("\n")}>
          {problems.length ? `⚠ ${problems.length} problem${problems.length > 1 ? "s" : ""}` : "✓ No problems"}
        </span>
        {!readOnly && (
          <>
            <button type="button" class="btn btn-small" data-testid="save-draft" disabled={props.saving} onClick={props.onSave} title="Save (Ctrl+S); changes also save by themselves">
              Save
            </button>
            <button type="button" class="btn btn-small" data-testid="editor-publish" onClick={props.onPublish}>
              Publish
            </button>
            <button type="button" class="btn btn-small btn-primary" data-testid="run-open" onClick={props.onRun} title="Run (Alt+R)">
              ▶ Run
            </button>
          </>
        )}
      </div>
    </div>
  );
}
