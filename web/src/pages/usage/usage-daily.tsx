import { useEffect, useState } from "preact/hooks";
import { errorMessage } from "../../api";
import { ChartCard, PeriodToggle } from "../../components/charts/chart-card";
import { DailyChart } from "../../components/charts/daily-chart";
import { ErrorText } from "../../components/error-text";
import { logsApi } from "../../logs-api";
import { formatPrice, formatTokens } from "../app/logs/log-format";
import { lastDays, perDay, total, type DayWindow } from "../app/monitoring/daily-series";

interface Figures {
  window: DayWindow;
  tokens: Array<number | null>;
  cost: Array<number | null>;
  calls: Array<number | null>;
  currency: string;
}

const count = (value: number) => Math.round(value).toLocaleString("en-US");

/** The workspace's model tokens, cost and calls per day (UTC) over the last 7 or 30 days. */
export function UsageDaily() {
  const [days, setDays] = useState(30);
  const [figures, setFigures] = useState<Figures | null>(null);
  const [error, setError] = useState("");

  useEffect(() => {
    let current = true;
    const window = lastDays(days);
    setError("");
    logsApi
      .dailyUsage(window)
      .then(({ data }) => {
        if (!current) return;
        setFigures({
          window,
          tokens: perDay(window.dates, data, "tokens"),
          cost: perDay(window.dates, data, "total_price"),
          calls: perDay(window.dates, data, "calls"),
          currency: data.find((row) => row.currency)?.currency ?? "USD",
        });
      })
      .catch((caught) => current && setError(errorMessage(caught)));
    return () => {
      current = false;
    };
  }, [days]);

  const dates = figures?.window.dates ?? [];
  return (
    <div class="card" data-testid="usage-daily" data-days={figures?.window.dates.length}>
      <div class="card-header">
        <div>
          <h2>Per day</h2>
          <p class="muted small">Every model call of the workspace, by UTC day.</p>
        </div>
        <PeriodToggle days={days} onChange={setDays} testIdPrefix="usage-daily" />
      </div>
      <ErrorText message={error} testId="usage-daily-error" />
      {!figures && !error && <p class="muted">Loading…</p>}
      {figures && (
        <div class="chart-grid">
          <ChartCard title="Tokens" figure={formatTokens(total(figures.tokens))} testId="usage-chart-tokens">
            <DailyChart type="bar" dates={dates} datasets={[{ label: "Tokens", values: figures.tokens, colour: "#7839ee" }]} format={count} whole label="Tokens per day" testId="usage-chart-tokens-canvas" />
          </ChartCard>
          <ChartCard title="Cost" figure={formatPrice(total(figures.cost), figures.currency)} testId="usage-chart-cost">
            <DailyChart type="bar" dates={dates} datasets={[{ label: "Cost", values: figures.cost, colour: "#039855" }]} format={(value) => formatPrice(value, figures.currency)} label="Cost per day" />
          </ChartCard>
          <ChartCard title="Model calls" figure={count(total(figures.calls))} testId="usage-chart-calls">
            <DailyChart type="bar" dates={dates} datasets={[{ label: "Calls", values: figures.calls, colour: "#155eef" }]} format={count} whole label="Model calls per day" />
          </ChartCard>
        </div>
      )}
    </div>
  );
}
