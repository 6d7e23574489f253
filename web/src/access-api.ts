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

export interface Annotation {
  id: string;
  question: string;
  answer: string;
  hit_count: number;
  created_at: number;
}

export interface AnnotationReplySetting {
  id?: string;
  enabled: boolean;
  score_threshold?: number;
  embedding_model?: { embedding_provider_name: string; embedding_model_name: string };
}

/** A chat app's annotations (curated answers) and annotation reply, Dify's console routes. */
export const annotationApi = {
  list: (appId: string, params: { page: number; limit: number; keyword?: string }) => {
    const search = new URLSearchParams({ page: String(params.page), limit: String(params.limit), ...(params.keyword ? { keyword: params.keyword } : {}) });
    return request<{ data: Annotation[]; has_more: boolean; total: number; page: number; limit: number }>("GET", `/apps/${e(appId)}/annotations?${search}`);
  },
  create: (appId: string, body: { question: string; answer: string }) => request<Annotation>("POST", `/apps/${e(appId)}/annotations`, { body }),
  update: (appId: string, id: string, body: { question: string; answer: string }) => request<Annotation>("POST", `/apps/${e(appId)}/annotations/${e(id)}`, { body }),
  remove: (appId: string, id: string) => request<void>("DELETE", `/apps/${e(appId)}/annotations/${e(id)}`),
  setting: (appId: string) => request<AnnotationReplySetting>("GET", `/apps/${e(appId)}/annotation-setting`),
  /** Starts the job that indexes every question (enable) or drops the index (disable). */
  replyAction: (appId: string, action: "enable" | "disable", body: { score_threshold?: number; embedding_provider_name?: string; embedding_model_name?: string }) =>
    request<{ job_id: string; job_status: string }>("POST", `/apps/${e(appId)}/annotation-reply/${action}`, { body }),
  replyStatus: (appId: string, action: "enable" | "disable", jobId: string) =>
    request<{ job_id: string; job_status: string; error_msg: string }>("GET", `/apps/${e(appId)}/annotation-reply/${action}/status/${e(jobId)}`),
};
