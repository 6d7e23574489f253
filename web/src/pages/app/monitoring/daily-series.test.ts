import { describe, expect, it } from "vitest";
import { lastDays, perDay, total } from "./daily-series";

describe("lastDays", () => {
  it("ends with today (UTC) and asks for everything before tomorrow", () => {
    const window = lastDays(3, Date.parse("2026-03-01T23:30:00Z"));
    expect(window.dates).toEqual(["2026-02-27", "2026-02-28", "2026-03-01"]);
    expect(window).toMatchObject({ start: "2026-02-27 00:00", end: "2026-03-02 00:00" });
    expect(lastDays(30, Date.parse("2026-03-01T00:00:00Z")).dates).toHaveLength(30);
  });
});

describe("perDay", () => {
  const dates = ["2026-02-27", "2026-02-28", "2026-03-01"];
  const rows = [
    { date: "2026-02-28", message_count: 4, p50: 120 },
    { date: "2026-03-01", message_count: 1, p50: 80 },
  ];

  it("fills quiet days with zero for counts and a gap for latencies", () => {
    expect(perDay(dates, rows, "message_count")).toEqual([0, 4, 1]);
    expect(perDay(dates, rows, "p50", null)).toEqual([null, 120, 80]);
  });

  it("ignores rows outside the window and sums what is shown", () => {
    const values = perDay(dates, [...rows, { date: "2026-02-01", message_count: 99, p50: 1 }], "message_count");
    expect(total(values)).toBe(5);
    expect(total([null, 2, null])).toBe(2);
  });
});
