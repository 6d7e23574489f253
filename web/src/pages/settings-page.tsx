import { ApiKeysPanel } from "../components/api-keys-panel";
import { CopyButton } from "../components/copy-button";
import { Link, location$ } from "../router";
import { canManageWorkspaceKeys } from "../session";

const SECTIONS = [{ id: "dataset-keys", label: "Knowledge API keys" }];

/** Workspace settings; today one section, the knowledge (dataset) API keys. */
export function SettingsPage() {
  const baseUrl = `${window.location.origin}/v1`;
  const active = location$.value.pathname.split("/")[2] || "dataset-keys";
  return (
    <div class="page settings-layout">
      <aside class="side-nav">
        <h3 class="side-nav-title">Settings</h3>
        {SECTIONS.map((s) => (
          <Link key={s.id} href={`/settings/${s.id}`} class={s.id === active ? "side-link active" : "side-link"} data-testid={`settings-${s.id}`}>
            {s.label}
          </Link>
        ))}
      </aside>
      <div class="stack grow">
        <div class="page-header">
          <div>
            <h1>Knowledge API keys</h1>
            <p class="muted">Keys for the knowledge (dataset) API: create datasets, upload documents and retrieve from any dataset in this workspace.</p>
          </div>
        </div>
        <div class="card">
          <span class="field-label">API base URL</span>
          <div class="secret-box">
            <code data-testid="dataset-api-base-url">{baseUrl}</code>
            <CopyButton text={baseUrl} testId="copy-dataset-base-url" />
          </div>
        </div>
        {canManageWorkspaceKeys.value ? (
          <ApiKeysPanel
            base="/datasets/api-keys"
            title="Secret keys"
            description="A knowledge key reaches every dataset in the workspace. Keep it on your server."
            canManage
          />
        ) : (
          <div class="card muted" data-testid="keys-not-allowed">
            Knowledge API keys are managed by admins and the owner.
          </div>
        )}
      </div>
    </div>
  );
}
