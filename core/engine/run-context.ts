import type { CompiledGraph } from "./compiled-graph";
import type { UnsequencedEvent, WorkflowEvent } from "./events";
import type { EngineLimits } from "./limits";
import type { RunInfo } from "./node-contract";
import type { Clock, Ids, NodePorts, Sleep } from "./node-ports";
import type { SecretMasker } from "./secret-masking";

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
  /** Answers inside iterations and loops add to the run's outputs too (Dify: `"1\n2\n1 + 2"`). */
  onResponseOutputs: ((outputs: Record<string, unknown>) => void) | undefined;

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

  /** Set once `workflow_finished` is out: a straggling node cannot emit after the end. */
  private closed = false;

  /** Masks secret environment values in what events show; undefined when the run has none. */
  mask: SecretMasker | undefined;

  emit(event: UnsequencedEvent): void {
    if (this.closed) return;
    if (event.type === "workflow_finished") this.closed = true;
    // Not a spread: this runs several times per node and object spread is a slow path here.
    const sequenced = { type: event.type, seq: ++this.seq, data: this.mask ? this.mask(event.data) : event.data } as WorkflowEvent;
    if (this.keepEvents) this.pendingEvents.push(sequenced);
    this.onEvent?.(sequenced);
  }

  /** Stops the whole run; the first reason wins. */
  stop(halt: RunHalt): void {
    this.halt ??= halt;
    if (!this.controller.signal.aborted) this.controller.abort(new Error(halt.error));
  }

  /**
   * Checked at every node start: Dify counts steps per node start and checks wall time there too.
   * Like Dify's ExecutionLimitsLayer, exceeding a limit aborts the run, so its status is `stopped`.
   */
  checkLimits(): RunHalt | undefined {
    if (this.steps > this.limits.maxSteps) {
      return { status: "stopped", error: `Maximum execution steps exceeded: ${this.steps} > ${this.limits.maxSteps}`, error_type: "ExecutionLimitError" };
    }
    const elapsed = this.clock.now() - this.startedAt;
    if (elapsed > this.limits.maxExecutionTimeMs) {
      return {
        status: "stopped",
        error: `Maximum execution time exceeded: ${Math.round(elapsed / 1000)}s > ${Math.round(this.limits.maxExecutionTimeMs / 1000)}s`,
        error_type: "ExecutionLimitError",
      };
    }
    return undefined;
  }
}

const abortPromises = new WeakMap<AbortSignal, Promise<null>>();

/** One promise per signal that resolves on abort: racing it adds no listener per node. */
function whenAborted(signal: AbortSignal): Promise<null> {
  let promise = abortPromises.get(signal);
  if (!promise) {
    promise = new Promise<null>((resolve) => signal.addEventListener("abort", () => resolve(null), { once: true }));
    abortPromises.set(signal, promise);
  }
  return promise;
}

/** Resolves to `null` when `signal` aborts first, so a node that ignores its signal cannot hang the run. */
export function raceAbort<T>(value: T | Promise<T>, signal: AbortSignal): T | null | Promise<T | null> {
  if (signal.aborted) return null;
  if (!(value instanceof Promise)) return value;
  return Promise.race([value, whenAborted(signal)]);
}
