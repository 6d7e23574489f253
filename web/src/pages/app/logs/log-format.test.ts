import { describe, expect, it } from "vitest";
import { conversationStarter, formatElapsed, formatPrice, formatTokens, nodeTokens, parseQuota, prettyJson, quotaMeter, runStarter, statusLabel, statusTone, triggerLabel } from "./log-format";

describe("log formatting", () => {
  it("says how long a run took at a useful precision", () => {
    expect(formatElapsed(0.4213)).toBe("0.42 s");
    expect(formatElapsed(12.34)).toBe("12.3 s");
    expect(formatElapsed(125)).toBe("2 min 5 s");
    expect(formatElapsed(null)).toBe("—");
  });

  it("formats tokens and small prices so they do not read as zero", () => {
    expect(formatTokens(12345)).toBe("12,345");
    expect(formatTokens(0)).toBe("0");
    expect(formatTokens(undefined)).toBe("—");
    expect(formatPrice(0.00042)).toBe("$0.0004");
    expect(formatPrice(1.5)).toBe("$1.50");
    expect(formatPrice(0)).toBe("$0.00");
  });

  it("names who started a run or had a conversation", () => {
    expect(runStarter({ created_by_role: "end_user", created_by_end_user: { session_id: "reader-42" }, created_by_account: null })).toEqual({ kind: "end-user", label: "reader-42" });
    expect(runStarter({ created_by_role: "account", created_by_end_user: null, created_by_account: { id: "a", name: "Olive" } })).toEqual({ kind: "account", label: "Olive" });
    expect(runStarter({ created_by_role: "account", created_by_account: { id: "a", name: null } }).label).toBe("A former member");
    expect(runStarter({}).kind).toBe("unknown");
    expect(conversationStarter({ from_source: "api", from_end_user_session_id: "visitor-7", from_account_name: null })).toEqual({ kind: "end-user", label: "visitor-7" });
    expect(conversationStarter({ from_source: "console", from_end_user_session_id: null, from_account_name: "Olive" })).toEqual({ kind: "account", label: "Olive" });
  });

  it("labels triggers and statuses for people", () => {
    expect(triggerLabel("app-run")).toBe("API / web app");
    expect(triggerLabel("debugging")).toBe("Console test run");
    expect(triggerLabel("webhook")).toBe("Webhook");
    expect(triggerLabel("something-new")).toBe("something-new");
    expect(statusLabel("partial-succeeded")).toBe("Partly succeeded");
    expect(statusLabel("succeeded")).toBe("Succeeded");
    expect(statusTone("exception")).toBe("failed");
    expect(statusTone("running")).toBe("pending");
    expect(statusTone("stopped")).toBe("neutral");
  });

  it("reads a node's tokens from its metadata and shows JSON only when there is some", () => {
    expect(nodeTokens({ total_tokens: 42, total_price: "0" })).toBe(42);
    expect(nodeTokens({ total_tokens: 0 })).toBeNull();
    expect(nodeTokens(null)).toBeNull();
    expect(prettyJson({ a: 1 })).toBe('{\n  "a": 1\n}');
    expect(prettyJson({})).toBeNull();
    expect(prettyJson(null)).toBeNull();
    expect(prettyJson([])).toBe("[]");
  });

  it("fills the quota bar and warns near the limit", () => {
    expect(quotaMeter(500, null)).toBeNull();
    expect(quotaMeter(250, 1000)).toEqual({ percent: 25, label: "25%", tone: "active", left: 750 });
    expect(quotaMeter(850, 1000)?.tone).toBe("warning");
    expect(quotaMeter(1200, 1000)).toEqual({ percent: 100, label: "100%", tone: "error", left: 0 });
    // A little use is not "0%".
    expect(quotaMeter(60, 1_000_000)).toMatchObject({ percent: 0.01, label: "<0.1%" });
    expect(quotaMeter(0, 1_000_000)?.label).toBe("0%");
    expect(quotaMeter(2345, 100_000)?.label).toBe("2.3%");
  });

  it("reads the quota field: blank or 0 clears it, separators are fine, other text is refused", () => {
    expect(parseQuota("")).toEqual({ ok: true, value: null });
    expect(parseQuota("0")).toEqual({ ok: true, value: null });
    expect(parseQuota("1,000,000")).toEqual({ ok: true, value: 1_000_000 });
    expect(parseQuota("12.5").ok).toBe(false);
    expect(parseQuota("-3").ok).toBe(false);
    expect(parseQuota("2000000000000").ok).toBe(false);
  });
});
