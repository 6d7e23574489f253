import type { ComponentChildren } from "preact";
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { errorMessage } from "../../api";
import { ErrorText } from "../../components/error-text";
import { showToast } from "../../components/toast";
import { modeLabel } from "../../format";
import { logsApi, type UsageSlice, type WorkspaceUsage } from "../../logs-api";
import { Link } from "../../router";
import { canEditApps, canSetTokenQuota } from "../../session";
import { formatPrice, formatTokens, parseQuota, quotaMeter } from "../app/logs/log-format";
import { UsageDaily } from "./usage-daily";

const monthName = (seconds: number) => new Date(seconds * 1000).toLocaleDateString(undefined, { month: "long", year: "numeric", timeZone: "UTC" });

/** Settings → Usage: this month's model tokens and price against the quota, per app and per model; the owner sets the quota. */
export function UsageSection() {
  const usage = useSignal<WorkspaceUsage | null>(null);
  const error = useSignal("");

  const load = async () => {
    try {
      usage.value = await logsApi.usage();
      error.value = "";
    } catch (caught) {
      error.value = errorMessage(caught);
    }
  };

  useEffect(() => {
    void load();
  }, []);

  const current = usage.value;
  return (
    <div class="stack grow" data-testid="usage-section">
      <div class="page-header">
        <div>
          <h1>Usage</h1>
          <p class="muted">Model tokens this workspace's apps, workflows and knowledge used this month (UTC), and the monthly limit that stops new generations once reached.</p>
        </div>
      </div>
      <ErrorText message={error.value} testId="usage-error" />
      {!current && !error.value && <p class="muted">Loading…</p>}
      {current && (
        <>
          <UsageSummary usage={current} />
          {canSetTokenQuota.value ? (
            <QuotaForm quota={current.monthly_token_quota} onSaved={(next) => (usage.value = next)} />
          ) : (
            <div class="card muted small" data-testid="quota-read-only">
              The monthly token quota is set by the workspace owner.
            </div>
          )}
          <UsageDaily />
          {current.calls === 0 ? (
            <div class="empty-state compact-empty" data-testid="usage-empty">
              <div class="empty-icon">📊</div>
              <h2>No model calls this month yet</h2>
              <p class="muted">Usage appears here as apps answer — try one on its Preview tab, or run a workflow.</p>
              <Link href="/apps" class="btn btn-primary">
                Go to apps
              </Link>
            </div>
          ) : (
            <div class="grid-2 usage-breakdowns">
              <Breakdown
                title="By app"
                testId="usage-by-app"
                rowTestId="usage-app-row"
                total={current.tokens_used}
                currency={current.currency}
                rows={current.by_app.map((row) => ({
                  key: row.app_id ?? "deleted",
                  attr: row.app_id ?? "",
                  label: row.app_id && row.app_name ? <Link href={`/app/${row.app_id}/${row.app_mode === "workflow" || canEditApps.value ? "logs" : "overview"}`}>{row.app_name}</Link> : <span class="muted">{row.app_id ? "Deleted app" : "Outside apps (knowledge, plugins)"}</span>,
                  sub: row.app_mode ? modeLabel(row.app_mode) : "",
                  slice: row,
                }))}
              />
              <Breakdown
                title="By model"
                testId="usage-by-model"
                rowTestId="usage-model-row"
                total={current.tokens_used}
                currency={current.currency}
                rows={current.by_model.map((row) => ({
                  key: `${row.provider}/${row.model}`,
                  attr: row.model,
                  label: <span class="mono">{row.model}</span>,
                  sub: row.provider.split("/").at(-1) ?? row.provider,
                  slice: row,
                }))}
              />
            </div>
          )}
        </>
      )}
    </div>
  );
}

function UsageSummary({ usage }: { usage: WorkspaceUsage }) {
  const meter = quotaMeter(usage.tokens_used, usage.monthly_token_quota);
  return (
    <div class="card usage-summary">
      <div class="card-header">
        <div>
          <span class="field-label">{monthName(usage.month_start)}</span>
          <div class="usage-figure">
            <strong data-testid="usage-tokens">{formatTokens(usage.tokens_used)}</strong>
            <span class="muted" data-testid="usage-quota">
              {usage.monthly_token_quota ? ` of ${formatTokens(usage.monthly_token_quota)} tokens` : " tokens · no monthly limit"}
            </span>
          </div>
        </div>
        <div class="usage-side">
          <span class="field-label">Cost</span>
          <div class="usage-figure">
            <strong data-testid="usage-price">{formatPrice(usage.total_price, usage.currency)}</strong>
          </div>
          <span class="muted small">{usage.calls.toLocaleString("en-US")} model calls</span>
        </div>
      </div>
      {meter && (
        <>
          <div
            class={`progress usage-bar progress-${meter.tone === "active" ? "active" : meter.tone}`}
            role="progressbar"
            aria-label="Monthly token quota used"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={meter.percent}
            data-testid="usage-bar"
            data-percent={meter.percent}
          >
            <div class="progress-fill" style={{ width: `${Math.max(meter.percent, usage.tokens_used > 0 ? 0.6 : 0)}%` }} />
          </div>
          <p class={meter.tone === "error" ? "small danger-text" : "muted small"} data-testid="usage-left">
            {meter.tone === "error"
              ? "The quota is used up: new generations are refused until next month or until the quota is raised."
              : `${meter.label} used · ${formatTokens(meter.left)} tokens left this month`}
          </p>
        </>
      )}
    </div>
  );
}

function QuotaForm({ quota, onSaved }: { quota: number | null; onSaved: (usage: WorkspaceUsage) => void }) {
  const text = useSignal(quota ? quota.toLocaleString("en-US") : "");
  const saving = useSignal(false);
  const error = useSignal("");

  const save = async (value: number | null) => {
    saving.value = true;
    error.value = "";
    try {
      const next = await logsApi.setQuota(value);
      text.value = next.monthly_token_quota ? next.monthly_token_quota.toLocaleString("en-US") : "";
      onSaved(next);
      showToast(next.monthly_token_quota ? `Monthly quota set to ${formatTokens(next.monthly_token_quota)} tokens` : "Monthly quota removed");
    } catch (caught) {
      error.value = errorMessage(caught);
    } finally {
      saving.value = false;
    }
  };

  const submit = (event: Event) => {
    event.preventDefault();
    const parsed = parseQuota(text.value);
    if (!parsed.ok) {
      error.value = parsed.error;
      return;
    }
    void save(parsed.value);
  };

  return (
    <form class="card" onSubmit={submit} data-testid="quota-form">
      <div class="card-header">
        <div>
          <h2>Monthly token quota</h2>
          <p class="muted small">Once this month's tokens reach it, apps refuse new generations with a quota error. Leave it empty for no limit.</p>
        </div>
      </div>
      <div class="row gap quota-row">
        <label class="field">
          <span class="visually-hidden">Tokens per month</span>
          <input type="text" inputMode="numeric" placeholder="No limit" data-testid="quota-input" value={text.value} onInput={(e) => (text.value = e.currentTarget.value)} />
        </label>
        <span class="muted">tokens per month</span>
        <button type="submit" class="btn btn-primary" data-testid="quota-save" disabled={saving.value}>
          {saving.value ? "Saving…" : "Save"}
        </button>
        {quota !== null && (
          <button type="button" class="btn" data-testid="quota-clear" disabled={saving.value} onClick={() => void save(null)}>
            Remove limit
          </button>
        )}
      </div>
      <ErrorText message={error.value} testId="quota-error" />
    </form>
  );
}

interface BreakdownRow {
  key: string;
  attr: string;
  label: ComponentChildren;
  sub: string;
  slice: UsageSlice;
}

function Breakdown({ title, testId, rowTestId, rows, total, currency }: { title: string; testId: string; rowTestId: string; rows: BreakdownRow[]; total: number; currency: string }) {
  return (
    <div class="card flush">
      <div class="card-header pad">
        <h2>{title}</h2>
      </div>
      <table class="table" data-testid={testId}>
        <thead>
          <tr>
            <th>{title === "By app" ? "App" : "Model"}</th>
            <th class="numeric">Tokens</th>
            <th class="numeric">Cost</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} data-testid={rowTestId} data-key={row.attr}>
              <td>
                <div>{row.label}</div>
                <div class="muted small">
                  {row.sub}
                  {row.sub ? " · " : ""}
                  {row.slice.calls} call{row.slice.calls === 1 ? "" : "s"}
                </div>
                <div class="share-bar" aria-hidden="true">
                  <div style={{ width: `${total ? Math.max(1, (100 * row.slice.tokens) / total) : 0}%` }} />
                </div>
              </td>
              <td class="numeric" data-testid={`${rowTestId}-tokens`}>
                {formatTokens(row.slice.tokens)}
              </td>
              <td class="numeric">{formatPrice(row.slice.total_price, currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
