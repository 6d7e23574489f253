import { useSignal } from "@preact/signals";
import { lazy, Suspense } from "preact/compat";
import { useEffect } from "preact/hooks";
import { api, errorMessage, type App } from "../../api";
import { AppIcon } from "../../components/app-icon";
import { ErrorText } from "../../components/error-text";
import { modeLabel } from "../../format";
import { Link } from "../../router";
import { canEditApps } from "../../session";
import { showToast } from "../../components/toast";
import { exportAppDsl } from "../import-dsl-modal";
import { DraftTab } from "./draft-tab";
import { OverviewTab } from "./overview-tab";

// The tabs after the first two are their own chunks: opening an app on its overview or its draft
// parses none of their code.
const ApiAccessTab = lazy(() => import("./api-access-tab").then((m) => m.ApiAccessTab));
const LogsTab = lazy(() => import("./logs/logs-tab").then((m) => m.LogsTab));
const PreviewTab = lazy(() => import("./preview-tab").then((m) => m.PreviewTab));
const PublishTab = lazy(() => import("./publish-tab").then((m) => m.PublishTab));

const TABS = [
  { id: "overview", label: "Overview", editorOnly: false },
  { id: "draft", label: "Draft", editorOnly: true },
  { id: "preview", label: "Preview", editorOnly: true },
  { id: "publish", label: "Publish", editorOnly: false },
  { id: "logs", label: "Logs", editorOnly: false },
  { id: "api", label: "API Access", editorOnly: false },
];

/** One app: its settings, draft, versions, logs and API keys, each on a tab with its own URL. */
export function AppPage({ id, tab }: { id: string; tab: string }) {
  const app = useSignal<App | null>(null);
  const error = useSignal("");

  const reload = async () => {
    try {
      app.value = await api.app(id);
      error.value = "";
    } catch (caught) {
      error.value = errorMessage(caught);
    }
  };

  useEffect(() => {
    void reload();
  }, [id]);

  if (!app.value) {
    return (
      <div class="page">
        <Link href="/apps" class="back-link">
          ← Apps
        </Link>
        {error.value ? <ErrorText message={error.value} testId="app-error" /> : <p class="muted">Loading…</p>}
      </div>
    );
  }

  const current = app.value;
  // Plain members cannot read drafts (the API answers 403), so they do not see that tab.
  // Workflows have no conversation to preview; their draft runs on the canvas.
  // Conversation logs are for editors and up (the API's rule); every member reads workflow runs.
  const editorOnly = (id: string, flag: boolean) => flag || (id === "logs" && current.mode !== "workflow");
  const tabs = TABS.filter((t) => (canEditApps.value || !editorOnly(t.id, t.editorOnly)) && !(t.id === "preview" && current.mode === "workflow"));
  const active = tabs.some((t) => t.id === tab) ? tab : "overview";
  return (
    <div class="page">
      <Link href="/apps" class="back-link" data-testid="back-to-apps">
        ← Apps
      </Link>
      <div class="app-header">
        <AppIcon icon={current.icon} iconType={current.icon_type} background={current.icon_background} mode={current.mode} size={48} />
        <div>
          <h1 data-testid="app-title">{current.name}</h1>
          <span class={`mode-badge mode-${current.mode}`}>{modeLabel(current.mode)}</span>
          {current.published_version_id && <span class="status-badge status-active">Published</span>}
        </div>
        {canEditApps.value && (
          <button type="button" class="btn btn-small app-header-action" data-testid="export-dsl" onClick={() => void exportAppDsl(current).catch((caught) => showToast(errorMessage(caught)))}>
            Export DSL
          </button>
        )}
      </div>
      <nav class="tabs" role="tablist">
        {tabs.map((t) => (
          <Link
            key={t.id}
            href={`/app/${id}/${t.id}`}
            role="tab"
            aria-selected={t.id === active}
            class={t.id === active ? "tab active" : "tab"}
            data-testid={`tab-${t.id}`}
          >
            {t.label}
          </Link>
        ))}
      </nav>
      <div class="tab-panel" data-testid={`panel-${active}`}>
        <Suspense fallback={<p class="muted">Loading…</p>}>
          {active === "overview" && <OverviewTab app={current} onChanged={(next) => (app.value = next)} />}
          {active === "draft" && <DraftTab app={current} />}
          {active === "preview" && <PreviewTab app={current} />}
          {active === "publish" && <PublishTab app={current} onPublished={reload} />}
          {active === "logs" && <LogsTab app={current} />}
          {active === "api" && <ApiAccessTab app={current} />}
        </Suspense>
      </div>
    </div>
  );
}
