import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { errorMessage, type App } from "../../../api";
import { ErrorText } from "../../../components/error-text";
import { formatDateTime, formatRelative } from "../../../format";
import { logsApi, type RunLog } from "../../../logs-api";
import { Link, navigate } from "../../../router";
import { canEditApps } from "../../../session";
import { formatElapsed, formatTokens, runStarter, triggerLabel } from "./log-format";
import { logsHref } from "./logs-tab";
import { StatusBadge } from "./status-badge";

const PAGE_SIZE = 20;
const STATUSES = [
  { value: "", label: "All" },
  { value: "succeeded", label: "Succeeded" },
  { value: "failed", label: "Failed" },
  { value: "partial-succeeded", label: "Partly succeeded" },
  { value: "stopped", label: "Stopped" },
  { value: "running", label: "Running" },
];
/** Typing in the search box waits this long before asking the API. */
const SEARCH_DELAY_MS = 300;

/** A workflow's runs, newest first: filter by status, search inputs and outputs, page through. */
export function RunLogs({ app }: { app: App }) {
  const runs = useSignal<RunLog[]>([]);
  const total = useSignal(0);
  const page = useSignal(1);
  const status = useSignal("");
  const keyword = useSignal("");
  const search = useSignal("");
  const loading = useSignal(true);
  const error = useSignal("");
  const request = useRef(0);

  const load = async () => {
    const ticket = ++request.current;
    loading.value = true;
    try {
      const result = await logsApi.runs(app.id, { page: page.value, limit: PAGE_SIZE, status: status.value || undefined, keyword: keyword.value || undefined });
      if (ticket !== request.current) return;
      runs.value = result.data;
      total.value = result.total;
      error.value = "";
    } catch (caught) {
      if (ticket === request.current) error.value = errorMessage(caught);
    } finally {
      if (ticket === request.current) loading.value = false;
    }
  };

  useEffect(() => {
    void load();
  }, [app.id, page.value, status.value, keyword.value]);

  useEffect(() => {
    const timer = setTimeout(() => {
      if (search.value.trim() !== keyword.value) {
        keyword.value = search.value.trim();
        page.value = 1;
      }
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search.value]);

  const filtered = Boolean(status.value || keyword.value);
  const pages = Math.max(1, Math.ceil(total.value / PAGE_SIZE));
  const clear = () => {
    status.value = "";
    search.value = "";
    keyword.value = "";
    page.value = 1;
  };

  return (
    <div class="stack" data-testid="run-logs">
      <div class="toolbar log-toolbar">
        <div class="segmented" role="group" aria-label="Filter by status">
          {STATUSES.map((s) => (
            <button
              key={s.value || "all"}
              type="button"
              class={status.value === s.value ? "segment active" : "segment"}
              aria-pressed={status.value === s.value}
              data-testid={`run-status-filter-${s.value || "all"}`}
              onClick={() => {
                status.value = s.value;
                page.value = 1;
              }}
            >
              {s.label}
            </button>
          ))}
        </div>
        <input
          type="search"
          class="search-input"
          placeholder="Search inputs and outputs"
          aria-label="Search runs"
          data-testid="run-search"
          value={search.value}
          onInput={(e) => (search.value = e.currentTarget.value)}
        />
      </div>
      <ErrorText message={error.value} testId="logs-error" />
      <div class="card flush">
        {!loading.value && runs.value.length === 0 && !error.value ? (
          filtered ? (
            <div class="empty-inline" data-testid="runs-empty">
              <p>
                <strong>No runs match these filters.</strong>
              </p>
              <button type="button" class="btn btn-small" data-testid="clear-run-filters" onClick={clear}>
                Clear filters
              </button>
            </div>
          ) : (
            <div class="empty-inline" data-testid="runs-empty">
              <div class="empty-icon">📜</div>
              <p>
                <strong>No runs yet.</strong>
              </p>
              <p class="muted">
                Every run of this workflow appears here — test runs from the editor and calls through the API — with its inputs, outputs and each node's work.
              </p>
              <div class="row gap center-row">
                {canEditApps.value && (
                  <Link href={`/app/${app.id}/draft`} class="btn btn-primary" data-testid="runs-empty-draft">
                    Run the draft
                  </Link>
                )}
                <Link href={`/app/${app.id}/api`} class="btn" data-testid="runs-empty-api">
                  Call it through the API
                </Link>
              </div>
            </div>
          )
        ) : (
          <table class="table clickable-rows" data-testid="run-log-list">
            <thead>
              <tr>
                <th>Status</th>
                <th>Started</th>
                <th>Source</th>
                <th>Started by</th>
                <th class="numeric">Elapsed</th>
                <th class="numeric">Tokens</th>
              </tr>
            </thead>
            <tbody>
              {runs.value.map((run) => {
                const starter = runStarter(run);
                const href = logsHref(app.id, { run: run.id });
                return (
                  <tr key={run.id} data-testid="run-log-row" data-run-id={run.id} data-status={run.status} onClick={(event) => !(event.target as HTMLElement).closest("a") && navigate(href)}>
                    <td>
                      <StatusBadge status={run.status} testId="run-log-status" />
                    </td>
                    <td>
                      <Link href={href} data-testid="run-log-open" title={formatDateTime(run.created_at)}>
                        {formatRelative(run.created_at)}
                      </Link>
                    </td>
                    <td data-testid="run-log-trigger">{triggerLabel(run.triggered_from)}</td>
                    <td data-testid="run-log-who">
                      <span class={`who who-${starter.kind}`}>{starter.label}</span>
                    </td>
                    <td class="numeric" data-testid="run-log-elapsed">
                      {formatElapsed(run.elapsed_time)}
                    </td>
                    <td class="numeric" data-testid="run-log-tokens">
                      {formatTokens(run.total_tokens)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {loading.value && runs.value.length === 0 && <p class="muted pad">Loading…</p>}
      </div>
      {total.value > PAGE_SIZE && (
        <div class="pager" data-testid="runs-pager">
          <button type="button" class="btn btn-small" data-testid="runs-prev" disabled={page.value <= 1 || loading.value} onClick={() => (page.value -= 1)}>
            ← Newer
          </button>
          <span class="muted small" data-testid="runs-page">
            Page {page.value} of {pages} · {total.value} runs
          </span>
          <button type="button" class="btn btn-small" data-testid="runs-next" disabled={page.value >= pages || loading.value} onClick={() => (page.value += 1)}>
            Older →
          </button>
        </div>
      )}
      {total.value > 0 && total.value <= PAGE_SIZE && (
        <p class="muted small" data-testid="runs-page">
          {total.value} run{total.value === 1 ? "" : "s"}
        </p>
      )}
    </div>
  );
}
