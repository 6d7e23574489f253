import { ApiKeysPanel } from "../components/api-keys-panel";
import { CopyButton } from "../components/copy-button";
import { Link, location$ } from "../router";
import { canManageWorkspaceKeys } from "../session";
import { ModelProvidersSection } from "./model-providers/model-providers-section";
import { UsageSection } from "./usage/usage-section";
import { PluginsSection } from "./plugins/plugins-section";

const SECTIONS = [
  { id: "model-providers", label: "Model providers" },
  { id: "dataset-keys", label: "Knowledge API keys" },
  { id: "usage", label: "Usage" },
  { id: "plugins", label: "Plugins" },
];

/** Workspace settings: model providers, the knowledge (dataset) API keys, this month's usage and plugins, each with its own URL. */
export function SettingsPage() {
  const requested = location$.value.pathname.split("/")[2];
  const active = SECTIONS.some((s) => s.id === requested) ? requested : SECTIONS[0]!.id;
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
      {active === "model-providers" && <ModelProvidersSection />}
      {active === "dataset-keys" && <DatasetKeysSection />}
      {active === "usage" && <UsageSection />}
      {active === "plugins" && <PluginsSection />}
    </div>
  );
}

function DatasetKeysSection() {
  const baseUrl = `${window.location.origin}/v1`;
  return (
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
  );
}
