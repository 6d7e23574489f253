import { useState } from "preact/hooks";
import { api, type App } from "../../api";
import { confirmAction } from "../../components/confirm-dialog";
import { showToast } from "../../components/toast";
import { formatDateTime, modeLabel } from "../../format";
import { navigate } from "../../router";
import { canEditApps } from "../../session";
import { AppFormModal } from "../app-form-modal";
import { AppMonitoring } from "./monitoring/app-monitoring";
import { WebAppCard } from "./web-app-card";

/** Name, description and facts about the app, with edit and delete. */
export function OverviewTab({ app, onChanged }: { app: App; onChanged: (app: App) => void }) {
  const [editing, setEditing] = useState(false);
  const remove = () =>
    confirmAction({
      title: "Delete app",
      message: `Delete “${app.name}”? Its drafts, versions and API keys are removed and cannot be restored.`,
      confirmLabel: "Delete",
      danger: true,
      action: async () => {
        await api.deleteApp(app.id);
        showToast("App deleted");
        navigate("/apps");
      },
    });

  return (
    <>
    <div class="card">
      <div class="card-header">
        <h2>Settings</h2>
        {canEditApps.value && (
          <div class="row gap">
            <button type="button" class="btn" data-testid="edit-app" onClick={() => setEditing(true)}>
              Edit
            </button>
            <button type="button" class="btn btn-danger-outline" data-testid="delete-app" onClick={remove}>
              Delete
            </button>
          </div>
        )}
      </div>
      <dl class="facts">
        <dt>Name</dt>
        <dd data-testid="overview-name">{app.name}</dd>
        <dt>Description</dt>
        <dd data-testid="overview-description">{app.description || <span class="muted">No description</span>}</dd>
        <dt>Type</dt>
        <dd>{modeLabel(app.mode)}</dd>
        <dt>App ID</dt>
        <dd>
          <code>{app.id}</code>
        </dd>
        <dt>Service API</dt>
        <dd>{app.enable_api ? "Enabled" : "Disabled"}</dd>
        <dt>Published version</dt>
        <dd>{app.published_version_id ? <code>{app.published_version_id}</code> : <span class="muted">Not published yet</span>}</dd>
        <dt>Created</dt>
        <dd>{formatDateTime(app.created_at)}</dd>
        <dt>Last edited</dt>
        <dd>{formatDateTime(app.updated_at)}</dd>
      </dl>
      {editing && (
        <AppFormModal
          app={app}
          onClose={() => setEditing(false)}
          onSaved={(next) => {
            setEditing(false);
            onChanged(next);
            showToast("Saved");
          }}
        />
      )}
    </div>
    <AppMonitoring app={app} />
    <WebAppCard app={app} onChanged={onChanged} />
    </>
  );
}
