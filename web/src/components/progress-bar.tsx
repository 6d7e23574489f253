/** A thin horizontal bar; `tone` colours it (active blue, done green, error red, paused grey). */
export function ProgressBar({ percent, tone = "active", label, testId }: { percent: number; tone?: "active" | "done" | "error" | "paused"; label: string; testId?: string }) {
  const value = Math.max(0, Math.min(100, Math.round(percent)));
  return (
    <div class={`progress progress-${tone}`} role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={value} data-testid={testId} data-percent={value}>
      <div class="progress-fill" style={{ width: `${value}%` }} />
    </div>
  );
}
