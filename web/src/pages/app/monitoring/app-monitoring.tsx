import { useEffect, useState } from "preact/hooks";
import { errorMessage, type App } from "../../../api";
import { ChartCard, PeriodToggle } from "../../../components/charts/chart-card";
import { DailyChart } from "../../../components/charts/daily-chart";
import { ErrorText } from "../../../components/error-text";
import { logsApi } from "../../../logs-api";
import { formatPrice, formatTokens } from "../logs/log-format";
import { lastDays, perDay, total, type DayWindow } from "./daily-series";

type Rows<K extends string> = Array<{ date: string } & Record<K, number>>;

interface Figures {
  window: DayWindow;
  calls: Array<number | null>;
  tokens: Array<number | null>;
  cost: Array<number | null>;
  currency: string;
  p50: Array<number | null>;
  p95: Array<number | null>;
  errors: Array<number | null>;
}

const count = (value: number) => Math.round(value).toLocaleString("en-US");
const milliseconds = (value: number) => (value >= 1000 ? `${(value / 1000).toFixed(value >= 10_000 ? 0 : 1)} s` : `${Math.round(value)} ms`);

/** Reads the app's series for the window: messages (runs for workflows), tokens and cost, latency percentiles, errors. */
async function loadFigures(app: App, window: DayWindow): Promise<Figures> {
  const workflow = app.mode === "workflow";
  const [calls, costs, latency, errors] = await Promise.all([
    workflow
      ? logsApi.statistics<{ date: string; runs: number }>(app.id, "workflow/statistics/daily-conversations", window)
      : logsApi.statistics<{ date: string; message_count: number }>(app.id, "statistics/daily-messages", window),
    logsApi.statistics<{ date: string; token_count: number; total_price: number; currency: string }>(app.id, workflow ? "workflow/statistics/token-costs" : "statistics/token-costs", window),
    logsApi.statistics<{ date: string; p50: number; p95: number }>(app.id, "statistics/latency-percentiles", window),
    logsApi.statistics<{ date: string; error_count: number }>(app.id, "statistics/daily-errors", window),
  ]);
  const dates = window.dates;
  return {
    window,
    calls: workflow ? perDay(dates, calls.data as Rows<"runs">, "runs") : perDay(dates, calls.data as Rows<"message_count">, "message_count"),
    tokens: perDay(dates, costs.data, "token_count"),
    cost: perDay(dates, costs.data, "total_price"),
    currency: costs.data.find((row) => row.currency)?.currency ?? "USD",
    p50: perDay(dates, latency.data, "p50", null),
    p95: perDay(dates, latency.data, "p95", null),
    errors: perDay(dates, errors.data, "error_count"),
  };
}

/** The latest day with a value, for the latency card's headline. */
const latest = (values: Array<number | null>) => [...values].reverse().find((value) => value !== null) ?? null;

/**
 * The app's activity per day over the last 7 or 30 days (UTC): messages or runs, tokens, cost,
 * latency p50/p95 and errors — from real calls only, not the console's own previews and test runs.
 */
export function AppMonitoring({ app }: { app: App }) {
  const [days, setDays] = useState(7);
  const [figures, setFigures] = useState<Figures | null>(null);
  const [error, setError] = useState("");

  useEffect(() => {
    let current = true;
    setError("");
    loadFigures(app, lastDays(days))
      .then((next) => current && setFigures(next))
      .catch((caught) => current && setError(errorMessage(caught)));
    return () => {
      current = false;
    };
  }, [app.id, app.mode, days]);

  const noun = app.mode === "workflow" ? "Runs" : "Messages";
  const dates = figures?.window.dates ?? [];
  return (
    <div class="card" data-testid="app-monitoring" data-days={figures?.window.dates.length}>
      <div class="card-header">
        <div>
          <h2>Monitoring</h2>
          <p class="muted small">Calls through the API and the web app per day (UTC); previews and test runs in the console are not counted.</p>
        </div>
        <PeriodToggle days={days} onChange={setDays} testIdPrefix="monitoring" />
      </div>
      <ErrorText message={error} testId="monitoring-error" />
      {!figures && !error && <p class="muted">Loading…</p>}
      {figures && (
        <div class="chart-grid">
          <ChartCard title={noun} figure={count(total(figures.calls))} testId="chart-calls">
            <DailyChart type="bar" dates={dates} datasets={[{ label: noun, values: figures.calls, colour: "#155eef" }]} format={count} whole label={`${noun} per day`} testId="chart-calls-canvas" />
          </ChartCard>
          <ChartCard title="Tokens" figure={formatTokens(total(figures.tokens))} testId="chart-tokens">
            <DailyChart type="bar" dates={dates} datasets={[{ label: "Tokens", values: figures.tokens, colour: "#7839ee" }]} format={count} whole label="Tokens per day" />
          </ChartCard>
          <ChartCard title="Cost" figure={formatPrice(total(figures.cost), figures.currency)} testId="chart-cost">
            <DailyChart type="bar" dates={dates} datasets={[{ label: "Cost", values: figures.cost, colour: "#039855" }]} format={(value) => formatPrice(value, figures.currency)} label="Cost per day" />
          </ChartCard>
          <ChartCard
            title={app.mode === "workflow" ? "Run time" : "Response latency"}
            figure={latest(figures.p50) === null ? "—" : `p50 ${milliseconds(latest(figures.p50)!)} · p95 ${milliseconds(latest(figures.p95)!)}`}
            testId="chart-latency"
          >
            <DailyChart
              type="line"
              dates={dates}
              datasets={[
                { label: "p50", values: figures.p50, colour: "#155eef" },
                { label: "p95", values: figures.p95, colour: "#f79009" },
              ]}
              format={milliseconds}
              label="Latency p50 and p95 per day"
            />
          </ChartCard>
          <ChartCard title="Errors" figure={count(total(figures.errors))} testId="chart-errors">
            <DailyChart type="bar" dates={dates} datasets={[{ label: "Errors", values: figures.errors, colour: "#d92d20" }]} format={count} whole label="Errors per day" />
          </ChartCard>
        </div>
      )}
    </div>
  );
}
