import { useEffect, useState } from "preact/hooks";
import { api, type App, type AppSite } from "../../api";
import { confirmAction } from "../../components/confirm-dialog";
import { CopyButton } from "../../components/copy-button";
import { ErrorText } from "../../components/error-text";
import { showToast } from "../../components/toast";
import { canEditApps, canManageMembers } from "../../session";

/**
 * The published web app (Dify's "Web App" card): the link to share, on/off, the embed snippet for
 * chat apps, and resetting the link. Visitors use the published version.
 */
export function WebAppCard({ app, onChanged }: { app: App; onChanged: (app: App) => void }) {
  const [site, setSite] = useState<AppSite | null>(null);
  const [error, setError] = useState("");

  useEffect(() => {
    api.appSite(app.id).then(setSite, (e: Error) => setError(e.message));
  }, [app.id]);

  const toggle = async () => {
    try {
      const next = await api.enableAppSite(app.id, !app.enable_site);
      onChanged(next);
      setSite((current) => (current ? { ...current, enable_site: next.enable_site } : current));
      showToast(next.enable_site ? "Web app turned on" : "Web app turned off");
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const reset = () =>
    confirmAction({
      title: "Reset the web app link",
      message: "A new link replaces the current one. Anyone with the old link, and every page that embeds it, loses access.",
      confirmLabel: "Reset link",
      danger: true,
      action: async () => {
        setSite(await api.resetAppSiteCode(app.id));
        showToast("New link made");
      },
    });

  const chat = app.mode === "chat" || app.mode === "agent-chat" || app.mode === "advanced-chat";
  return (
    <div class="card" data-testid="web-app-card">
      <div class="card-header">
        <h2>Web app</h2>
        {canEditApps.value && site && (
          <label class="row gap">
            <input type="checkbox" data-testid="web-app-enabled" checked={app.enable_site} onChange={toggle} />
            {app.enable_site ? "On" : "Off"}
          </label>
        )}
      </div>
      <ErrorText message={error} />
      {!site ? null : (
        <>
          {!app.published_version_id && <p class="muted">Publish the app first: visitors use the published version.</p>}
          <div class="row gap wrap">
            <a href={site.web_app_url} target="_blank" rel="noopener" data-testid="web-app-url">
              {site.web_app_url}
            </a>
            <CopyButton text={site.web_app_url} testId="copy-web-app-url" />
            {canManageMembers.value && (
              <button type="button" class="btn btn-small" data-testid="reset-web-app-url" onClick={reset}>
                Reset link
              </button>
            )}
          </div>
          {!app.enable_site && <p class="muted">The web app is off: the link answers “This app is unavailable”.</p>}
          {chat && (
            <>
              <h3>Embed on a website</h3>
              <p class="muted">Paste this before the closing &lt;/body&gt; tag; a chat bubble opens the app in the corner of the page.</p>
              <pre class="code-block" data-testid="embed-script">{site.embed_script}</pre>
              <CopyButton text={site.embed_script} testId="copy-embed-script" label="Copy snippet" />
            </>
          )}
        </>
      )}
    </div>
  );
}
