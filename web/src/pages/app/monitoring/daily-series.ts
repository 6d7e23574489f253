/** The days a chart shows and the figures the statistics endpoints return for them. */

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of a time, in UTC (the statistics endpoints count UTC days). */
export const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export interface DayWindow {
  /** Every day of the window, oldest first. */
  dates: string[];
  /** The endpoints' `start` and `end` (`YYYY-MM-DD HH:MM`, end excluded). */
  start: string;
  end: string;
}

/**
 * The last `days` days up to and including today.
 * @example lastDays(7, Date.parse("2026-03-10T09:00Z")).start // "2026-03-04 00:00"
 */
export function lastDays(days: number, now = Date.now()): DayWindow {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const dates = Array.from({ length: days }, (_, i) => utcDate(today - (days - 1 - i) * DAY_MS));
  return { dates, start: `${dates[0]} 00:00`, end: `${utcDate(today + DAY_MS)} 00:00` };
}

/**
 * One value per day of `dates` from the endpoint's rows (which leave out quiet days): `missing`
 * where a day has no row — 0 for counts, null (a gap in the line) for latencies.
 */
export function perDay<R extends { date: string }>(dates: string[], rows: R[], field: keyof R, missing: number | null = 0): Array<number | null> {
  const byDate = new Map(rows.map((row) => [row.date, row]));
  return dates.map((date) => {
    const value = byDate.get(date)?.[field];
    return typeof value === "number" ? value : missing;
  });
}

/** Sum of the days' values, ignoring gaps. */
export const total = (values: Array<number | null>) => values.reduce<number>((sum, value) => sum + (value ?? 0), 0);
