/**
 * Typed client for the workspace's plugins (`/console/api/workspaces/current/plugins`, trusted
 * signing keys and the allow-unsigned setting). Packages are sent as multipart (`pkg`).
 */
import { apiErrorFrom, ApiError, notifyUnauthorized, request } from "./api";

export interface PluginPermissions {
  hosts: string[];
  storage: boolean;
  models: boolean;
  tools: boolean;
}

export type SignatureCheck =
  | { status: "valid"; key_id: string; key_name: string; first_party: boolean; message: string }
  | { status: "unsigned"; message: string }
  | { status: "untrusted"; key_id: string; message: string }
  | { status: "tampered"; key_id?: string; changed: string[]; message: string };

export interface CredentialField {
  name: string;
  label?: string;
  type: "secret-input" | "text-input" | "select";
  required: boolean;
  default?: string;
}

/** What a package says about itself (inspect) or an installed plugin. */
export interface PluginDescription {
  plugin_id: string;
  name: string;
  version: string;
  author: string;
  description: string;
  permissions: PluginPermissions;
  credentials_schema: CredentialField[];
  tools: Array<{ name: string; label: string; description: string }>;
  model_providers: Array<{ provider: string; label: string; models: string[] }>;
  endpoints: Array<{ path: string; methods: string[] }>;
  signature: SignatureCheck;
  digest: string;
}

export interface InspectedPackage extends PluginDescription {
  installable: boolean;
  reason: string | null;
  installed_version: string | null;
}

export interface InstalledPlugin extends PluginDescription {
  id: string;
  enabled: boolean;
  endpoints_base_url: string | null;
  has_credentials: boolean;
  credentials?: Record<string, string>;
}

export interface TrustedKey {
  key_id: string;
  public_key: string;
  name: string;
  first_party: boolean;
}

const BASE = "/workspaces/current";

async function upload<T>(path: string, file: File): Promise<T> {
  const form = new FormData();
  form.append("pkg", file);
  let response: Response;
  try {
    response = await fetch(`/console/api${BASE}${path}`, { method: "POST", credentials: "same-origin", headers: { Accept: "application/json" }, body: form });
  } catch {
    throw new ApiError("network_error", "Cannot reach the server. Check your connection and try again.", 0);
  }
  const payload = await response.json().catch(() => undefined);
  if (!response.ok) {
    if (response.status === 401) notifyUnauthorized();
    throw apiErrorFrom(response.status, response.statusText, payload);
  }
  return payload as T;
}

export const pluginApi = {
  list: () => request<{ plugins: InstalledPlugin[] }>("GET", `${BASE}/plugins`),
  get: (id: string) => request<InstalledPlugin>("GET", `${BASE}/plugins/${id}`),
  inspect: (file: File) => upload<InspectedPackage>("/plugins/inspect", file),
  install: (file: File) => upload<InstalledPlugin>("/plugins/install", file),
  upgrade: (id: string, file: File) => upload<InstalledPlugin>(`/plugins/${id}/upgrade`, file),
  setEnabled: (id: string, enabled: boolean) => request<InstalledPlugin>("PATCH", `${BASE}/plugins/${id}`, { body: { enabled } }),
  saveCredentials: (id: string, credentials: Record<string, string>) => request<{ result: "success" }>("PUT", `${BASE}/plugins/${id}/credentials`, { body: { credentials } }),
  uninstall: (id: string) => request<{ result: "success" }>("DELETE", `${BASE}/plugins/${id}`),
  keys: () => request<{ keys: TrustedKey[] }>("GET", `${BASE}/plugin-keys`),
  addKey: (name: string, publicKey: string) => request<TrustedKey>("POST", `${BASE}/plugin-keys`, { body: { name, public_key: publicKey } }),
  removeKey: (keyId: string) => request<{ result: "success" }>("DELETE", `${BASE}/plugin-keys/${keyId}`),
  settings: () => request<{ allow_unsigned: boolean }>("GET", `${BASE}/plugin-settings`),
  setAllowUnsigned: (allow: boolean) => request<{ allow_unsigned: boolean }>("PUT", `${BASE}/plugin-settings`, { body: { allow_unsigned: allow } }),
};
