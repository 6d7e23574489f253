import { useEffect, useRef, useState } from "preact/hooks";
import type { Chart } from "chart.js";

export interface DailyDataset {
  label: string;
  /** One value per date; null leaves a gap. */
  values: Array<number | null>;
  colour: string;
}

interface DailyChartProps {
  type: "bar" | "line";
  /** `YYYY-MM-DD`, oldest first. */
  dates: string[];
  datasets: DailyDataset[];
  /** How a value reads on the axis and in the tooltip. */
  format: (value: number) => string;
  /** What the chart shows, for screen readers (the canvas is an image to them). */
  label: string;
  /** Values are counts: no fractional ticks on the axis. */
  whole?: boolean;
  testId?: string;
}

const dayLabel = (date: string) => new Date(`${date}T00:00:00Z`).toLocaleDateString(undefined, { month: "short", day: "numeric", timeZone: "UTC" });

/** A small chart of values per day, drawn by Chart.js, which is fetched the first time a chart is shown. */
export function DailyChart({ type, dates, datasets, format, label, whole = false, testId }: DailyChartProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart | null>(null);
  const drawnType = useRef<string>("");
  const [failed, setFailed] = useState(false);
  const [drawn, setDrawn] = useState(false);
  const formatRef = useRef(format);
  formatRef.current = format;
  const key = JSON.stringify([type, dates, datasets]);

  useEffect(() => {
    let cancelled = false;
    import("./chart-js")
      .then(({ Chart }) => {
        if (cancelled || !canvas.current) return;
        const styles = getComputedStyle(canvas.current);
        const muted = styles.getPropertyValue("--muted").trim() || "#667085";
        const grid = styles.getPropertyValue("--border").trim() || "#eaecf0";
        const data = {
          labels: dates.map(dayLabel),
          datasets: datasets.map((set) => ({
            label: set.label,
            data: set.values,
            backgroundColor: type === "bar" ? set.colour : `${set.colour}22`,
            borderColor: set.colour,
            borderWidth: type === "bar" ? 0 : 2,
            borderRadius: 3,
            pointRadius: dates.length > 14 ? 1.5 : 2.5,
            spanGaps: false,
            fill: type === "line" && datasets.length === 1,
            tension: 0.25,
          })),
        };
        if (chart.current && drawnType.current === type) {
          chart.current.data = data;
          chart.current.update();
        } else {
          chart.current?.destroy();
          chart.current = new Chart(canvas.current, {
            type,
            data,
            options: {
              animation: false,
              maintainAspectRatio: false,
              interaction: { mode: "index", intersect: false },
              plugins: {
                legend: { display: datasets.length > 1, position: "bottom", labels: { color: muted, boxWidth: 12 } },
                tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${item.parsed.y === null ? "—" : formatRef.current(item.parsed.y)}` } },
              },
              scales: {
                x: { grid: { display: false }, ticks: { color: muted, maxRotation: 0, autoSkipPadding: 12 } },
                y: { beginAtZero: true, grid: { color: grid }, ticks: { color: muted, maxTicksLimit: 5, precision: whole ? 0 : undefined, callback: (value) => formatRef.current(Number(value)) } },
              },
            },
          });
        }
        drawnType.current = type;
        setDrawn(true);
      })
      .catch(() => !cancelled && setFailed(true));
    return () => {
      cancelled = true;
    };
  }, [key]);

  useEffect(
    () => () => {
      chart.current?.destroy();
      chart.current = null;
    },
    [],
  );

  if (failed) return <p class="muted small">The chart could not be loaded; reload the page to try again.</p>;
  return (
    <div class="daily-chart">
      <canvas ref={canvas} role="img" aria-label={label} data-testid={testId} data-drawn={drawn ? "true" : undefined} />
    </div>
  );
}
