/**
 * Reads a run's SSE stream from `fetch` (EventSource cannot POST). Frames are Dify's:
 * `data: {"event": "node_started", "workflow_run_id": "...", "data": {...}}`, separated by a blank line.
 */

export interface RunEvent {
  event: string;
  workflow_run_id?: string;
  task_id?: string;
  data?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * Splits SSE text into complete frames; returns the events, each one's `id:` (the server's
 * sequence number, for `Last-Event-ID` on reconnect; `ids[i]` belongs to `events[i]`) and the
 * unfinished tail.
 */
export function parseSseChunk(buffer: string): { events: RunEvent[]; ids: Array<string | undefined>; rest: string } {
  const events: RunEvent[] = [];
  const ids: Array<string | undefined> = [];
  const normalised = buffer.replace(/\r\n/g, "\n");
  const frames = normalised.split("\n\n");
  const rest = frames.pop() ?? "";
  for (const frame of frames) {
    const lines = frame.split("\n");
    const data = lines
      .filter((line) => line.startsWith("data:"))
      .map((line) => line.slice(5).replace(/^ /, ""))
      .join("\n");
    if (!data) continue;
    try {
      const parsed = JSON.parse(data) as RunEvent;
      if (!parsed || typeof parsed.event !== "string") continue;
      events.push(parsed);
      const id = lines.find((line) => line.startsWith("id:"));
      ids.push(id === undefined ? undefined : id.slice(3).trim());
    } catch {
      // A frame that is not JSON (a comment or keep-alive) carries nothing to show.
    }
  }
  return { events, ids, rest };
}

/** POSTs and calls `onEvent` for each event as it arrives; resolves when the stream ends. */
export async function streamRun(url: string, body: unknown, onEvent: (event: RunEvent) => void, signal?: AbortSignal): Promise<void> {
  // No body: a GET of an SSE route (e.g. a text generator's "More like this").
  const response = await fetch(
    url,
    body === undefined
      ? { method: "GET", credentials: "same-origin", headers: { Accept: "text/event-stream" }, signal, cache: "no-store" }
      : { method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json", Accept: "text/event-stream" }, body: JSON.stringify(body), signal },
  );
  if (!response.ok || !response.body) {
    let message = `Run failed to start (${response.status})`;
    try {
      const envelope = (await response.json()) as { message?: string };
      if (envelope.message) message = envelope.message;
    } catch {
      // keep the status line
    }
    throw new Error(message);
  }
  await readSseBody(response.body, onEvent);
}

/**
 * Reads an SSE body to its end, calling `onEvent` for each event (with its `id:`, if the frame had
 * one) as it arrives. Rejects if the connection breaks before the body ends.
 */
export async function readSseBody(body: ReadableStream<BufferSource>, onEvent: (event: RunEvent, id?: string) => void): Promise<void> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  const emit = ({ events, ids }: { events: RunEvent[]; ids: Array<string | undefined> }) => events.forEach((event, index) => onEvent(event, ids[index]));
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += value;
    const parsed = parseSseChunk(buffer);
    buffer = parsed.rest;
    emit(parsed);
  }
  emit(parseSseChunk(`${buffer}\n\n`));
}
