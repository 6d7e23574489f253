import { createApp } from "./app";
import type { Env } from "./env";
import { consumeQueue } from "./queue-consumer";
import { runDueSchedules } from "./runs/triggers";

export { WorkflowRun } from "../durable-objects/workflow-run";
export { VectorIndex } from "../durable-objects/vector-index";
export { AppRateLimiter } from "../durable-objects/app-rate-limiter";
// The gate every plugin isolate's outbound fetch goes through (its `globalOutbound`).
export { PluginGate } from "./adapters/plugin-gate";

const app = createApp();
/** The cron of wrangler.toml's `[triggers]` that runs housekeeping; the other one runs schedules. */
const HOUSEKEEPING_CRON = "*/15 * * * *";

export default {
  fetch: app.fetch,

  async queue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
    await consumeQueue(batch, env);
  },

  // Every minute: workflow schedules that are due. Every 15 minutes (HOUSEKEEPING_CRON): housekeeping.
  async scheduled(controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
    const now = Math.floor(controller.scheduledTime / 1000);
    if (controller.cron === HOUSEKEEPING_CRON) {
      // Expired sessions and stale login-failure windows.
      await env.DB.batch([
        env.DB.prepare("DELETE FROM sessions WHERE expires_at < ?").bind(now),
        env.DB.prepare("DELETE FROM login_failures WHERE window_start < ?").bind(now - 3600),
      ]);
      return;
    }
    await runDueSchedules(env, now);
  },
} satisfies ExportedHandler<Env>;
