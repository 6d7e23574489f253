import { signal } from "@preact/signals";
import type { Problem } from "./graph-problems";
import { IDLE_RUN, type RunView } from "./run-state";

/**
 * State the canvas nodes read directly, so a run event or a new validation result re-renders only
 * the nodes it concerns instead of handing new node objects to React Flow.
 */
export const currentRun = signal<RunView>(IDLE_RUN);
export const problemsByNodeId = signal<Map<string, Problem[]>>(new Map());
