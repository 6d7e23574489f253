import { useEffect, useState } from "preact/hooks";
import { accessApi, type McpServer } from "../../access-api";
import { errorMessage, type App } from "../../api";
import { confirmAction } from "../../components/confirm-dialog";
import { CopyButton } from "../../components/copy-button";
import { ErrorText } from "../../components/error-text";
import { showToast } from "../../components/toast";

/**
 * The app as an MCP server (Dify's "MCP server" switch): made with a description, switched on and
 * off, its URL renewed. The URL carries the credential, so it is shown once, like an API key.
 */
export function McpServerCard({ app }: { app: App }) {
  const [server, setServer] = useState<Partial<McpServer> | null>(null);
  const [description, setDescription] = useState("");
  const [shownUrl, setShownUrl] = useState<string | null>(null);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  // The switch shows where it was flipped to while the server catches up.
  const [switching, setSwitching] = useState<boolean | null>(null);

  useEffect(() => {
    accessApi
      .mcpServer(app.id)
      .then((found) => {
        setServer(found);
        setDescription(found.description ?? "");
      })
      .catch((caught) => setError(errorMessage(caught)));
  }, [app.id]);

  const act = async (work: () => Promise<McpServer>, done: string) => {
    setBusy(true);
    setError("");
    try {
      const next = await work();
      setServer(next);
      if (next.server_url) setShownUrl(next.server_url);
      showToast(done);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  const exists = Boolean(server?.id);
  return (
    <div class="card" data-testid="mcp-server-card" data-status={server?.status ?? "none"}>
      <div class="card-header">
        <div>
          <h2>MCP server</h2>
          <p class="muted small">Lets MCP clients (Claude Desktop, Cursor, other agents) call this app as a tool over Streamable HTTP.</p>
        </div>
        {exists && (
          <label class="row gap small">
            <input
              type="checkbox"
              data-testid="mcp-enabled"
              checked={switching ?? server?.status === "active"}
              disabled={busy}
              onChange={(event) => {
                const on = event.currentTarget.checked;
                setSwitching(on);
                void act(() => accessApi.updateMcpServer(app.id, { status: on ? "active" : "inactive" }), on ? "MCP server on" : "MCP server off").finally(() => setSwitching(null));
              }}
            />
            On
          </label>
        )}
      </div>
      {!server && !error && <p class="muted">Loading…</p>}
      {server && (
        <div class="stack">
          <label class="field">
            <span class="field-label">Description</span>
            <textarea rows={2} data-testid="mcp-description" value={description} placeholder="What the tool does, for the clients' models" onInput={(event) => setDescription(event.currentTarget.value)} />
          </label>
          {shownUrl && (
            <div data-testid="mcp-url-once">
              <p class="small">Server URL — shown only now; anyone with it can call the app:</p>
              <div class="secret-box">
                <code data-testid="mcp-url">{shownUrl}</code>
                <CopyButton text={shownUrl} testId="copy-mcp-url" />
              </div>
            </div>
          )}
          {exists && !shownUrl && (
            <p class="muted small" data-testid="mcp-code-hint">
              Server URL ends in <code>{server.server_code}</code>. Renew it to see a new one (the old one stops working).
            </p>
          )}
          <ErrorText message={error} testId="mcp-error" />
          <div class="row gap">
            {exists ? (
              <>
                <button type="button" class="btn" data-testid="mcp-save" disabled={busy || description === (server.description ?? "")} onClick={() => void act(() => accessApi.updateMcpServer(app.id, { description }), "Saved")}>
                  Save description
                </button>
                <button
                  type="button"
                  class="btn"
                  data-testid="mcp-renew"
                  disabled={busy}
                  onClick={() =>
                    confirmAction({
                      title: "Renew the server URL",
                      message: "Clients using the current URL stop working until they get the new one.",
                      confirmLabel: "Renew",
                      action: () => act(() => accessApi.renewMcpServer(app.id), "New URL made"),
                    })
                  }
                >
                  Renew URL
                </button>
              </>
            ) : (
              <button type="button" class="btn btn-primary" data-testid="mcp-create" disabled={busy} onClick={() => void act(() => accessApi.createMcpServer(app.id, { description }), "MCP server on")}>
                Turn on MCP server
              </button>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
