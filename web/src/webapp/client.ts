import { readSseBody, type RunEvent } from "../editor/run-stream";
import { readResumableStream } from "./resumable-stream";

export type { RunEvent };

/** A failed web API call, with Dify's error envelope when the server sent one. */
export class WebAppError extends Error {
  constructor(message: string, readonly status: number, readonly code: string) {
    super(message);
  }
}

const storageKey = (code: string) => `waggle:passport:${code}`;

function stored(code: string): string | null {
  try {
    return localStorage.getItem(storageKey(code));
  } catch {
    return null; // storage blocked (e.g. a sandboxed frame): the cookie still identifies the visitor
  }
}

function store(code: string, token: string | null): void {
  try {
    if (token) localStorage.setItem(storageKey(code), token);
    else localStorage.removeItem(storageKey(code));
  } catch {
    // see stored()
  }
}

async function errorOf(response: Response): Promise<WebAppError> {
  try {
    const body = (await response.json()) as { message?: string; code?: string };
    return new WebAppError(body.message ?? `Request failed (${response.status})`, response.status, body.code ?? "unknown");
  } catch {
    return new WebAppError(`Request failed (${response.status})`, response.status, "unknown");
  }
}

/**
 * Talks to Dify's web API (`/api/*`) for one published app: gets a passport for the share code
 * (kept in localStorage, so the visitor stays the same; the server's cookie does the same when
 * storage is blocked) and sends it with every call, getting a fresh one once if it was refused.
 */
export class WebAppClient {
  private token: string | null;

  constructor(readonly code: string) {
    this.token = stored(code);
  }

  private async passport(): Promise<string> {
    const headers: Record<string, string> = { "X-App-Code": this.code };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    const response = await fetch("/api/passport", { headers, credentials: "same-origin" });
    if (!response.ok) throw await errorOf(response);
    const { access_token } = (await response.json()) as { access_token: string };
    this.token = access_token;
    store(this.code, access_token);
    return access_token;
  }

  /** Makes sure the visitor holds a valid passport (call once at start-up; it also checks the link). */
  async start(): Promise<void> {
    await this.passport();
  }

  private async send(path: string, init: RequestInit, retry = true): Promise<Response> {
    const token = this.token ?? (await this.passport());
    const headers = new Headers(init.headers);
    headers.set("Authorization", `Bearer ${token}`);
    headers.set("X-App-Code", this.code);
    const response = await fetch(path, { ...init, headers, credentials: "same-origin" });
    if (response.status === 401 && retry) {
      this.token = null;
      store(this.code, null);
      await this.passport();
      return this.send(path, init, false);
    }
    if (!response.ok) throw await errorOf(response);
    return response;
  }

  async get<T>(path: string): Promise<T> {
    return (await (await this.send(path, { method: "GET" })).json()) as T;
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    const response = await this.send(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  async delete(path: string): Promise<void> {
    await this.send(path, { method: "DELETE", headers: { "Content-Type": "application/json" }, body: "{}" });
  }

  async upload<T>(file: File): Promise<T> {
    const form = new FormData();
    form.set("file", file);
    return (await (await this.send("/api/files/upload", { method: "POST", body: form })).json()) as T;
  }

  private async streamBody(path: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<ReadableStream<BufferSource>> {
    const response = await this.send(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify({ ...body, response_mode: "streaming" }),
      signal,
    });
    if (!response.body) throw new WebAppError("The server sent no answer stream.", response.status, "unknown");
    return response.body;
  }

  /** GETs an SSE route (`response_mode=streaming`) and calls `onEvent` per event until the stream ends. */
  async streamGet(path: string, onEvent: (event: RunEvent) => void, signal?: AbortSignal): Promise<void> {
    const response = await this.send(`${path}${path.includes("?") ? "&" : "?"}response_mode=streaming`, { method: "GET", headers: { Accept: "text/event-stream" }, signal, cache: "no-store" });
    if (!response.body) throw new WebAppError("The server sent no answer stream.", response.status, "unknown");
    await readSseBody(response.body, onEvent);
  }

  /**
   * POSTs with `response_mode: "streaming"` and calls `onEvent` per SSE event until the stream ends.
   * With `resume`, a connection that drops mid-answer is picked up again from the answer's events
   * route (`resume.eventsPath(taskId)`, with `Last-Event-ID`), a bounded number of times.
   */
  async stream(
    path: string,
    body: Record<string, unknown>,
    onEvent: (event: RunEvent) => void,
    signal?: AbortSignal,
    resume?: { eventsPath: (taskId: string) => string; onReconnecting?: (attempt: number) => void },
  ): Promise<void> {
    if (!resume) {
      await readSseBody(await this.streamBody(path, body, signal), onEvent);
      return;
    }
    await readResumableStream({
      open: () => this.streamBody(path, body, signal),
      resume: async (taskId, lastEventId) => {
        const headers: Record<string, string> = { Accept: "text/event-stream" };
        if (lastEventId) headers["Last-Event-ID"] = lastEventId;
        const response = await this.send(resume.eventsPath(taskId), { method: "GET", headers, signal, cache: "no-store" });
        if (!response.body) throw new WebAppError("The server sent no answer stream.", response.status, "unknown");
        return response.body;
      },
      onEvent,
      onReconnecting: resume.onReconnecting,
      signal,
    });
  }
}
