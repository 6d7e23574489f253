import { readSseBody, type RunEvent } from "../editor/run-stream";

/** Events after which an answer's stream has nothing more to say. */
const TERMINAL_EVENTS = new Set(["message_end", "workflow_finished", "error"]);

/** The connection to a streaming answer broke and could not be restored. */
export class StreamLostError extends Error {
  override name = "StreamLostError";
}

export interface ResumableStreamOptions {
  /** Starts the answer and returns its SSE body (the POST). Its errors are the caller's. */
  open: () => Promise<ReadableStream<BufferSource>>;
  /** Reconnects to the answer's events after `lastEventId` (`GET …/{task_id}/events` with `Last-Event-ID`). */
  resume: (taskId: string, lastEventId: string | undefined) => Promise<ReadableStream<BufferSource>>;
  onEvent: (event: RunEvent) => void;
  /** Called with the attempt number (1-based) when a reconnection starts, and with 0 once events flow again. */
  onReconnecting?: (attempt: number) => void;
  /** The visitor's Stop: ends reading at once, and never reconnects. */
  signal?: AbortSignal;
  /** Reconnection attempts in a row without an event before giving up. Default 5. */
  maxAttempts?: number;
  /** Wait before attempt `n`. Default 0.5 s, doubling, at most 4 s. */
  delayMs?: (attempt: number) => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

function abortError(): Error {
  return new DOMException("The answer was stopped.", "AbortError");
}

function sleepFor(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** A refusal the server will repeat (the answer is not this visitor's, the link changed): not worth retrying. */
function isFinalRefusal(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/**
 * Reads a streaming answer to its end, surviving dropped connections: when the body breaks (or
 * ends) before a terminal event (`message_end`, `workflow_finished`, `error`) and the visitor did not
 * stop it, reconnects to the answer's events with the last event id it saw, so nothing is shown
 * twice and nothing is missed. Gives up after `maxAttempts` reconnections in a row that brought no
 * event, or at once when the server refuses for good (a 4xx), with a {@link StreamLostError}.
 *
 * @example
 * await readResumableStream({
 *   open: async () => (await fetch("/api/chat-messages", { method: "POST", body, signal })).body!,
 *   resume: async (taskId, lastId) =>
 *     (await fetch(`/api/chat-messages/${taskId}/events`, { headers: lastId ? { "Last-Event-ID": lastId } : {}, signal })).body!,
 *   onEvent, onReconnecting: (attempt) => setReconnecting(attempt > 0), signal,
 * });
 */
export async function readResumableStream(options: ResumableStreamOptions): Promise<void> {
  const maxAttempts = options.maxAttempts ?? 5;
  const delayMs = options.delayMs ?? ((attempt: number) => Math.min(4000, 500 * 2 ** (attempt - 1)));
  const sleep = options.sleep ?? sleepFor;
  const { signal } = options;
  let taskId = "";
  let lastEventId: string | undefined;
  let finished = false;
  let attempt = 0;
  const handle = (event: RunEvent, id?: string) => {
    if (typeof event.task_id === "string" && event.task_id) taskId = event.task_id;
    if (id) lastEventId = id;
    if (TERMINAL_EVENTS.has(event.event)) finished = true;
    if (attempt > 0) {
      attempt = 0;
      options.onReconnecting?.(0);
    }
    options.onEvent(event);
  };

  let body = await options.open();
  for (;;) {
    let failure: unknown;
    try {
      await readSseBody(body, handle);
    } catch (error) {
      failure = error;
    }
    if (signal?.aborted) throw abortError();
    if (finished) return;
    if ((failure as Error | undefined)?.name === "AbortError") throw failure;
    if (!taskId) throw failure ?? new StreamLostError("The connection closed before the answer started. Try again.");
    for (;;) {
      attempt++;
      if (attempt > maxAttempts) {
        options.onReconnecting?.(0);
        throw new StreamLostError("The connection was lost and could not be restored. Reload the conversation to see the rest of the answer.");
      }
      options.onReconnecting?.(attempt);
      await sleep(delayMs(attempt), signal);
      try {
        body = await options.resume(taskId, lastEventId);
        break;
      } catch (error) {
        if (signal?.aborted || (error as Error).name === "AbortError") throw abortError();
        if (isFinalRefusal(error)) {
          options.onReconnecting?.(0);
          throw new StreamLostError(`The connection was lost and the answer cannot be resumed: ${(error as Error).message}`);
        }
      }
    }
  }
}
