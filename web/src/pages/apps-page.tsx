import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { api, errorMessage, type App } from "../api";
import { BrandMark } from "../components/brand-mark";
import { confirmAction } from "../components/confirm-dialog";
import { ErrorText } from "../components/error-text";
import { showToast } from "../components/toast";
import { MODES } from "../format";
import { canEditApps } from "../session";
import { AppCard } from "./app-card";
import { AppFormModal } from "./app-form-modal";
import { ImportDslModal } from "./import-dsl-modal";

const PAGE_SIZE = 30;

/** The studio: every app in the workspace, filtered by type and searched by name. */
export function AppsPage() {
  const apps = useSignal<App[]>([]);
  const page = useSignal(1);
  const hasMore = useSignal(false);
  const loading = useSignal(true);
  const error = useSignal("");
  const mode = useSignal("");
  const search = useSignal("");
  const query = useSignal("");
  const creating = useSignal(false);
  const importing = useSignal(false);
  const editing = useSignal<App | null>(null);
  const requestId = useRef(0);

  const load = async (nextPage = 1) => {
    const id = ++requestId.current;
    loading.value = true;
    error.value = "";
    try {
      const result = await api.apps({ page: nextPage, limit: PAGE_SIZE, mode: mode.value, name: query.value });
      if (id !== requestId.current) return;
      apps.value = nextPage === 1 ? result.data : [...apps.value, ...result.data];
      page.value = result.page;
      hasMore.value = result.has_more;
    } catch (caught) {
      if (id === requestId.current) error.value = errorMessage(caught);
    } finally {
      if (id === requestId.current) loading.value = false;
    }
  };

  useEffect(() => {
    void load(1);
  }, [mode.value, query.value]);

  // Search as the user types, without a request per keystroke.
  useEffect(() => {
    const timer = setTimeout(() => (query.value = search.value.trim()), 250);
    return () => clearTimeout(timer);
  }, [search.value]);

  const remove = (app: App) =>
    confirmAction({
      title: "Delete app",
      message: `Delete “${app.name}”? Its drafts, versions and API keys are removed and cannot be restored.`,
      confirmLabel: "Delete",
      danger: true,
      action: async () => {
        await api.deleteApp(app.id);
        apps.value = apps.value.filter((a) => a.id !== app.id);
        showToast("App deleted");
      },
    });

  return (
    <div class="page">
      <div class="page-header">
        <div>
          <h1>Apps</h1>
          <p class="muted">Chatbots, text generators, agents, chatflows and workflows in this workspace.</p>
        </div>
        {canEditApps.value && (
          <div class="row gap">
            <button type="button" class="btn" data-testid="import-dsl" onClick={() => (importing.value = true)}>
              Import DSL file
            </button>
            <button type="button" class="btn btn-primary" data-testid="create-app" onClick={() => (creating.value = true)}>
              + Create app
            </button>
          </div>
        )}
      </div>

      <div class="toolbar">
        <div class="segmented" role="tablist" data-testid="mode-filter">
          {[{ value: "", label: "All" }, ...MODES].map((m) => (
            <button
              type="button"
              key={m.value}
              role="tab"
              aria-selected={mode.value === m.value}
              class={mode.value === m.value ? "segment active" : "segment"}
              data-testid={`mode-filter-${m.value || "all"}`}
              onClick={() => (mode.value = m.value)}
            >
              {m.label}
            </button>
          ))}
        </div>
        <input
          type="search"
          class="search-input"
          placeholder="Search apps by name"
          data-testid="app-search"
          value={search.value}
          onInput={(e) => (search.value = e.currentTarget.value)}
        />
      </div>

      <ErrorText message={error.value} testId="apps-error" />

      {!loading.value && apps.value.length === 0 && !error.value ? (
        <div class="empty-state" data-testid="apps-empty">
          <div class="empty-icon">
            <BrandMark size={44} />
          </div>
          <h2>{query.value || mode.value ? "No apps match" : "No apps yet"}</h2>
          <p class="muted">{query.value || mode.value ? "Try another name or type." : "Create your first app to get started."}</p>
        </div>
      ) : (
        <div class="app-grid" data-testid="app-list">
          {apps.value.map((app) => (
            <AppCard key={app.id} app={app} canEdit={canEditApps.value} onEdit={() => (editing.value = app)} onDelete={() => remove(app)} />
          ))}
        </div>
      )}

      {loading.value && <p class="muted center">Loading…</p>}
      {hasMore.value && !loading.value && (
        <div class="center">
          <button type="button" class="btn" data-testid="apps-load-more" onClick={() => void load(page.value + 1)}>
            Load more
          </button>
        </div>
      )}

      {importing.value && <ImportDslModal onClose={() => (importing.value = false)} />}
      {creating.value && (
        <AppFormModal
          onClose={() => (creating.value = false)}
          onSaved={(app) => {
            creating.value = false;
            const shown = (!mode.value || mode.value === app.mode) && app.name.toLowerCase().includes(query.value.toLowerCase());
            if (shown) apps.value = [app, ...apps.value.filter((a) => a.id !== app.id)];
            showToast(`Created “${app.name}”`);
          }}
        />
      )}
      {editing.value && (
        <AppFormModal
          app={editing.value}
          onClose={() => (editing.value = null)}
          onSaved={(app) => {
            editing.value = null;
            apps.value = apps.value.map((a) => (a.id === app.id ? app : a));
            showToast("Saved");
          }}
        />
      )}
    </div>
  );
}
