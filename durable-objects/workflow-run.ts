import { DurableObject } from "cloudflare:workers";
import { AnswerModerator } from "../core/apps";
import { resumeWorkflow, runWorkflow, type RunResult, type RunSnapshot, type RunWorkflowOptions, type WorkflowEvent } from "../core/engine";
import { buildModelRuntime, modelsOfGraph, tenantCredentialSource, type CredentialSource } from "../workers/adapters/model-runtime";
import { buildNodePorts, buildNodeRegistry } from "../workers/adapters/node-runtime";
import { createDb } from "../workers/db/client";
import { TenantRepository } from "../workers/db/repositories";
import { generateConversationName } from "../workers/runs/conversation-name";
import { defaultModel } from "../workers/runs/default-model";
import type { Env } from "../workers/env";
import { recordRun } from "./record-run";
import { RunStorage } from "./run-storage";
import type { RunState, StartRunRequest } from "./workflow-run-types";

/** While a run is going, the alarm checks every so often that it is still executing (crash recovery). */
const HEARTBEAT_MS = 15_000;
/** How long a finished run's event log stays for reconnects and replays. */
const RETENTION_MS = 24 * 3600 * 1000;
const RECORD_RETRY_MS = 10_000;

const encoder = new TextEncoder();

/**
 * One instance per workflow run (`idFromName(runId)`). Holds the variable pool in memory while the
 * engine runs, checkpoints after every finished node, keeps the event log for any number of
 * subscribers (replay from a sequence number), and writes the run and its node executions to D1 in
 * one batch at the end. If the instance is evicted or crashes mid-run, the alarm resumes the run
 * from the last checkpoint: finished nodes are not run again.
 */
export class WorkflowRun extends DurableObject<Env> {
  private readonly storage: RunStorage;
  private execution: Promise<void> | undefined;
  private controller: AbortController | undefined;
  private readonly listeners = new Set<(event: WorkflowEvent) => void>();
  /**
   * Events since the last checkpoint. They reach subscribers at once but are written with the next
   * checkpoint, in the same transaction as the snapshot: if the object dies in between, the node
   * that emitted them runs again on resume and emits them again under the same sequence numbers.
   */
  private unsaved: WorkflowEvent[] = [];
  private readonly waiters: Array<(state: RunState) => void> = [];
  /**
   * A chat turn's closing `workflow_finished`, held back until its message is written to D1: the
   * client must not see the stream end before the next message's memory can read this one.
   */
  private heldFinal: WorkflowEvent | undefined;
  /** Whether this object's run is a chat turn (set when it launches). */
  private chatTurn = false;
  /** A chat turn's answer moderation (see `moderate`), rebuilt from the saved events on resumption. */
  private moderator: AnswerModerator | undefined;
  /** How many times a stream of this run's events was opened (see `detach`). */
  private attachCount = 0;
  /** The run's model credentials, read from D1 as the run starts (see `start`). */
  private credentials: CredentialSource | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.storage = new RunStorage(ctx.storage.sql);
  }

  /** Starts the run; calling it again for the same run returns the existing state. */
  async start(request: StartRunRequest): Promise<RunState> {
    const existing = this.storage.state();
    if (existing) return existing;
    // Start reading the credentials of the graph's models now, in parallel with the first nodes,
    // and before any storage write: an outgoing request made after a write waits for it to land.
    this.credentials = tenantCredentialSource(this.env, request.tenantId, request.credentialsRevision);
    for (const { provider, model } of modelsOfGraph(request.graph)) void this.credentials(provider, model, "llm").catch(() => undefined);
    this.storage.saveRequest(request);
    const state: RunState = {
      runId: request.runId,
      tenantId: request.tenantId,
      appId: request.appId,
      workflowId: request.workflowId,
      status: "running",
      inputs: request.inputs,
      outputs: null,
      error: null,
      elapsedTime: 0,
      totalTokens: 0,
      totalSteps: 0,
      exceptionsCount: 0,
      createdAt: Math.floor(Date.now() / 1000),
      finishedAt: null,
      recorded: false,
    };
    this.storage.saveState(state);
    // The heartbeat lands with the writes above; the run need not wait for it to start.
    const heartbeat = this.ctx.storage.setAlarm(Date.now() + HEARTBEAT_MS);
    this.launch(request.initialSnapshot);
    await heartbeat;
    return state;
  }

  /** Starts the run and resolves when it has finished (blocking mode, one round-trip). */
  async startAndWait(request: StartRunRequest): Promise<RunState> {
    await this.start(request);
    return this.wait();
  }

  /** Starts the run and returns its event stream (streaming mode, one round-trip). */
  async startAndStream(request: StartRunRequest): Promise<ReadableStream<Uint8Array>> {
    await this.start(request);
    return this.events(0);
  }

  /** The run's current state, or null when this object holds no run. */
  async getState(): Promise<RunState | null> {
    return this.storage.state() ?? null;
  }

  /** Resolves when the run has finished (blocking mode). */
  async wait(): Promise<RunState> {
    const state = this.storage.state();
    if (!state) throw new Error("No run in this object.");
    if (state.status !== "running") return state;
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** What a retry starts from: the request and final state of a failed or stopped run. */
  async retrySource(): Promise<{ request: StartRunRequest; snapshot: RunSnapshot } | null> {
    const state = this.storage.state();
    const snapshot = this.storage.snapshot();
    const request = this.storage.request();
    if (!state || !snapshot || !request || (state.status !== "failed" && state.status !== "stopped")) return null;
    return { request, snapshot: { ...snapshot, status: state.status } };
  }

  /** Stops a running run; the engine ends it as `stopped`. */
  async stop(): Promise<RunState | null> {
    const state = this.storage.state();
    if (!state || state.status !== "running") return state ?? null;
    if (this.controller) this.controller.abort();
    else this.finishWithoutEngine(state, "stopped", "Workflow execution stopped by user");
    return this.storage.state() ?? null;
  }

  /**
   * A client stopped listening to this (chat) run: unless some client opens its events again
   * within `graceMs` (resuming the stream), the run is stopped, which cancels the model request.
   */
  async detach(graceMs: number): Promise<void> {
    const state = this.storage.state();
    if (!state || state.status !== "running") return;
    const seen = this.attachCount;
    setTimeout(() => {
      if (this.attachCount === seen) void this.stop();
    }, graceMs);
  }

  /**
   * The event log after `afterSeq` and then live events until the run finishes, as NDJSON bytes
   * (RPC streams carry bytes). Reading the log and subscribing happen in one synchronous step, so
   * no event falls between them.
   */
  events(afterSeq = 0): ReadableStream<Uint8Array> {
    this.attachCount++;
    let listener: ((event: WorkflowEvent) => void) | undefined;
    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        const saved = this.storage.eventsAfter(afterSeq);
        const lastSaved = saved.at(-1)?.seq ?? afterSeq;
        for (const event of [...saved, ...this.unsaved.filter((e) => e.seq > lastSaved)]) controller.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
        const state = this.storage.state();
        if (!state || state.status !== "running") {
          controller.close();
          return;
        }
        let last = Math.max(afterSeq, lastSaved, this.unsaved.at(-1)?.seq ?? 0);
        listener = (event) => {
          if (event.seq <= last) return;
          last = event.seq;
          controller.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
          if (event.type === "workflow_finished") {
            this.listeners.delete(listener!);
            controller.close();
          }
        };
        this.listeners.add(listener);
      },
      cancel: () => {
        if (listener) this.listeners.delete(listener);
      },
    });
  }

  override async alarm(): Promise<void> {
    const state = this.storage.state();
    if (!state) return;
    if (state.status === "running") {
      if (!this.execution) {
        // The instance that ran this was evicted or crashed: continue from the last checkpoint.
        this.launch(this.storage.snapshot() ?? this.storage.request()?.initialSnapshot);
      }
      await this.ctx.storage.setAlarm(Date.now() + HEARTBEAT_MS);
      return;
    }
    if (!state.recorded) {
      await this.record(state);
      return;
    }
    if (Date.now() >= (state.finishedAt ?? 0) * 1000 + RETENTION_MS) {
      await this.ctx.storage.deleteAll();
      this.storage.reset();
    } else {
      await this.ctx.storage.setAlarm((state.finishedAt ?? 0) * 1000 + RETENTION_MS);
    }
  }

  private launch(snapshot: RunSnapshot | undefined): void {
    const request = this.storage.request();
    if (!request) return;
    this.chatTurn = request.chat !== undefined;
    this.storage.truncateEventsAfter(snapshot?.seq ?? 0);
    this.unsaved = [];
    const controller = new AbortController();
    this.controller = controller;
    const moderation = request.chat?.outputModeration;
    this.moderator = moderation
      ? new AnswerModerator(
          moderation,
          async (text) => (await buildModelRuntime(this.env, request.tenantId, this.credentials).moderate({ text, signal: controller.signal })).flagged,
          (error) => console.error("moderating the answer failed; it is let through", request.runId, error),
        )
      : undefined;
    if (this.moderator && snapshot) {
      for (const saved of this.storage.eventsAfter(0)) {
        if (saved.type === "message_replace") this.moderator.replay("", true);
        else if (saved.type === "text_chunk") this.moderator.replay(saved.data.text, false);
      }
    }
    const options: RunWorkflowOptions = {
      graph: request.graph,
      registry: buildNodeRegistry(),
      inputs: request.inputs,
      system: request.system,
      environmentVariables: request.environmentVariables,
      conversationVariables: request.conversationVariables,
      runId: request.runId,
      workflowId: request.workflowId,
      mode: request.mode,
      rootNodeId: request.rootNodeId,
      ports: request.chat ? { ...buildNodePorts(this.env, request.tenantId, this.credentials), memory: { turns: request.chat.history } } : buildNodePorts(this.env, request.tenantId, this.credentials),
      signal: controller.signal,
      onEvent: (event) => this.publish(event),
      onNodeFinished: (checkpoint) => this.checkpoint(checkpoint),
    };
    const running = snapshot ? resumeWorkflow(snapshot, options) : runWorkflow(options);
    this.execution = running
      .then((result) => this.complete(result))
      .catch((error: unknown) => {
        console.error("workflow run crashed", request.runId, error);
        const state = this.storage.state();
        if (state?.status === "running") this.finishWithoutEngine(state, "failed", error instanceof Error ? error.message : String(error));
      })
      .finally(() => {
        this.execution = undefined;
        this.controller = undefined;
      });
  }

  private publish(engineEvent: WorkflowEvent): void {
    const event = this.moderate(engineEvent);
    if (!event) return;
    if (event.type === "workflow_finished" && this.chatTurn) {
      this.heldFinal = event;
      return;
    }
    this.unsaved.push(event);
    for (const listener of [...this.listeners]) listener(event);
  }

  /**
   * Output moderation of a chat turn's answer: the text chunk that makes the answer contain a
   * keyword becomes a `message_replace` with the preset response (same `seq`), and later text
   * chunks are dropped, so neither the stream nor the recorded message carries the flagged text
   * beyond what had already been sent. The model is not stopped: its tokens still count.
   */
  private moderate(event: WorkflowEvent): WorkflowEvent | null {
    const moderator = this.moderator;
    if (!moderator || event.type !== "text_chunk") return event;
    const verdict = moderator.push(event.data.text);
    if (verdict === "pass") return event;
    if (verdict === "drop") return null;
    return { type: "message_replace", seq: event.seq, data: { answer: moderator.setting.presetResponse, reason: "output_moderation" } };
  }

  /**
   * The answer was found flagged only once it had ended (OpenAI Moderation's last check): the
   * replacement goes out just before the held `workflow_finished`, which moves one `seq` on.
   */
  private publishReplacement(answer: string): void {
    const final = this.heldFinal;
    if (!final) return;
    const event: WorkflowEvent = { type: "message_replace", seq: final.seq, data: { answer, reason: "output_moderation" } };
    this.heldFinal = { ...final, seq: final.seq + 1 };
    this.unsaved.push(event);
    for (const listener of [...this.listeners]) listener(event);
    this.checkpoint(undefined);
  }

  /** Snapshot and the events since the previous one, in one synchronous (atomic) write. */
  private checkpoint(snapshot: RunSnapshot | undefined): void {
    for (const event of this.unsaved) this.storage.appendEvent(event);
    this.unsaved = [];
    if (snapshot) this.storage.saveSnapshot(snapshot);
  }

  private async complete(result: RunResult): Promise<void> {
    const state = this.storage.state()!;
    const finished: RunState = {
      ...state,
      status: result.status,
      outputs: result.outputs,
      error: result.error,
      elapsedTime: result.elapsed_time,
      totalTokens: result.total_tokens,
      totalSteps: result.total_steps,
      exceptionsCount: result.exceptions_count,
      finishedAt: Math.floor(Date.now() / 1000),
    };
    this.checkpoint(result.snapshot);
    // A stopped turn keeps what was said; its last check would only be cancelled with it.
    if (this.moderator && this.chatTurn && result.status !== "stopped" && (await this.moderator.finish())) this.publishReplacement(this.moderator.setting.presetResponse);
    if (this.moderator?.replaced) {
      // The run's outputs say what the message says, in the record and in the closing event.
      const answer = this.moderator.setting.presetResponse;
      if (typeof finished.outputs?.answer === "string") finished.outputs = { ...finished.outputs, answer };
      const held = this.heldFinal;
      if (held?.type === "workflow_finished" && typeof held.data.outputs?.answer === "string") this.heldFinal = { ...held, data: { ...held.data, outputs: { ...held.data.outputs, answer } } };
    }
    if (this.chatTurn) {
      finished.conversationVariables = result.conversation_variables;
      // The message goes to D1 before subscribers see the end (see `heldFinal`).
      await this.record(finished);
      this.releaseFinal();
      for (const resolve of this.waiters.splice(0)) resolve(finished);
      const chat = this.storage.request()?.chat;
      if (chat?.autoName && finished.status !== "failed") await this.nameConversation(finished.tenantId, chat.conversationId, chat.query);
      return;
    }
    this.storage.saveState(finished);
    for (const resolve of this.waiters.splice(0)) resolve(finished);
    await this.record(finished);
  }

  /** Ends a run the engine can no longer finish itself, with a closing event for subscribers. */
  private finishWithoutEngine(state: RunState, status: "failed" | "stopped", error: string): void {
    this.chatTurn = this.storage.request()?.chat !== undefined;
    const finishedAt = Math.floor(Date.now() / 1000);
    const last = this.unsaved.at(-1)?.seq ?? this.storage.eventsAfter(0).at(-1)?.seq ?? 0;
    const finished: RunState = { ...state, status, error, finishedAt, elapsedTime: finishedAt - state.createdAt };
    this.storage.saveState(finished);
    this.publish({
      type: "workflow_finished",
      seq: last + 1,
      data: { id: state.runId, workflow_id: state.workflowId, status, outputs: {}, error, elapsed_time: finished.elapsedTime, total_tokens: state.totalTokens, total_steps: state.totalSteps, created_at: state.createdAt, finished_at: finishedAt, exceptions_count: state.exceptionsCount, files: [] },
    });
    this.checkpoint(undefined);
    for (const resolve of this.waiters.splice(0)) resolve(finished);
    void this.record(finished).then(() => this.releaseFinal());
  }

  /**
   * Gives a new conversation the title the workspace's default model wrote from its first message
   * (after the answer is out). As in Dify, without a default model the first query stays the name.
   */
  private async nameConversation(tenantId: string, conversationId: string, query: string): Promise<void> {
    const model = await defaultModel(this.env, new TenantRepository(createDb(this.env.DB), tenantId)).catch(() => null);
    if (!model) return;
    const name = await generateConversationName(this.env, tenantId, model, query);
    if (!name) return;
    try {
      await this.env.DB.prepare("UPDATE conversations SET name = ?1 WHERE id = ?2 AND tenant_id = ?3").bind(name, conversationId, tenantId).run();
    } catch (error) {
      console.error("saving the conversation name failed", error);
    }
  }

  /** Publishes a held chat `workflow_finished` (no-op for other runs). */
  private releaseFinal(): void {
    const event = this.heldFinal;
    if (!event) return;
    this.heldFinal = undefined;
    this.unsaved.push(event);
    for (const listener of [...this.listeners]) listener(event);
    this.checkpoint(undefined);
  }

  /**
   * One D1 batch: the run and all node executions (and, for a chat turn, its message and
   * conversation). Saves the final state either way; the alarm retries until the batch succeeds.
   */
  private async record(state: RunState): Promise<void> {
    const request = this.storage.request()!;
    try {
      await recordRun(this.env.DB, request, state, this.storage.nodeFinishedEvents(), () => this.storage.eventsAfter(0));
      this.storage.saveState({ ...state, recorded: true });
      await this.ctx.storage.setAlarm(Date.now() + RETENTION_MS);
    } catch (error) {
      console.error("recording run failed; will retry", state.runId, error);
      this.storage.saveState({ ...state, recorded: false });
      await this.ctx.storage.setAlarm(Date.now() + RECORD_RETRY_MS);
    }
  }
}
