/**
 * Crash and resume inside workerd: a run's Durable Object whose in-memory state is gone (evicted
 * or crashed after a checkpoint) is continued by its alarm from the last finished node; finished
 * nodes never run again, every node ends up with exactly one execution, and the run is recorded
 * once in D1.
 */
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { runWorkflow, type RunSnapshot, type WorkflowEvent } from "../../core/engine";
import { RunStorage } from "../../durable-objects/run-storage";
import type { RunState, StartRunRequest } from "../../durable-objects/workflow-run-types";
import { buildNodePorts, buildNodeRegistry } from "../../workers/adapters/node-runtime";
import { lengthRouterGraph } from "../fixtures/length-router";
import { seedTenant } from "./harness";

async function appRow(tenantId: string): Promise<string> {
  const appId = crypto.randomUUID();
  await env.DB.prepare("INSERT INTO apps (id, tenant_id, name, mode) VALUES (?, ?, 'resume', 'workflow')").bind(appId, tenantId).run();
  return appId;
}

describe("WorkflowRun resume", () => {
  it("continues from the last checkpoint after losing its in-memory state", async () => {
    const t = await seedTenant("resume");
    const appId = await appRow(t.tenantId);
    const runId = crypto.randomUUID();
    const request: StartRunRequest = {
      runId, tenantId: t.tenantId, appId, workflowId: "v1", mode: "workflow", graph: lengthRouterGraph,
      inputs: { query: "resume me please" }, system: { user_id: "u", workflow_run_id: runId }, environmentVariables: [], conversationVariables: [],
      triggeredFrom: "app-run", createdByRole: "end_user", createdBy: "u",
    };

    // What the crashed instance had durably stored: checkpoints after "start" and "code", and the
    // events up to the second checkpoint. (The engine run that produced them is thrown away.)
    const snapshots: RunSnapshot[] = [];
    const events: WorkflowEvent[] = [];
    await runWorkflow({ ...request, registry: buildNodeRegistry(), ports: buildNodePorts(env, t.tenantId), onEvent: (e) => events.push(e), onNodeFinished: (s) => snapshots.push(structuredClone(s)) });
    const checkpoint = snapshots[1]!;
    expect(Object.entries(checkpoint.nodes).filter(([, s]) => s === "succeeded").map(([id]) => id).sort()).toEqual(["code", "start"]);

    const stub = env.WORKFLOW_RUN.get(env.WORKFLOW_RUN.idFromName(runId));
    await runInDurableObject(stub, async (_instance, state) => {
      const storage = new RunStorage(state.storage.sql);
      storage.saveRequest(request);
      const running: RunState = { runId, tenantId: t.tenantId, appId, workflowId: "v1", status: "running", inputs: request.inputs, outputs: null, error: null, elapsedTime: 0, totalTokens: 0, totalSteps: 0, exceptionsCount: 0, createdAt: Math.floor(Date.now() / 1000), finishedAt: null, recorded: false };
      storage.saveState(running);
      storage.saveSnapshot(checkpoint);
      // Events past the checkpoint (the node that was running when it crashed) are in the log too.
      for (const event of events.filter((e) => e.seq <= checkpoint.seq + 1)) storage.appendEvent(event);
      await state.storage.setAlarm(Date.now() + 60_000);
    });

    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const finished = (await (stub as any).wait()) as RunState;
    expect(finished).toMatchObject({ status: "succeeded", outputs: { result: "LONG(16): RESUME ME PLEASE" } });

    const log = await runInDurableObject(stub, (_i, state) => new RunStorage(state.storage.sql).eventsAfter(0));
    const finishedNodes = log.filter((e) => e.type === "node_finished").map((e) => (e as any).data.node_id);
    expect(finishedNodes).toEqual(["start", "code", "ifelse", "tpl", "end_long"]);
    const started = log.filter((e) => e.type === "node_started").map((e) => (e as any).data.node_id);
    expect(started).toEqual(["start", "code", "ifelse", "tpl", "end_long"]);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    // Like Dify after a pause, the continued run announces itself with reason "resumption".
    expect(log.filter((e) => e.type === "workflow_started").map((e) => (e as any).data.reason)).toEqual(["initial", "resumption"]);

    await expect.poll(async () => env.DB.prepare("SELECT count(*) AS n FROM node_executions WHERE workflow_run_id = ?").bind(runId).first("n")).toBe(5);
    // The alarm may fire again (at-least-once): nothing runs twice and nothing is duplicated.
    await runDurableObjectAlarm(stub);
    await runDurableObjectAlarm(stub);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM node_executions WHERE workflow_run_id = ?").bind(runId).first("n")).toBe(5);
    expect(await env.DB.prepare("SELECT status FROM workflow_runs WHERE id = ?").bind(runId).first("status")).toBe("succeeded");
  });
});
