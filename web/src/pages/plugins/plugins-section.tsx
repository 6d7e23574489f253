import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { errorMessage } from "../../api";
import { ErrorText } from "../../components/error-text";
import { showToast } from "../../components/toast";
import { pluginApi, type InspectedPackage, type InstalledPlugin, type PluginDescription, type SignatureCheck, type TrustedKey } from "../../plugin-api";
import { canManageMembers, canSetTokenQuota } from "../../session";

const signatureLabel: Record<SignatureCheck["status"], string> = { valid: "Signed", unsigned: "Unsigned", untrusted: "Untrusted key", tampered: "Tampered" };

/** Who made it, what it may do, what it provides: shown before install and on each installed plugin. */
function Permissions({ plugin }: { plugin: PluginDescription }) {
  const p = plugin.permissions;
  return (
    <div class="stack" style={{ gap: "6px" }}>
      <div class="small" data-testid="plugin-signature">
        <strong>{signatureLabel[plugin.signature.status]}</strong> — {plugin.signature.message}
      </div>
      <div class="small">
        <span class="field-label">Network: </span>
        {p.hosts.length ? p.hosts.join(", ") : "none"}
        {" · "}
        <span class="field-label">Storage: </span>
        {p.storage ? "yes" : "no"}
        {" · "}
        <span class="field-label">Models: </span>
        {p.models ? "yes" : "no"}
        {" · "}
        <span class="field-label">Tools: </span>
        {p.tools ? "yes" : "no"}
      </div>
      <div class="chips">
        {plugin.tools.map((tool) => (
          <span key={tool.name} class="chip" title={tool.description}>
            tool: {tool.label}
          </span>
        ))}
        {plugin.model_providers.map((provider) => (
          <span key={provider.provider} class="chip">
            models: {provider.label} ({provider.models.length})
          </span>
        ))}
        {plugin.endpoints.map((endpoint) => (
          <span key={endpoint.path} class="chip">
            endpoint: {endpoint.methods.join("/")} {endpoint.path}
          </span>
        ))}
      </div>
    </div>
  );
}

function InstallCard({ onInstalled }: { onInstalled: () => void }) {
  const file = useSignal<File | null>(null);
  const inspected = useSignal<InspectedPackage | null>(null);
  const error = useSignal("");
  const busy = useSignal(false);

  const choose = async (chosen: File | undefined) => {
    file.value = chosen ?? null;
    inspected.value = null;
    error.value = "";
    if (!chosen) return;
    try {
      inspected.value = await pluginApi.inspect(chosen);
    } catch (caught) {
      error.value = errorMessage(caught);
    }
  };

  const install = async () => {
    if (!file.value || !inspected.value) return;
    busy.value = true;
    try {
      const installed = await pluginApi.install(file.value);
      showToast(`Installed ${installed.name} ${installed.version}`);
      file.value = null;
      inspected.value = null;
      onInstalled();
    } catch (caught) {
      error.value = errorMessage(caught);
    } finally {
      busy.value = false;
    }
  };

  const pkg = inspected.value;
  return (
    <div class="card stack" data-testid="plugin-install">
      <div>
        <h3 class="card-title">Install a plugin</h3>
        <p class="muted small">Choose a .waggle-plugin file. Its signature, author and permissions are shown before anything is installed.</p>
      </div>
      <input type="file" accept=".waggle-plugin,application/zip" data-testid="plugin-file" onChange={(event) => void choose((event.currentTarget as HTMLInputElement).files?.[0])} />
      <ErrorText message={error.value} testId="plugin-install-error" />
      {pkg && (
        <div class="stack" style={{ gap: "10px" }} data-testid="plugin-preview">
          <div>
            <strong>{pkg.name}</strong> <span class="muted">{pkg.plugin_id} {pkg.version} by {pkg.author}</span>
            {pkg.installed_version && <span class="muted small"> (installed: {pkg.installed_version}; upgrade it from its card)</span>}
          </div>
          {pkg.description && <p class="muted small">{pkg.description}</p>}
          <Permissions plugin={pkg} />
          {!pkg.installable && <div class="error-text">{pkg.reason}</div>}
          <div>
            <button class="btn btn-primary" disabled={!pkg.installable || Boolean(pkg.installed_version) || busy.value} onClick={() => void install()} data-testid="plugin-install-button">
              Install
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

function CredentialsForm({ plugin, onSaved }: { plugin: InstalledPlugin; onSaved: () => void }) {
  // Null until the saved (masked) values have loaded: the fields appear then, so nothing typed is overwritten.
  const values = useSignal<Record<string, string> | null>(null);
  const error = useSignal("");
  useEffect(() => {
    values.value = null;
    pluginApi.get(plugin.id).then((full) => (values.value = { ...(full.credentials ?? {}) }), (caught) => (error.value = errorMessage(caught)));
  }, [plugin.id]);
  if (!plugin.credentials_schema.length) return null;
  if (!values.value) return error.value ? <ErrorText message={error.value} /> : <span class="muted small">Loading credentials…</span>;
  const current = values.value;
  const setValue = (name: string, value: string) => {
    values.value = { ...values.value, [name]: value };
  };
  const save = async () => {
    try {
      await pluginApi.saveCredentials(plugin.id, values.value ?? {});
      showToast("Credentials saved");
      error.value = "";
      onSaved();
    } catch (caught) {
      error.value = errorMessage(caught);
    }
  };
  return (
    <div class="stack" style={{ gap: "8px" }}>
      {plugin.credentials_schema.map((field) => (
        <label key={field.name} class="field">
          <span class="field-label">
            {field.label ?? field.name}
            {field.required ? " *" : ""}
          </span>
          {field.type === "secret-input" ? (
            <input class="input" type="password" value={current[field.name] ?? ""} onInput={(event) => setValue(field.name, event.currentTarget.value)} />
          ) : (
            <input class="input" type="text" placeholder={field.default ?? ""} value={current[field.name] ?? ""} onInput={(event) => setValue(field.name, event.currentTarget.value)} />
          )}
        </label>
      ))}
      <ErrorText message={error.value} />
      <div>
        <button class="btn btn-small" onClick={() => void save()}>
          Save credentials
        </button>
      </div>
    </div>
  );
}

function PluginCard({ plugin, canManage, onChange }: { plugin: InstalledPlugin; canManage: boolean; onChange: () => void }) {
  const error = useSignal("");
  const act = async (action: () => Promise<unknown>, done: string) => {
    try {
      await action();
      showToast(done);
      error.value = "";
      onChange();
    } catch (caught) {
      error.value = errorMessage(caught);
    }
  };
  return (
    <div class="card stack" data-testid={`plugin-${plugin.plugin_id}`}>
      <div class="card-header" style={{ marginBottom: 0 }}>
        <div>
          <strong>{plugin.name}</strong> <span class="muted">{plugin.plugin_id} {plugin.version} by {plugin.author}</span>
          {!plugin.enabled && <span class="chip"> disabled</span>}
        </div>
        {canManage && (
          <div class="row gap">
            <button class="btn btn-small" onClick={() => void act(() => pluginApi.setEnabled(plugin.id, !plugin.enabled), plugin.enabled ? "Disabled" : "Enabled")}>
              {plugin.enabled ? "Disable" : "Enable"}
            </button>
            <label class="btn btn-small">
              Upgrade…
              <input type="file" hidden accept=".waggle-plugin,application/zip" onChange={(event) => {
                const chosen = (event.currentTarget as HTMLInputElement).files?.[0];
                if (chosen) void act(() => pluginApi.upgrade(plugin.id, chosen), "Upgraded");
              }} />
            </label>
            <button class="btn btn-small btn-danger-outline" onClick={() => confirm(`Uninstall ${plugin.name}? Its credentials and stored data are deleted.`) && void act(() => pluginApi.uninstall(plugin.id), "Uninstalled")}>
              Uninstall
            </button>
          </div>
        )}
      </div>
      <Permissions plugin={plugin} />
      {plugin.endpoints_base_url && (
        <div class="small">
          <span class="field-label">Endpoints: </span>
          <code>{plugin.endpoints_base_url}</code>
        </div>
      )}
      {canManage && <CredentialsForm plugin={plugin} onSaved={onChange} />}
      <ErrorText message={error.value} />
    </div>
  );
}

function TrustCard({ keys, canManage, allowUnsigned, onChange }: { keys: TrustedKey[]; canManage: boolean; allowUnsigned: boolean; onChange: () => void }) {
  const name = useSignal("");
  const publicKey = useSignal("");
  const error = useSignal("");
  const act = async (action: () => Promise<unknown>) => {
    try {
      await action();
      error.value = "";
      onChange();
    } catch (caught) {
      error.value = errorMessage(caught);
    }
  };
  return (
    <div class="card stack" data-testid="plugin-trust">
      <div>
        <h3 class="card-title">Trusted signing keys</h3>
        <p class="muted small">Plugins install only when signed by one of these keys.</p>
      </div>
      {keys.map((key) => (
        <div key={key.key_id} class="row gap small">
          <span class="grow">
            <strong>{key.name}</strong> <code>{key.key_id}</code> {key.first_party && <span class="chip">first party</span>}
          </span>
          {canManage && !key.first_party && (
            <button class="btn btn-small btn-danger-outline" onClick={() => void act(() => pluginApi.removeKey(key.key_id))}>
              Remove
            </button>
          )}
        </div>
      ))}
      {canManage && (
        <div class="stack" style={{ gap: "8px" }}>
          <input class="input" type="text" placeholder="Name" value={name.value} onInput={(event) => (name.value = (event.currentTarget as HTMLInputElement).value)} />
          <input class="input" type="text" placeholder="Ed25519 public key (base64)" value={publicKey.value} onInput={(event) => (publicKey.value = (event.currentTarget as HTMLInputElement).value)} />
          <div>
            <button class="btn btn-small" disabled={!name.value.trim() || !publicKey.value.trim()} onClick={() => void act(async () => {
              await pluginApi.addKey(name.value.trim(), publicKey.value.trim());
              name.value = "";
              publicKey.value = "";
            })}>
              Trust key
            </button>
          </div>
        </div>
      )}
      <label class="row gap small">
        <input type="checkbox" checked={allowUnsigned} disabled={!canSetTokenQuota.value} onChange={(event) => void act(() => pluginApi.setAllowUnsigned((event.currentTarget as HTMLInputElement).checked))} />
        Allow unsigned plugins {canSetTokenQuota.value ? "" : "(the owner decides)"}
      </label>
      <ErrorText message={error.value} />
    </div>
  );
}

/** Settings → Plugins: install from a file (after showing signature and permissions), manage installed plugins and trusted keys. */
export function PluginsSection() {
  const plugins = useSignal<InstalledPlugin[] | null>(null);
  const keys = useSignal<TrustedKey[]>([]);
  const allowUnsigned = useSignal(false);
  const error = useSignal("");
  const load = async () => {
    try {
      const [list, trusted, settings] = await Promise.all([pluginApi.list(), pluginApi.keys(), pluginApi.settings()]);
      plugins.value = list.plugins;
      keys.value = trusted.keys;
      allowUnsigned.value = settings.allow_unsigned;
      error.value = "";
    } catch (caught) {
      error.value = errorMessage(caught);
    }
  };
  useEffect(() => {
    void load();
  }, []);
  const canManage = canManageMembers.value;
  return (
    <div class="stack grow" data-testid="plugins-section">
      <div class="page-header">
        <div>
          <h1>Plugins</h1>
          <p class="muted">Signed packages of tools, model providers and endpoints. Each runs in its own sandbox and reaches only the hosts it declared.</p>
        </div>
      </div>
      <ErrorText message={error.value} />
      {canManage && <InstallCard onInstalled={() => void load()} />}
      {plugins.value?.length === 0 && <div class="card muted">No plugins installed.</div>}
      {plugins.value?.map((plugin) => <PluginCard key={plugin.id} plugin={plugin} canManage={canManage} onChange={() => void load()} />)}
      <TrustCard keys={keys.value} canManage={canManage} allowUnsigned={allowUnsigned.value} onChange={() => void load()} />
    </div>
  );
}
