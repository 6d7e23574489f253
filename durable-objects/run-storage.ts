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
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS kv (key TEXT NOT NULL, part INTEGER NOT NULL, value TEXT NOT NULL, PRIMARY KEY (key, part))`);
    sql.exec(`CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, type TEXT NOT NULL, json TEXT NOT NULL)`);
  }

  private put(key: string, value: unknown): void {
    const text = JSON.stringify(value);
    this.sql.exec("DELETE FROM kv WHERE key = ?", key);
    for (let part = 0, offset = 0; offset < text.length || part === 0; part++, offset += CHUNK_CHARS) {
      this.sql.exec("INSERT INTO kv (key, part, value) VALUES (?, ?, ?)", key, part, text.slice(offset, offset + CHUNK_CHARS));
    }
  }

  private get<T>(key: string): T | undefined {
    const rows = this.sql.exec<{ value: string }>("SELECT value FROM kv WHERE key = ? ORDER BY part", key).toArray();
    return rows.length ? (JSON.parse(rows.map((r) => r.value).join("")) as T) : undefined;
  }

  request(): StartRunRequest | undefined {
    return this.get<StartRunRequest>("request");
  }

  saveRequest(request: StartRunRequest): void {
    this.put("request", request);
  }

  state(): RunState | undefined {
    return this.get<RunState>("state");
  }

  saveState(state: RunState): void {
    this.put("state", state);
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
