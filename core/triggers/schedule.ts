import { Cron } from "croner";
import { InvalidParamError } from "../errors";

/** A schedule's cron expression (five fields, or six with seconds refused) and IANA time zone. */
export interface Schedule {
  cron: string;
  timezone: string;
}

function validTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks a schedule and returns when it first fires after `after` (Unix seconds). Five-field cron
 * (minute hour day-of-month month day-of-week, with `*`, lists, ranges, steps and names); the
 * finest schedule is once a minute, as the Worker's cron ticks.
 *
 * @example
 * nextRunAt({ cron: "0 9 * * mon-fri", timezone: "Europe/Lisbon" }, Date.now() / 1000)
 */
export function nextRunAt(schedule: Schedule, after: number): number {
  const fields = schedule.cron.trim().split(/\s+/);
  if (fields.length !== 5) throw new InvalidParamError(`"${schedule.cron}" is not a five-field cron expression (minute hour day-of-month month day-of-week), e.g. "0 9 * * 1-5".`);
  if (!validTimezone(schedule.timezone)) throw new InvalidParamError(`"${schedule.timezone}" is not a time zone; use an IANA name such as "UTC" or "Europe/Berlin".`);
  let job: Cron;
  try {
    job = new Cron(fields.join(" "), { timezone: schedule.timezone, paused: true });
  } catch (error) {
    throw new InvalidParamError(`"${schedule.cron}" is not a valid cron expression: ${error instanceof Error ? error.message : String(error)}`);
  }
  const next = job.nextRun(new Date(Math.floor(after) * 1000));
  job.stop();
  if (!next) throw new InvalidParamError(`"${schedule.cron}" never fires.`);
  return Math.floor(next.getTime() / 1000);
}
