import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { api, errorMessage, type App, type WorkflowVersion } from "../../api";
import { confirmAction } from "../../components/confirm-dialog";
import { ErrorText } from "../../components/error-text";
import { Field } from "../../components/field";
import { showToast } from "../../components/toast";
import { formatDateTime } from "../../format";
import { canEditApps } from "../../session";

/** Publish the draft as a new version, browse versions, and restore one into the draft. */
export function PublishTab({ app, onPublished }: { app: App; onPublished: () => void }) {
  const versions = useSignal<WorkflowVersion[]>([]);
  const page = useSignal(1);
  const hasMore = useSignal(false);
  const loading = useSignal(true);
  const listError = useSignal("");
  const name = useSignal("");
  const comment = useSignal("");
  const publishing = useSignal(false);
  const publishError = useSignal("");
  const editable = canEditApps.value;

  const load = async (nextPage = 1) => {
    loading.value = true;
    listError.value = "";
    try {
      const result = await api.versions(app.id, nextPage);
      versions.value = nextPage === 1 ? result.items : [...versions.value, ...result.items];
      page.value = result.page;
      hasMore.value = result.has_more;
    } catch (caught) {
      listError.value = errorMessage(caught);
    } finally {
      loading.value = false;
    }
  };

  useEffect(() => {
    void load(1);
  }, [app.id]);

  const publish = async (event: Event) => {
    event.preventDefault();
    publishing.value = true;
    publishError.value = "";
    try {
      await api.publish(app.id, { marked_name: name.value.trim() || undefined, marked_comment: comment.value.trim() || undefined });
      name.value = "";
      comment.value = "";
      showToast("Published");
      onPublished();
      await load(1);
    } catch (caught) {
      publishError.value = errorMessage(caught);
    } finally {
      publishing.value = false;
    }
  };

  const restore = (version: WorkflowVersion) =>
    confirmAction({
      title: "Restore version",
      message: `Replace the current draft with “${version.marked_name || version.version}”? Unpublished changes in the draft are lost.`,
      confirmLabel: "Restore",
      action: async () => {
        await api.restoreVersion(app.id, version.id);
        showToast("Version restored into the draft");
      },
    });

  return (
    <div class="stack">
      {editable && (
        <form class="card" onSubmit={publish} data-testid="publish-form">
          <div class="card-header">
            <div>
              <h2>Publish</h2>
              <p class="muted small">Publishing makes the current draft the version the API and web app serve.</p>
            </div>
            <button type="submit" class="btn btn-primary" data-testid="publish" disabled={publishing.value}>
              {publishing.value ? "Publishing…" : "Publish"}
            </button>
          </div>
          <div class="grid-2">
            <Field label="Version name" hint="Optional.">
              <input type="text" maxLength={100} data-testid="publish-name" value={name.value} onInput={(e) => (name.value = e.currentTarget.value)} />
            </Field>
            <Field label="Release notes" hint="Optional.">
              <input type="text" maxLength={500} data-testid="publish-comment" value={comment.value} onInput={(e) => (comment.value = e.currentTarget.value)} />
            </Field>
          </div>
          <ErrorText message={publishError.value} testId="publish-error" />
        </form>
      )}

      <div class="card">
        <div class="card-header">
          <h2>Versions</h2>
        </div>
        <ErrorText message={listError.value} testId="versions-error" />
        {!loading.value && versions.value.length === 0 && !listError.value ? (
          <p class="muted" data-testid="versions-empty">
            Nothing published yet.
          </p>
        ) : (
          <table class="table" data-testid="version-list">
            <thead>
              <tr>
                <th>Version</th>
                <th>Notes</th>
                <th>Published by</th>
                <th>Published</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {versions.value.map((version) => (
                <tr key={version.id} data-testid="version-row" data-version-id={version.id}>
                  <td>
                    <strong>{version.marked_name || <span class="muted">Untitled</span>}</strong>
                    <div class="muted small mono">{version.version}</div>
                    {version.id === app.published_version_id && <span class="status-badge status-active">Live</span>}
                  </td>
                  <td class="wrap">{version.marked_comment || <span class="muted">—</span>}</td>
                  <td>{version.created_by?.name ?? "—"}</td>
                  <td>{formatDateTime(version.created_at)}</td>
                  <td class="actions">
                    {editable && (
                      <button type="button" class="btn btn-small" data-testid="restore-version" onClick={() => restore(version)}>
                        Restore
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {loading.value && <p class="muted">Loading…</p>}
        {hasMore.value && !loading.value && (
          <button type="button" class="btn" data-testid="versions-load-more" onClick={() => void load(page.value + 1)}>
            Load more
          </button>
        )}
      </div>
    </div>
  );
}
