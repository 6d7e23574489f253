import type { AgentLogData, NodeContext } from "../../engine";

type LogStatus = AgentLogData["status"];

/**
 * Emits Dify's `agent_log` events for one agent execution: a log opens with status `start` and
 * is re-emitted with the same `id` as `success` or `error` when it ends, with its data and timing.
 */
export class AgentLogger {
  private started = new Map<string, number>();
  constructor(private readonly ctx: NodeContext<unknown>) {}

  start(label: string, parentId: string | null, data: Record<string, unknown> = {}): string {
    const id = this.ctx.ids.uuid();
    this.started.set(id, this.ctx.clock.now());
    this.emit(id, label, parentId, "start", data, {}, null);
    return id;
  }

  finish(id: string, label: string, parentId: string | null, outcome: { status?: LogStatus; data?: Record<string, unknown>; metadata?: Record<string, unknown>; error?: string | null } = {}): void {
    const startedAt = this.started.get(id) ?? this.ctx.clock.now();
    const finishedAt = this.ctx.clock.now();
    const metadata = { started_at: startedAt / 1000, finished_at: finishedAt / 1000, elapsed_time: (finishedAt - startedAt) / 1000, ...outcome.metadata };
    this.emit(id, label, parentId, outcome.status ?? (outcome.error ? "error" : "success"), outcome.data ?? {}, metadata, outcome.error ?? null);
  }

  private emit(id: string, label: string, parentId: string | null, status: LogStatus, data: Record<string, unknown>, metadata: Record<string, unknown>, error: string | null) {
    this.ctx.emit({
      type: "agent_log",
      data: { node_execution_id: this.ctx.executionId, id, label, parent_id: parentId, error, status, data, metadata, node_id: this.ctx.nodeId },
    });
  }
}
