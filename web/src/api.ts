/**
 * Typed client for the console API (`/console/api/*`). Every call sends the session cookie and
 * turns a non-2xx answer into an `ApiError` carrying Dify's `{code, message, status}` envelope.
 */

export type AppMode = "chat" | "completion" | "agent-chat" | "advanced-chat" | "workflow";
export type Role = "owner" | "admin" | "editor" | "normal";

export interface App {
  id: string;
  name: string;
  description: string;
  mode: AppMode;
  icon: string | null;
  icon_type: string | null;
  icon_background: string | null;
  enable_api: boolean;
  enable_site: boolean;
  published_version_id: string | null;
  created_at: number;
  updated_at: number;
}

/** An app's published web app (`/console/api/apps/{id}/site`). */
export interface AppSite {
  code: string;
  enable_site: boolean;
  title: string;
  web_app_url: string;
  embed_script: string;
  custom_disclaimer: string;
  show_workflow_steps: boolean;
}

export interface AppList {
  page: number;
  limit: number;
  total: number;
  has_more: boolean;
  data: App[];
}

export interface Account {
  id: string;
  name: string;
  email: string;
  created_at: number;
}

export interface Workspace {
  id: string;
  name: string;
  role: Role;
  created_at: number;
}

export interface Member {
  id: string;
  name: string;
  email: string;
  role: Role;
  status: "active" | "pending";
  created_at: number;
}

export interface InvitationResult {
  status: "success" | "failed";
  email: string;
  url?: string;
  message?: string;
}

export interface Graph {
  nodes: unknown[];
  edges: unknown[];
  viewport?: { x: number; y: number; zoom: number };
}

export interface WorkflowDraft {
  id: string;
  graph: Graph;
  features: Record<string, unknown>;
  environment_variables: unknown[];
  conversation_variables: unknown[];
  hash: string;
  updated_at: number;
  /** What would stop the draft from publishing, per node (the server's check). */
  problems?: { node_id: string | null; field?: string | null; message: string }[];
}

export interface ModelConfigDraft {
  model_config: Record<string, unknown>;
  hash: string;
  updated_at?: number;
}

export interface SaveResult {
  result: "success";
  hash: string;
  updated_at: number;
  /** A saved workflow draft: what would stop it from publishing, per node. */
  problems?: { node_id: string | null; field?: string | null; message: string }[];
}

export interface WorkflowVersion {
  id: string;
  version: string;
  marked_name: string | null;
  marked_comment: string | null;
  hash: string;
  created_at: number;
  created_by: { id: string; name: string } | null;
}

export interface VersionList {
  page: number;
  limit: number;
  has_more: boolean;
  items: WorkflowVersion[];
}

export interface WorkflowRunSummary {
  id: string;
  status: string;
  outputs: Record<string, unknown>;
  error: string | null;
  elapsed_time: number;
  total_tokens: number;
  total_steps: number;
  created_at: number;
  finished_at: number | null;
  triggered_from?: string;
}

export interface NodeExecution {
  id: string;
  index: number;
  node_id: string;
  node_type: string;
  title: string;
  inputs: Record<string, unknown> | null;
  process_data: Record<string, unknown> | null;
  outputs: Record<string, unknown> | null;
  status: string;
  error: string | null;
  elapsed_time: number;
  created_at: number;
  predecessor_node_id?: string | null;
}

export interface ApiKey {
  id: string;
  type: "app" | "dataset";
  token: string;
  created_at: number;
  last_used_at?: number | null;
}

/** An error answer from the API; `message` is meant for people. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Called when any request (other than those that opt out) is answered with 401. */
let onUnauthorized: (() => void) | null = null;
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

interface RequestOptions {
  body?: unknown;
  /** Leave a 401 to the caller (the login form shows it instead of redirecting). */
  allowUnauthorized?: boolean;
}

/** How long a started GET waits for the page to ask for it before it is dropped. */
const PRIMED_FOR_MS = 10_000;

interface Buffered {
  status: number;
  statusText: string;
  body: string;
}
/** A null answer: the GET was not made after all (the page asks the server itself). */
const primed = new Map<string, { answer: Promise<Buffered | null>; at: number }>();

/**
 * Starts GETs the page is about to make, all at once — a page opened straight on a URL knows
 * them before its components mount, which then ask one after another. The next `request` for the
 * same path takes the answer (once, within 10 s); nothing else changes, errors included. A GET
 * may be made with a query the page's own request lacks (`[path, query]`): the draft is asked for
 * with `if_workflow=true`, so an app without one answers 204, which is not handed out.
 */
export function primeGets(paths: Array<string | [string, string]>): void {
  const at = Date.now();
  for (const entry of paths) {
    const [path, query] = typeof entry === "string" ? [entry, ""] : entry;
    const answer = fetch(`/console/api${path}${query}`, { method: "GET", credentials: "same-origin", headers: { Accept: "application/json" } }).then(async (response) =>
      response.status === 204 ? null : { status: response.status, statusText: response.statusText, body: await response.text() },
    );
    answer.catch(() => undefined);
    primed.set(path, { answer, at });
  }
}

/**
 * Takes over the GETs the page's boot script started while the HTML was parsing (`bootPrefetch` in
 * `vite.config.ts`; built pages only), as if `primeGets` had started them. False when there were none.
 */
export function adoptBootGets(): boolean {
  const holder = globalThis as { __waggleBootGets?: { at: number; gets: Record<string, Promise<Buffered | null>> } };
  const boot = holder.__waggleBootGets;
  if (!boot) return false;
  delete holder.__waggleBootGets;
  for (const [path, answer] of Object.entries(boot.gets)) {
    answer.catch(() => undefined);
    primed.set(path, { answer, at: boot.at });
  }
  return true;
}

/** A primed GET's JSON when it succeeds (without taking it), else undefined. */
export async function peekPrimed<T>(path: string): Promise<T | undefined> {
  const entry = primed.get(path);
  if (!entry) return undefined;
  try {
    const answer = await entry.answer;
    if (!answer) return undefined;
    const { status, body } = answer;
    return status >= 200 && status < 300 && body ? (JSON.parse(body) as T) : undefined;
  } catch {
    return undefined;
  }
}

/** A primed GET's answer as it was read (taken once), or undefined when there is none to take. */
async function takePrimed(method: string, path: string): Promise<Buffered | undefined> {
  if (method !== "GET") return undefined;
  const entry = primed.get(path);
  if (!entry) return undefined;
  primed.delete(path);
  if (Date.now() - entry.at > PRIMED_FOR_MS) return undefined;
  return (await entry.answer) ?? undefined;
}

/** One console API call; the typed clients per area (`api`, `modelProviderApi`, `knowledgeApi`) are built on it. */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  // A primed answer is used as it was read: no Response is made only to be read again.
  let answer: Buffered;
  try {
    answer =
      (await takePrimed(method, path)) ??
      (await fetch(`/console/api${path}`, {
        method,
        credentials: "same-origin",
        headers: options.body === undefined ? { Accept: "application/json" } : { Accept: "application/json", "Content-Type": "application/json" },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      }).then(async (response) => ({ status: response.status, statusText: response.statusText, body: response.status === 204 ? "" : await response.text() })));
  } catch {
    throw new ApiError("network_error", "Cannot reach the server. Check your connection and try again.", 0);
  }
  const { status, statusText, body: text } = answer;
  if (status === 204) return undefined as T;
  let payload: unknown = undefined;
  if (text) {
    try {
      payload = JSON.parse(text);
    } catch {
      payload = undefined;
    }
  }
  if (status < 200 || status > 299) {
    const error = apiErrorFrom(status, statusText, payload);
    if (status === 401 && !options.allowUnauthorized && onUnauthorized) onUnauthorized();
    throw error;
  }
  return payload as T;
}

/** The error for a non-2xx answer, from Dify's `{code, message, status}` envelope when there is one. */
export function apiErrorFrom(status: number, statusText: string, payload: unknown): ApiError {
  const envelope = (payload && typeof payload === "object" ? payload : {}) as { code?: unknown; message?: unknown };
  return new ApiError(
    typeof envelope.code === "string" ? envelope.code : `http_${status}`,
    typeof envelope.message === "string" ? envelope.message : statusText || `Request failed (${status})`,
    status,
  );
}

/** Lets a request made outside `request` (an upload with progress) report a 401 the same way. */
export function notifyUnauthorized(): void {
  onUnauthorized?.();
}

/** A query string from the defined, non-empty parameters. */
export const q = (params: Record<string, string | number | undefined>) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== "") search.set(key, String(value));
  }
  return search.toString();
};

const e = encodeURIComponent;

export const api = {
  setupStatus: () => request<{ step: "not_started" | "finished" }>("GET", "/setup", { allowUnauthorized: true }),
  setup: (body: { email: string; name: string; password: string; workspace_name?: string }) =>
    request<{ result: "success" }>("POST", "/setup", { body, allowUnauthorized: true }),
  login: (body: { email: string; password: string }) =>
    request<{ result: "success"; data: { access_token: string } }>("POST", "/login", { body, allowUnauthorized: true }),
  logout: () => request<{ result: "success" }>("POST", "/logout", { allowUnauthorized: true }),

  profile: () => request<Account>("GET", "/account/profile"),
  currentWorkspace: () => request<Workspace>("GET", "/workspaces/current"),

  members: () => request<{ accounts: Member[] }>("GET", "/workspaces/current/members"),
  inviteMembers: (body: { emails: string[]; role: Role }) =>
    request<{ result: "success"; invitation_results: InvitationResult[] }>("POST", "/workspaces/current/members/invite-email", { body }),
  updateMemberRole: (accountId: string, role: Role) =>
    request<{ result: "success" }>("PUT", `/workspaces/current/members/${e(accountId)}/update-role`, { body: { role } }),
  removeMember: (accountId: string) => request<{ result: "success" }>("DELETE", `/workspaces/current/members/${e(accountId)}`),

  checkActivation: (token: string) =>
    request<{ is_valid: boolean; data?: { email: string; workspace_name: string } }>("GET", `/activate/check?${q({ token })}`, {
      allowUnauthorized: true,
    }),
  activate: (body: { token: string; name: string; password: string }) =>
    request<{ result: "success" }>("POST", "/activate", { body, allowUnauthorized: true }),

  apps: (params: { page?: number; limit?: number; mode?: string; name?: string }) => request<AppList>("GET", `/apps?${q(params)}`),
  createApp: (body: { name: string; mode: AppMode; description?: string; icon?: string; icon_background?: string }) =>
    request<App>("POST", "/apps", { body }),
  app: (id: string) => request<App>("GET", `/apps/${e(id)}`),
  updateApp: (id: string, body: { name: string; description?: string; icon?: string; icon_background?: string }) =>
    request<App>("PUT", `/apps/${e(id)}`, { body }),
  deleteApp: (id: string) => request<void>("DELETE", `/apps/${e(id)}`),
  appSite: (id: string) => request<AppSite>("GET", `/apps/${e(id)}/site`),
  updateAppSite: (id: string, body: { title?: string; custom_disclaimer?: string; show_workflow_steps?: boolean }) => request<AppSite>("POST", `/apps/${e(id)}/site`, { body }),
  resetAppSiteCode: (id: string) => request<AppSite>("POST", `/apps/${e(id)}/site/access-token-reset`),
  enableAppSite: (id: string, enable: boolean) => request<App>("POST", `/apps/${e(id)}/site-enable`, { body: { enable_site: enable } }),

  workflowDraft: (id: string) => request<WorkflowDraft>("GET", `/apps/${e(id)}/workflows/draft`),
  saveWorkflowDraft: (
    id: string,
    body: { graph: Graph; features?: unknown; environment_variables?: unknown[]; conversation_variables?: unknown[]; hash?: string },
  ) => request<SaveResult>("POST", `/apps/${e(id)}/workflows/draft`, { body }),
  modelConfig: (id: string) => request<ModelConfigDraft>("GET", `/apps/${e(id)}/model-config`),
  saveModelConfig: (id: string, body: { model_config: unknown; hash?: string }) =>
    request<SaveResult>("POST", `/apps/${e(id)}/model-config`, { body }),

  workflowRuns: (id: string, limit = 10) =>
    request<{ data: WorkflowRunSummary[]; has_more: boolean; total: number }>("GET", `/apps/${e(id)}/workflow-runs?${q({ page: 1, limit })}`),
  nodeExecutions: (id: string, runId: string) => request<{ data: NodeExecution[] }>("GET", `/apps/${e(id)}/workflow-runs/${e(runId)}/node-executions`),

  publish: (id: string, body: { marked_name?: string; marked_comment?: string }) =>
    request<{ result: "success"; id: string; created_at: number }>("POST", `/apps/${e(id)}/workflows/publish`, { body }),
  versions: (id: string, page = 1, limit = 20) => request<VersionList>("GET", `/apps/${e(id)}/workflows?${q({ page, limit })}`),
  restoreVersion: (id: string, versionId: string) =>
    request<SaveResult>("POST", `/apps/${e(id)}/workflows/${e(versionId)}/restore`),
};

/** Key endpoints share one shape; `base` is `/apps/{id}/api-keys` or `/datasets/api-keys`. */
export function keysApi(base: string) {
  return {
    list: () => request<{ data: ApiKey[] }>("GET", base),
    create: () => request<ApiKey>("POST", base),
    revoke: (keyId: string) => request<void>("DELETE", `${base}/${e(keyId)}`),
  };
}

/** A message fit to show a person, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
