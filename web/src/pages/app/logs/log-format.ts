/** Pure formatting for the Logs tab and the Usage section: who, how long, how many tokens, how full. */

/** Seconds → "0.42 s", "12.3 s", "2 min 5 s". */
export function formatElapsed(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "—";
  if (seconds < 10) return `${seconds.toFixed(2)} s`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

/** A token count with thousands separators ("12,345"); "—" when nothing was counted. */
export function formatTokens(tokens: number | null | undefined): string {
  if (!tokens) return tokens === 0 ? "0" : "—";
  return Math.round(tokens).toLocaleString("en-US");
}

/** A price in its currency: "$0.0042", "$1.25"; small amounts keep four decimals so they do not read as zero. */
export function formatPrice(amount: number, currency = "USD"): string {
  const digits = amount > 0 && amount < 1 ? 4 : 2;
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(amount);
  } catch {
    return `${amount.toFixed(digits)} ${currency}`;
  }
}

const TRIGGERS: Record<string, string> = {
  "app-run": "API / web app",
  debugging: "Console test run",
  "single-step": "Single node run",
  "plugin-trigger": "Trigger",
  webhook: "Webhook",
  schedule: "Schedule",
};

/** Where a run came from, in words (Dify's `triggered_from`). */
export function triggerLabel(triggeredFrom: string | undefined): string {
  if (!triggeredFrom) return "—";
  return TRIGGERS[triggeredFrom] ?? triggeredFrom;
}

/** Who started a run: the API caller's `user`, or a console member's name. */
export function runStarter(run: {
  created_by_role?: string;
  created_by_end_user?: { session_id: string } | null;
  created_by_account?: { id: string; name: string | null } | null;
}): { kind: "end-user" | "account" | "unknown"; label: string } {
  if (run.created_by_end_user) return { kind: "end-user", label: run.created_by_end_user.session_id };
  if (run.created_by_account) return { kind: "account", label: run.created_by_account.name ?? "A former member" };
  return { kind: "unknown", label: "—" };
}

/** Who had a conversation: the same rule for the conversation logs. */
export function conversationStarter(conversation: { from_source: string; from_end_user_session_id: string | null; from_account_name: string | null }): { kind: "end-user" | "account"; label: string } {
  if (conversation.from_source === "console") return { kind: "account", label: conversation.from_account_name ?? "A former member" };
  return { kind: "end-user", label: conversation.from_end_user_session_id ?? "Anonymous" };
}

/** A node's tokens, from its execution metadata (LLM, agent, classifier, iteration and loop nodes report them). */
export function nodeTokens(metadata: Record<string, unknown> | null | undefined): number | null {
  const tokens = metadata?.total_tokens;
  return typeof tokens === "number" && tokens > 0 ? tokens : null;
}

/** The badge colour for a run or node status. */
export function statusTone(status: string): "active" | "failed" | "pending" | "neutral" {
  if (status === "succeeded" || status === "partial-succeeded") return "active";
  if (status === "failed" || status === "exception") return "failed";
  if (status === "running" || status === "retry" || status === "paused") return "pending";
  return "neutral";
}

/** Status words for people ("partial-succeeded" → "Partly succeeded"). */
export function statusLabel(status: string): string {
  if (status === "partial-succeeded") return "Partly succeeded";
  if (!status) return "—";
  return status.charAt(0).toUpperCase() + status.slice(1).replace(/[-_]/g, " ");
}

/** Indented JSON for an inputs / outputs panel; null or an empty object has nothing to show. */
export function prettyJson(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "object" && !Array.isArray(value) && Object.keys(value as object).length === 0) return null;
  return JSON.stringify(value, null, 2);
}

/**
 * How full the monthly quota is: percent for the bar (capped at 100), a label that does not call a
 * little use "0%", and the tone (amber from 80%, red once used up). No quota: no bar.
 */
export function quotaMeter(used: number, quota: number | null): { percent: number; label: string; tone: "active" | "warning" | "error"; left: number } | null {
  if (!quota) return null;
  const ratio = used / quota;
  const percent = Math.min(100, Math.round(ratio * 10000) / 100);
  const label = used > 0 && percent < 0.1 ? "<0.1%" : `${percent >= 10 ? Math.floor(percent) : Math.floor(percent * 10) / 10}%`;
  return { percent, label, tone: ratio >= 1 ? "error" : ratio >= 0.8 ? "warning" : "active", left: Math.max(0, quota - used) };
}

/** The quota form's text → the PUT body: blank clears it, else a whole number of tokens. */
export function parseQuota(text: string): { ok: true; value: number | null } | { ok: false; error: string } {
  const trimmed = text.trim().replace(/[,_\s]/g, "");
  if (trimmed === "") return { ok: true, value: null };
  if (!/^\d+$/.test(trimmed)) return { ok: false, error: "Enter a whole number of tokens, or leave it empty for no limit." };
  const value = Number(trimmed);
  if (value > 1e12) return { ok: false, error: "The quota can be at most 1,000,000,000,000 tokens." };
  return { ok: true, value: value === 0 ? null : value };
}
