/**
 * Undo/redo as a bounded list of whole graph states. Graphs are small (hundreds of nodes at most)
 * and states share unchanged node objects, so snapshots are cheap and restoring is exact.
 */
export class GraphHistory<T> {
  private past: T[] = [];
  private future: T[] = [];
  private lastKey: string | undefined;
  private lastAt = 0;

  constructor(
    private present: T,
    private readonly limit = 100,
  ) {}

  /**
   * Records a new state. Edits with the same `coalesceKey` within `windowMs` (typing in a field)
   * replace the previous entry instead of adding one per keystroke.
   */
  push(state: T, coalesceKey?: string, now = Date.now(), windowMs = 1000): void {
    const coalesce = coalesceKey !== undefined && coalesceKey === this.lastKey && now - this.lastAt < windowMs;
    if (!coalesce) {
      this.past.push(this.present);
      if (this.past.length > this.limit) this.past.shift();
    }
    this.present = state;
    this.future = [];
    this.lastKey = coalesceKey;
    this.lastAt = now;
  }

  /** Replaces the current state without an undo step (selection, measurements). */
  replace(state: T): void {
    this.present = state;
  }

  undo(): T | undefined {
    const previous = this.past.pop();
    if (previous === undefined) return undefined;
    this.future.push(this.present);
    this.present = previous;
    this.lastKey = undefined;
    return previous;
  }

  redo(): T | undefined {
    const next = this.future.pop();
    if (next === undefined) return undefined;
    this.past.push(this.present);
    this.present = next;
    this.lastKey = undefined;
    return next;
  }

  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }
}
