import { createApp } from "./app";
import type { Env } from "./env";
import { consumeQueue } from "./queue-consumer";

export { WorkflowRun } from "../durable-objects/workflow-run";
export { VectorIndex } from "../durable-objects/vector-index";
export { AppRateLimiter } from "../durable-objects/app-rate-limiter";

const app = createApp();

export default {
  fetch: app.fetch,

  async queue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
    await consumeQueue(batch, env);
  },

  async scheduled(_controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
    // Housekeeping: expired sessions and stale login-failure windows.
    const now = Math.floor(Date.now() / 1000);
    await env.DB.batch([
      env.DB.prepare("DELETE FROM sessions WHERE expires_at < ?").bind(now),
      env.DB.prepare("DELETE FROM login_failures WHERE window_start < ?").bind(now - 3600),
    ]);
  },
} satisfies ExportedHandler<Env>;
