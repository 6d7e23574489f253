import type { RunSnapshot, WorkflowEvent } from "../core/engine";
import type { RunState, StartRunRequest } from "./workflow-run-types";

/** DO SQLite rows hold at most 2 MB; large JSON values are split into chunks below that. */
const CHUNK_CHARS = 512 * 1024;

/**
 * The run's private SQLite storage: the start request, the latest snapshot, the event log (the
 * source of truth for SSE replay) and the run state. All writes are synchronous `sql.exec` calls,
 * so a checkpoint and its events land in one implicit transaction.
 */
export class RunStorage {
  /**
   * How many parts each key has, as this instance last wrote or read it: the Durable Object is the
   * only writer of its storage, so a rewrite of a value of known size needs no DELETE first.
   */
  private readonly parts = new Map<string, number>();
  /**
   * The run state as last written or read. It is read on every RPC call and at each step of the
   * run's ending, and always replaced whole (never mutated), so it is parsed at most once.
   */
  private cachedState: RunState | undefined;

  constructor(private readonly sql: SqlStorage) {
    this.createTables();
  }

  private createTables(): void {
    this.sql.exec(
      `CREATE TABLE IF NOT EXISTS kv (key TEXT NOT NULL, part INTEGER NOT NULL, value TEXT NOT NULL, PRIMARY KEY (key, part));
       CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, type TEXT NOT NULL, json TEXT NOT NULL)`,
    );
  }

  /** After the object's storage was deleted: forget what was cached and start empty. */
  reset(): void {
    this.parts.clear();
    this.cachedState = undefined;
    this.createTables();
  }

  private put(key: string, value: unknown): void {
    const text = JSON.stringify(value);
    const parts = Math.max(1, Math.ceil(text.length / CHUNK_CHARS));
    const known = this.parts.get(key);
    // Unknown size (first write, or written by an earlier instance): clear every part; a shorter
    // value than the last one: clear the parts it no longer has.
    if (known === undefined) this.sql.exec("DELETE FROM kv WHERE key = ?", key);
    else if (known > parts) this.sql.exec("DELETE FROM kv WHERE key = ? AND part >= ?", key, parts);
    for (let part = 0; part < parts; part++) {
      this.sql.exec("INSERT OR REPLACE INTO kv (key, part, value) VALUES (?, ?, ?)", key, part, text.slice(part * CHUNK_CHARS, (part + 1) * CHUNK_CHARS));
    }
    this.parts.set(key, parts);
  }

  private get<T>(key: string): T | undefined {
    const rows = this.sql.exec<{ value: string }>("SELECT value FROM kv WHERE key = ? ORDER BY part", key).toArray();
    if (!rows.length) return undefined;
    this.parts.set(key, rows.length);
    return JSON.parse(rows.map((r) => r.value).join("")) as T;
  }

  request(): StartRunRequest | undefined {
    return this.get<StartRunRequest>("request");
  }

  saveRequest(request: StartRunRequest): void {
    this.put("request", request);
  }

  state(): RunState | undefined {
    this.cachedState ??= this.get<RunState>("state");
    return this.cachedState;
  }

  saveState(state: RunState): void {
    this.put("state", state);
    this.cachedState = state;
  }

  snapshot(): RunSnapshot | undefined {
    return this.get<RunSnapshot>("snapshot");
  }

  saveSnapshot(snapshot: RunSnapshot): void {
    // The snapshot's own `events` are already in the event log.
    this.put("snapshot", { ...snapshot, events: [] });
  }

  appendEvent(event: WorkflowEvent): void {
    this.sql.exec("INSERT OR REPLACE INTO events (seq, type, json) VALUES (?, ?, ?)", event.seq, event.type, JSON.stringify(event));
  }

  /** Drops events after `seq`: on resume they are emitted again by the re-run node. */
  truncateEventsAfter(seq: number): void {
    this.sql.exec("DELETE FROM events WHERE seq > ?", seq);
  }

  eventsAfter(seq: number): WorkflowEvent[] {
    return this.sql.exec<{ json: string }>("SELECT json FROM events WHERE seq > ? ORDER BY seq", seq).toArray().map((r) => JSON.parse(r.json) as WorkflowEvent);
  }

  nodeFinishedEvents(): WorkflowEvent[] {
    return this.sql.exec<{ json: string }>("SELECT json FROM events WHERE type = 'node_finished' ORDER BY seq").toArray().map((r) => JSON.parse(r.json) as WorkflowEvent);
  }
}
