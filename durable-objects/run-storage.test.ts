import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { RunState } from "./workflow-run-types";
import { RunStorage } from "./run-storage";

const state = (runId: string, error: string | null): RunState => ({
  runId, tenantId: "t", appId: "a", workflowId: "w", status: "running", inputs: {}, outputs: null, error,
  elapsedTime: 0, totalTokens: 0, totalSteps: 0, exceptionsCount: 0, createdAt: 1, finishedAt: null, recorded: false,
});

describe("RunStorage", () => {
  it("keeps values over 2 MB in parts, and a rewrite that grows or shrinks leaves no stale part, across instances", async () => {
    const stub = env.WORKFLOW_RUN.get(env.WORKFLOW_RUN.idFromName(`storage-${crypto.randomUUID()}`));
    await runInDurableObject(stub, async (_instance, ctx) => {
      const parts = () => ctx.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM kv WHERE key = 'state'").one().n;
      const first = new RunStorage(ctx.storage.sql);
      first.saveState(state("r", "x".repeat(3 * 1024 * 1024)));
      expect(parts()).toBe(7);
      first.saveState(state("r", "short"));
      expect(parts()).toBe(1);
      expect(first.state()?.error).toBe("short");
      first.saveState(state("r", "y".repeat(1024 * 1024 + 10)));
      expect(parts()).toBe(3);

      // Another instance (after an eviction) knows nothing of the sizes: it reads, then rewrites.
      const second = new RunStorage(ctx.storage.sql);
      expect(second.state()?.error).toHaveLength(1024 * 1024 + 10);
      second.saveState(state("r", null));
      expect(parts()).toBe(1);
      const third = new RunStorage(ctx.storage.sql);
      expect(third.state()).toEqual(state("r", null));
      third.reset();
      expect(third.state()).toEqual(state("r", null));
    });
  });
});
