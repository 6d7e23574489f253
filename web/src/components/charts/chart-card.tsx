import type { ComponentChildren } from "preact";

/** A titled chart with its headline figure (a total, or the latest value). */
export function ChartCard({ title, figure, testId, children }: { title: string; figure: string; testId: string; children: ComponentChildren }) {
  return (
    <section class="chart-card" data-testid={testId}>
      <div class="chart-card-head">
        <h3>{title}</h3>
        <span class="chart-figure" data-testid={`${testId}-figure`}>
          {figure}
        </span>
      </div>
      {children}
    </section>
  );
}

/** "Last 7 days" / "Last 30 days": the period the charts beside it cover. */
export function PeriodToggle({ days, onChange, testIdPrefix }: { days: number; onChange: (days: number) => void; testIdPrefix: string }) {
  return (
    <div class="draft-view-toggle" role="group" aria-label="Period">
      {[7, 30].map((period) => (
        <button key={period} type="button" aria-pressed={days === period} data-testid={`${testIdPrefix}-${period}d`} onClick={() => onChange(period)}>
          Last {period} days
        </button>
      ))}
    </div>
  );
}
