/**
 * Typed client for what the Logs tab and Settings → Usage read: an app's workflow runs with their
 * node executions, its conversations with their messages, and the workspace's monthly usage.
 */
import { q, request, type NodeExecution, type WorkflowRunSummary } from "./api";

export interface RunLog extends WorkflowRunSummary {
  triggered_from: string;
  created_by_role: "account" | "end_user" | string;
  created_by_end_user: { id: string; type: string; session_id: string } | null;
  created_by_account: { id: string; name: string | null } | null;
}

export interface RunLogDetail extends RunLog {
  inputs: Record<string, unknown>;
}

export interface RunLogPage {
  page: number;
  limit: number;
  total: number;
  has_more: boolean;
  data: RunLog[];
}

export interface NodeExecutionLog extends NodeExecution {
  execution_metadata: Record<string, unknown> | null;
  finished_at: number | null;
}

export interface ConversationLog {
  id: string;
  name: string;
  status: string;
  from_source: "api" | "console";
  from_end_user_id: string | null;
  from_end_user_session_id: string | null;
  from_account_id: string | null;
  from_account_name: string | null;
  message_count: number;
  created_at: number;
  updated_at: number;
}

export interface MessageLog {
  id: string;
  conversation_id: string;
  query: string;
  answer: string;
  status: string;
  error: string | null;
  workflow_run_id: string | null;
  message_tokens: number;
  answer_tokens: number;
  total_price: string;
  currency: string;
  provider_response_latency: number;
  feedback: { rating: "like" | "dislike" } | null;
  created_at: number;
}

export interface UsageSlice {
  tokens: number;
  total_price: number;
  calls: number;
}

export interface WorkspaceUsage {
  month_start: number;
  tokens_used: number;
  monthly_token_quota: number | null;
  total_price: number;
  currency: string;
  calls: number;
  by_app: Array<UsageSlice & { app_id: string | null; app_name: string | null; app_mode: string | null }>;
  by_model: Array<UsageSlice & { provider: string; model: string }>;
}

const e = encodeURIComponent;

export const logsApi = {
  runs: (appId: string, params: { page: number; limit: number; status?: string; keyword?: string }) =>
    request<RunLogPage>("GET", `/apps/${e(appId)}/workflow-runs?${q(params)}`),
  run: (appId: string, runId: string) => request<RunLogDetail>("GET", `/apps/${e(appId)}/workflow-runs/${e(runId)}`),
  nodeExecutions: (appId: string, runId: string) =>
    request<{ data: NodeExecutionLog[] }>("GET", `/apps/${e(appId)}/workflow-runs/${e(runId)}/node-executions`),
  conversations: (appId: string, params: { limit: number; last_id?: string }) =>
    request<{ limit: number; has_more: boolean; data: ConversationLog[] }>("GET", `/apps/${e(appId)}/chat-conversations?${q(params)}`),
  conversation: (appId: string, conversationId: string) => request<ConversationLog>("GET", `/apps/${e(appId)}/chat-conversations/${e(conversationId)}`),
  messages: (appId: string, params: { conversation_id: string; limit: number; first_id?: string }) =>
    request<{ limit: number; has_more: boolean; data: MessageLog[] }>("GET", `/apps/${e(appId)}/chat-messages?${q(params)}`),
  usage: () => request<WorkspaceUsage>("GET", "/workspaces/current/usage"),
  dailyUsage: (window: { start: string; end: string }) =>
    request<{ data: Array<{ date: string; tokens: number; total_price: number; currency: string; calls: number }> }>("GET", `/workspaces/current/usage/daily?${q({ start: window.start, end: window.end })}`),
  /** One of the app's per-day series (`statistics/daily-messages`, `workflow/statistics/token-costs`, …), UTC days from `start` to before `end`. */
  statistics: <R extends { date: string }>(appId: string, series: string, window: { start: string; end: string }) =>
    request<{ data: R[] }>("GET", `/apps/${e(appId)}/${series}?${q({ start: window.start, end: window.end })}`),
  setQuota: (monthlyTokenQuota: number | null) =>
    request<WorkspaceUsage>("PUT", "/workspaces/current/usage", { body: { monthly_token_quota: monthlyTokenQuota } }),
};
