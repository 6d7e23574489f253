import type { CompiledGraph } from "./compiled-graph";
import type { UnsequencedEvent, WorkflowEvent } from "./events";
import type { EngineLimits } from "./limits";
import type { RunInfo } from "./node-contract";
import type { Clock, Ids, NodePorts, Sleep } from "./node-ports";

/** Why a run stopped early: a user stop, a limit, or a node failure with no error strategy. */
export interface RunHalt {
  status: "failed" | "stopped";
  error: string;
  error_type: string;
}

/** State shared by the top-level graph and every iteration / loop round of one run. */
export class RunContext {
  steps = 0;
  nodeIndex = 0;
  exceptionsCount = 0;
  totalTokens = 0;
  seq = 0;
  halt: RunHalt | undefined;
  /** Events since the last checkpoint, handed to `onNodeFinished` with the snapshot. */
  pendingEvents: WorkflowEvent[] = [];
  readonly controller = new AbortController();

  constructor(
    readonly graph: CompiledGraph,
    readonly limits: EngineLimits,
    readonly clock: Clock,
    readonly sleep: Sleep,
    readonly ids: Ids,
    readonly ports: NodePorts,
    readonly info: RunInfo,
    readonly startedAt: number,
    private readonly onEvent: ((event: WorkflowEvent) => void) | undefined,
    readonly keepEvents: boolean,
  ) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  emit(event: UnsequencedEvent): WorkflowEvent {
    const sequenced = { ...event, seq: ++this.seq } as WorkflowEvent;
    if (this.keepEvents) this.pendingEvents.push(sequenced);
    this.onEvent?.(sequenced);
    return sequenced;
  }

  /** Stops the whole run; the first reason wins. */
  stop(halt: RunHalt): void {
    this.halt ??= halt;
    if (!this.controller.signal.aborted) this.controller.abort(new Error(halt.error));
  }

  /** Checked at every node start: Dify counts steps per node start and checks wall time there too. */
  checkLimits(): RunHalt | undefined {
    if (this.steps > this.limits.maxSteps) {
      return { status: "failed", error: `Maximum execution steps exceeded: ${this.steps} > ${this.limits.maxSteps}`, error_type: "ExecutionLimitError" };
    }
    const elapsed = this.clock.now() - this.startedAt;
    if (elapsed > this.limits.maxExecutionTimeMs) {
      return {
        status: "failed",
        error: `Maximum execution time exceeded: ${Math.round(elapsed / 1000)}s > ${Math.round(this.limits.maxExecutionTimeMs / 1000)}s`,
        error_type: "ExecutionLimitError",
      };
    }
    return undefined;
  }
}

/** Resolves to `null` when `signal` aborts first, so a node that ignores its signal cannot hang the run. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | null> {
  if (signal.aborted) return Promise.resolve(null);
  return new Promise<T | null>((resolve, reject) => {
    const onAbort = () => resolve(null);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
