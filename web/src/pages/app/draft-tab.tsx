import { lazy, Suspense } from "preact/compat";
import { useSignal } from "@preact/signals";
import { useRef } from "preact/hooks";
import type { App } from "../../api";
import { isWorkflowMode } from "../../format";
import { JsonDraft } from "./json-draft";

/**
 * The canvas (React Flow and the node panels) is its own chunk, fetched when a draft is opened —
 * or, when the page is opened on a draft, at once, while the session and the app load.
 */
export const loadWorkflowEditor = () => import("../../editor/workflow-editor");
const WorkflowEditor = lazy(() => loadWorkflowEditor().then((m) => m.WorkflowEditor));

/** The easy-mode form editor is its own chunk too; it shares the model and tool pickers with the canvas. */
export const loadEasyModeEditor = () => import("./easy-mode/easy-mode-editor");
const EasyModeEditor = lazy(() => loadEasyModeEditor().then((m) => m.EasyModeEditor));

/**
 * The app's draft: the visual editor for workflows and chatflows, the form editor for easy-mode
 * apps, each with the same draft as JSON a click away.
 */
export function DraftTab({ app }: { app: App }) {
  const view = useSignal<"canvas" | "json">("canvas");
  const workflow = isWorkflowMode(app.mode);
  // The canvas saves before the JSON view loads the draft, so the JSON shows the latest graph.
  const flush = useRef<(() => Promise<boolean>) | null>(null);
  const showJson = async () => {
    if (view.value === "json") return;
    if (flush.current && !(await flush.current())) return;
    view.value = "json";
  };
  return (
    <div>
      <div class="draft-view-toggle" role="group" aria-label="Draft view">
        <button type="button" aria-pressed={view.value === "canvas"} data-testid={workflow ? "view-canvas" : "view-form"} onClick={() => (view.value = "canvas")}>
          {workflow ? "Canvas" : "Form"}
        </button>
        <button type="button" aria-pressed={view.value === "json"} data-testid="view-json" onClick={() => void showJson()}>
          JSON
        </button>
      </div>
      {view.value === "canvas" ? (
        <Suspense fallback={<p class="muted">Loading editor…</p>}>{workflow ? <WorkflowEditor app={app} flushRef={flush} /> : <EasyModeEditor app={app} flushRef={flush} />}</Suspense>
      ) : (
        <JsonDraft app={app} />
      )}
    </div>
  );
}
