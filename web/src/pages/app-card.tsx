import type { App } from "../api";
import { AppIcon } from "../components/app-icon";
import { formatDateTime, formatRelative, modeLabel } from "../format";
import { Link } from "../router";

interface Props {
  app: App;
  canEdit: boolean;
  onEdit: () => void;
  onDelete: () => void;
}

export function AppCard({ app, canEdit, onEdit, onDelete }: Props) {
  return (
    <div class="app-card" data-testid="app-card" data-app-id={app.id}>
      <Link href={`/app/${app.id}`} class="app-card-link" data-testid="app-card-link">
        <div class="app-card-head">
          <AppIcon icon={app.icon} iconType={app.icon_type} background={app.icon_background} mode={app.mode} />
          <div class="app-card-title">
            <div class="app-card-name" data-testid="app-card-name">
              {app.name}
            </div>
            <span class={`mode-badge mode-${app.mode}`} data-testid="app-card-mode">
              {modeLabel(app.mode)}
            </span>
          </div>
        </div>
        <p class="app-card-description">{app.description || <span class="muted">No description</span>}</p>
      </Link>
      <div class="app-card-footer">
        <span class="muted small" title={formatDateTime(app.updated_at)}>
          Edited {formatRelative(app.updated_at)}
          {app.published_version_id ? " · Published" : ""}
        </span>
        {canEdit && (
          <span class="app-card-actions">
            <button type="button" class="btn btn-small btn-ghost" data-testid="edit-app" onClick={onEdit}>
              Edit
            </button>
            <button type="button" class="btn btn-small btn-ghost danger-text" data-testid="delete-app" onClick={onDelete}>
              Delete
            </button>
          </span>
        )}
      </div>
    </div>
  );
}
