/** Typed client for an app's other doors: its webhook and schedule triggers and its MCP server. */
import { request } from "./api";

export interface Webhook {
  id: string;
  enabled: boolean;
  response_mode: "sync" | "async";
  url: string;
  /** Only when the webhook is made or its secret renewed. */
  secret: string | null;
}

export interface Schedule {
  id: string;
  enabled: boolean;
  cron: string;
  timezone: string;
  inputs: Record<string, unknown>;
  next_run_at: number | null;
  last_run_id: string | null;
  last_run_at: number | null;
}

export interface McpServer {
  id: string;
  app_id: string;
  status: "active" | "inactive";
  description: string;
  parameters: Record<string, string>;
  /** The full code only when made or renewed; a hint otherwise. */
  server_code: string;
  server_url: string | null;
}

const e = encodeURIComponent;

export const accessApi = {
  triggers: (appId: string) => request<{ webhook: Webhook | null; schedule: Schedule | null }>("GET", `/apps/${e(appId)}/triggers`),
  putWebhook: (appId: string, body: { enabled: boolean; response_mode: "sync" | "async"; regenerate_secret?: boolean }) =>
    request<Webhook>("PUT", `/apps/${e(appId)}/triggers/webhook`, { body }),
  putSchedule: (appId: string, body: { enabled: boolean; cron: string; timezone: string; inputs: Record<string, unknown> }) =>
    request<Schedule>("PUT", `/apps/${e(appId)}/triggers/schedule`, { body }),
  deleteTrigger: (appId: string, type: "webhook" | "schedule") => request<void>("DELETE", `/apps/${e(appId)}/triggers/${type}`),
  /** The app's MCP server, or `{}` when it has none. */
  mcpServer: (appId: string) => request<Partial<McpServer>>("GET", `/apps/${e(appId)}/server`),
  createMcpServer: (appId: string, body: { description: string }) => request<McpServer>("POST", `/apps/${e(appId)}/server`, { body }),
  updateMcpServer: (appId: string, body: { description?: string; status?: "active" | "inactive" }) => request<McpServer>("PUT", `/apps/${e(appId)}/server`, { body }),
  renewMcpServer: (appId: string) => request<McpServer>("POST", `/apps/${e(appId)}/server/refresh`),
};
