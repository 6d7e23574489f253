import { InvalidParamError } from "../../core/errors";
import { nextRunAt, type Schedule } from "../../core/triggers";
import { createDb } from "../db/client";
import { advanceSchedule, dueSchedules, TenantRepository, type ResolvedTrigger } from "../db/repositories";
import type { Env } from "../env";
import { prepareRun, runStub } from "./launch-run";

/** How many due schedules one cron tick starts; the rest wait for the next minute. */
const SCHEDULES_PER_TICK = 50;

export function scheduleOf(config: Record<string, unknown>): Schedule & { inputs: Record<string, unknown> } {
  return {
    cron: String(config.cron ?? ""),
    timezone: String(config.timezone ?? "UTC"),
    inputs: (config.inputs && typeof config.inputs === "object" ? config.inputs : {}) as Record<string, unknown>,
  };
}

/**
 * One schedule that is due: starts its workflow's published version (`triggered_from: schedule`)
 * unless the run it started last is still going. Either way the schedule moves to its next time
 * after now, so ticks missed while nothing ran collapse into one run rather than a burst.
 */
async function fire(env: Env, due: ResolvedTrigger, now: number): Promise<"started" | "skipped" | "lost"> {
  const { trigger, app } = due;
  const schedule = scheduleOf(trigger.config);
  let next: number;
  try {
    next = nextRunAt(schedule, now);
  } catch {
    // A schedule that no longer parses (it was checked when saved) stops instead of firing every minute.
    next = Number.MAX_SAFE_INTEGER;
  }
  const db = createDb(env.DB);
  const previous = trigger.lastRunId ? await runStub(env, trigger.lastRunId).getState() : null;
  const runnable = due.tenantStatus === "normal" && app.mode === "workflow" && app.publishedVersionId !== null;
  if (previous?.status === "running" || !runnable) {
    await advanceSchedule(db, trigger, next, null);
    return "skipped";
  }
  const runId = crypto.randomUUID();
  // Claim the tick first: of two overlapping cron invocations only one moves the schedule on.
  if (!(await advanceSchedule(db, trigger, next, { id: runId, at: now }))) return "lost";
  const tenant = new TenantRepository(db, app.tenantId);
  const version = await tenant.versions.getPublished(app.id, app.publishedVersionId!);
  if (!version) return "skipped";
  const endUser = await tenant.runs.ensureEndUser(app.id, "schedule");
  try {
    await prepareRun({ env }, { app, version, inputs: schedule.inputs, createdByRole: "end_user", createdBy: endUser.id, userId: endUser.id, triggeredFrom: "schedule", runId }).start();
  } catch (error) {
    if (!(error instanceof InvalidParamError)) throw error;
    console.warn(`schedule ${trigger.id} of app ${app.id} could not start its run: ${error.message}`);
    return "skipped";
  }
  return "started";
}

/** The Worker's cron tick: starts every due schedule (see `fire`). */
export async function runDueSchedules(env: Env, now = Math.floor(Date.now() / 1000)): Promise<Record<"started" | "skipped" | "lost", number>> {
  const counts = { started: 0, skipped: 0, lost: 0 };
  for (const due of await dueSchedules(createDb(env.DB), now, SCHEDULES_PER_TICK)) {
    try {
      counts[await fire(env, due, now)]++;
    } catch (error) {
      console.error(`schedule ${due.trigger.id} failed to fire`, error);
    }
  }
  return counts;
}
