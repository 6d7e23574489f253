import { env } from "cloudflare:test";
import { hashPassword, hashToken, randomToken } from "../../core/security";
import { createApp } from "../../workers/app";
import type { Role } from "../../workers/db/schema";

const app = createApp();
const ORIGIN = "http://waggle.test";

export interface CallOptions {
  body?: unknown;
  token?: string;
  cookie?: string;
  headers?: Record<string, string>;
}

/** Calls the Worker's app like a client would; JSON bodies in and out (a `FormData` body is sent as multipart). */
export async function call(method: string, path: string, options: CallOptions = {}) {
  const headers: Record<string, string> = { ...options.headers };
  const form = options.body instanceof FormData;
  if (options.body !== undefined && !form) headers["Content-Type"] ??= "application/json";
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.cookie) headers.Cookie = options.cookie;
  const response = await app.request(
    `${ORIGIN}${path}`,
    { method, headers, body: options.body === undefined ? undefined : form || typeof options.body === "string" ? (options.body as BodyInit) : JSON.stringify(options.body) },
    env,
  );
  const text = await response.text();
  let json: any = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text, headers: response.headers };
}

export interface SeededTenant {
  tenantId: string;
  /** Console session tokens per role. */
  tokens: Record<Role, string>;
  accountIds: Record<Role, string>;
  emails: Record<Role, string>;
}

let counter = 0;

/** Creates a workspace with one account per role and a live session for each, straight in D1. */
export async function seedTenant(label = "t"): Promise<SeededTenant> {
  const tenantId = crypto.randomUUID();
  const suffix = `${label}${++counter}${randomToken(4)}`.toLowerCase();
  const passwordHash = await hashPassword("password-123", 1000);
  const statements = [env.DB.prepare("INSERT INTO workspaces (id, name) VALUES (?, ?)").bind(tenantId, `Workspace ${suffix}`)];
  const tokens = {} as Record<Role, string>;
  const accountIds = {} as Record<Role, string>;
  const emails = {} as Record<Role, string>;
  for (const role of ["owner", "admin", "editor", "normal"] as const) {
    const accountId = crypto.randomUUID();
    const email = `${role}-${suffix}@example.com`;
    const token = randomToken(48);
    tokens[role] = token;
    accountIds[role] = accountId;
    emails[role] = email;
    statements.push(
      env.DB.prepare("INSERT INTO accounts (id, email, name, password_hash) VALUES (?, ?, ?, ?)").bind(accountId, email, `${role} ${suffix}`, passwordHash),
      env.DB.prepare("INSERT INTO memberships (id, tenant_id, account_id, role) VALUES (?, ?, ?, ?)").bind(crypto.randomUUID(), tenantId, accountId, role),
      env.DB.prepare("INSERT INTO sessions (id, account_id, tenant_id, token_hash, expires_at) VALUES (?, ?, ?, ?, ?)").bind(
        crypto.randomUUID(),
        accountId,
        tenantId,
        await hashToken(token),
        Math.floor(Date.now() / 1000) + 3600,
      ),
    );
  }
  await env.DB.batch(statements);
  return { tenantId, tokens, accountIds, emails };
}

/** Creates an app (as the owner) and returns its id. */
export async function createAppAs(token: string, mode = "workflow", name = "Test app"): Promise<string> {
  const res = await call("POST", "/console/api/apps", { token, body: { name, mode } });
  if (res.status !== 201) throw new Error(`create app failed: ${res.status} ${res.text}`);
  return res.json.id as string;
}

/** Creates an app key and returns the token. */
export async function createKeyAs(token: string, appId: string): Promise<{ id: string; token: string }> {
  const res = await call("POST", `/console/api/apps/${appId}/api-keys`, { token });
  if (res.status !== 201) throw new Error(`create key failed: ${res.status} ${res.text}`);
  return { id: res.json.id, token: res.json.token };
}

export async function createDatasetKeyAs(token: string): Promise<{ id: string; token: string }> {
  const res = await call("POST", `/console/api/datasets/api-keys`, { token });
  if (res.status !== 201) throw new Error(`create dataset key failed: ${res.status} ${res.text}`);
  return { id: res.json.id, token: res.json.token };
}

export async function publishAs(token: string, appId: string): Promise<string> {
  const res = await call("POST", `/console/api/apps/${appId}/workflows/publish`, { token, body: {} });
  if (res.status !== 200) throw new Error(`publish failed: ${res.status} ${res.text}`);
  return res.json.id as string;
}

/** The JSON payloads of an SSE body's `data:` frames, in order. */
export function parseSse(text: string): any[] {
  return text
    .split("\n\n")
    .map((frame) => frame.split("\n").find((line) => line.startsWith("data: ")))
    .filter((line): line is string => Boolean(line))
    .map((line) => JSON.parse(line.slice(6)));
}
