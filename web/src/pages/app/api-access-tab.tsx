import type { App } from "../../api";
import { ApiKeysPanel } from "../../components/api-keys-panel";
import { CopyButton } from "../../components/copy-button";
import { canEditApps } from "../../session";
import { McpServerCard } from "./mcp-server-card";
import { TriggersCard } from "./triggers-card";

/** The service API endpoint for this app and its `app-…` keys; for editors, its webhook and schedule (workflows) and its MCP server. */
export function ApiAccessTab({ app }: { app: App }) {
  const baseUrl = `${window.location.origin}/v1`;
  const example =
    app.mode === "workflow"
      ? `curl -X POST '${baseUrl}/workflows/run' \\\n  -H 'Authorization: Bearer {api_key}' \\\n  -H 'Content-Type: application/json' \\\n  -d '{"inputs": {}, "response_mode": "blocking", "user": "abc-123"}'`
      : app.mode === "completion"
        ? `curl -X POST '${baseUrl}/completion-messages' \\\n  -H 'Authorization: Bearer {api_key}' \\\n  -H 'Content-Type: application/json' \\\n  -d '{"inputs": {"query": "Hello"}, "response_mode": "blocking", "user": "abc-123"}'`
        : `curl -X POST '${baseUrl}/chat-messages' \\\n  -H 'Authorization: Bearer {api_key}' \\\n  -H 'Content-Type: application/json' \\\n  -d '{"inputs": {}, "query": "Hello", "response_mode": "streaming", "user": "abc-123"}'`;
  return (
    <div class="stack">
      <div class="card">
        <div class="card-header">
          <div>
            <h2>Service API</h2>
            <p class="muted small">Dify-compatible: existing Dify clients and SDKs work against this base URL with an app key.</p>
          </div>
        </div>
        <div class="secret-box">
          <code data-testid="api-base-url">{baseUrl}</code>
          <CopyButton text={baseUrl} testId="copy-base-url" />
        </div>
        {!app.published_version_id && <p class="muted small">Publish the app first: the API serves the published version.</p>}
        <details class="more-settings">
          <summary>Example request</summary>
          <pre class="code-block">{example}</pre>
        </details>
      </div>
      {canEditApps.value ? (
        <ApiKeysPanel
          base={`/apps/${app.id}/api-keys`}
          title="API keys"
          description="Keys authenticate calls to this app only. Keep them on your server, never in a browser."
          canManage
        />
      ) : (
        <div class="card muted" data-testid="keys-not-allowed">
          API keys are managed by editors, admins and the owner. Ask one of them for a key.
        </div>
      )}
      {/* Both are editor-only on the API, like the keys. */}
      {canEditApps.value && app.mode === "workflow" && <TriggersCard app={app} />}
      {canEditApps.value && <McpServerCard app={app} />}
    </div>
  );
}
