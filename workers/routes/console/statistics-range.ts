import { z } from "@hono/zod-openapi";
import { InvalidParamError } from "../../../core/errors";
import type { StatisticsRange } from "../../db/repositories/statistics-repository";

const DATETIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/;
const datetime = z
  .string()
  .regex(DATETIME, "Use YYYY-MM-DD HH:MM.")
  .or(z.literal(""))
  .optional()
  .describe("YYYY-MM-DD HH:MM, UTC");
/** `start` and `end` as Dify's statistics endpoints take them; empty means open. */
export const rangeQuery = z.object({ start: datetime, end: datetime });

/** Seconds since the epoch of a `YYYY-MM-DD HH:MM` (UTC), or undefined for none. */
function seconds(value: string | undefined): number | undefined {
  const match = value ? DATETIME.exec(value) : null;
  if (!match) return undefined;
  const [, year, month, date, hour, minute] = match.map(Number);
  return Date.UTC(year, month - 1, date, hour, minute) / 1000;
}

/** The query's range in Unix seconds; 400 when it runs backwards. */
export function rangeOf(query: z.infer<typeof rangeQuery>): StatisticsRange {
  const range = { start: seconds(query.start), end: seconds(query.end) };
  if (range.start !== undefined && range.end !== undefined && range.start > range.end) throw new InvalidParamError("start must be before end.");
  return range;
}
