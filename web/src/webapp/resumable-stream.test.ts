import { describe, expect, it } from "vitest";
import type { RunEvent } from "../editor/run-stream";
import { readResumableStream, StreamLostError, type ResumableStreamOptions } from "./resumable-stream";

const encoder = new TextEncoder();
const frame = (id: number, payload: Record<string, unknown>) => `id: ${id}\ndata: ${JSON.stringify({ task_id: "task-1", ...payload })}\n\n`;
const message = (id: number, answer: string) => frame(id, { event: "message", answer });
const end = (id: number) => frame(id, { event: "message_end" });

/** An SSE body that sends `frames`, then ends cleanly or breaks like a dropped connection. */
function body(frames: string[], outcome: "end" | "break" = "end"): ReadableStream<BufferSource> {
  const queue = [...frames];
  return new ReadableStream({
    // One frame per read, so the break comes after the reader has taken every frame.
    pull(controller) {
      const text = queue.shift();
      if (text !== undefined) controller.enqueue(encoder.encode(text));
      else if (outcome === "break") controller.error(new TypeError("network error"));
      else controller.close();
    },
  });
}

function harness(overrides: Partial<ResumableStreamOptions> & Pick<ResumableStreamOptions, "open">) {
  const events: RunEvent[] = [];
  const reconnecting: number[] = [];
  const delays: number[] = [];
  const resumes: Array<[string, string | undefined]> = [];
  const options: ResumableStreamOptions = {
    resume: async () => body([]),
    onEvent: (event) => events.push(event),
    onReconnecting: (attempt) => reconnecting.push(attempt),
    sleep: async (ms) => {
      delays.push(ms);
    },
    ...overrides,
  };
  const resume = options.resume;
  options.resume = (taskId, lastId) => {
    resumes.push([taskId, lastId]);
    return resume(taskId, lastId);
  };
  const answer = () =>
    events
      .filter((event) => event.event === "message")
      .map((event) => event.answer)
      .join("");
  return { options, events, reconnecting, delays, resumes, answer };
}

describe("readResumableStream", () => {
  it("reconnects after a drop mid-answer with the last event id, and shows each part once", async () => {
    const h = harness({
      open: async () => body([message(1, "Bees "), message(2, "dance ")], "break"),
      resume: async () => body([message(3, "to talk."), end(4)]),
    });
    await readResumableStream(h.options);
    expect(h.resumes).toEqual([["task-1", "2"]]);
    expect(h.answer()).toBe("Bees dance to talk.");
    expect(h.events.at(-1)?.event).toBe("message_end");
    expect(h.reconnecting).toEqual([1, 0]);
  });

  it("also reconnects when the body ends cleanly before the answer did (a proxy closing it)", async () => {
    const h = harness({ open: async () => body([message(1, "one ")]), resume: async () => body([message(2, "two"), end(3)]) });
    await readResumableStream(h.options);
    expect(h.resumes).toEqual([["task-1", "1"]]);
    expect(h.answer()).toBe("one two");
  });

  it("never reconnects a stream that reached its end", async () => {
    const h = harness({ open: async () => body([message(1, "done"), end(2)]) });
    await readResumableStream(h.options);
    expect(h.resumes).toEqual([]);
    expect(h.reconnecting).toEqual([]);
  });

  it("passes on what follows the answer's end (a chatflow's workflow_finished after message_end)", async () => {
    const h = harness({ open: async () => body([message(1, "x"), end(2), frame(3, { event: "workflow_finished", data: { status: "failed", error: "late" } })]) });
    await readResumableStream(h.options);
    expect(h.events.map((event) => event.event)).toEqual(["message", "message_end", "workflow_finished"]);
  });

  it("treats an error event and a chatflow's workflow_finished as the end too", async () => {
    for (const last of [frame(2, { event: "error", message: "boom" }), frame(2, { event: "workflow_finished", data: { status: "succeeded" } })]) {
      const h = harness({ open: async () => body([message(1, "x"), last], "break") });
      await readResumableStream(h.options);
      expect(h.resumes).toEqual([]);
    }
  });

  it("gives up after the bounded number of attempts in a row, waiting longer each time", async () => {
    const h = harness({
      open: async () => body([message(1, "partial")], "break"),
      resume: async () => {
        throw new TypeError("Failed to fetch");
      },
      maxAttempts: 3,
    });
    await expect(readResumableStream(h.options)).rejects.toBeInstanceOf(StreamLostError);
    expect(h.resumes).toHaveLength(3);
    expect(h.delays).toEqual([500, 1000, 2000]);
    expect(h.reconnecting).toEqual([1, 2, 3, 0]);
    expect(h.answer()).toBe("partial");
  });

  it("counts attempts in a row only: a connection that keeps delivering keeps being resumed", async () => {
    let next = 2;
    const h = harness({
      open: async () => body([message(1, "a")], "break"),
      // Each reconnection delivers one more part and drops again, five times, then the answer ends.
      resume: async () => (next < 7 ? body([message(next, String.fromCharCode(96 + next++))], "break") : body([end(next)])),
      maxAttempts: 2,
    });
    await readResumableStream(h.options);
    expect(h.answer()).toBe("abcdef");
    expect(h.resumes.map(([, lastId]) => lastId)).toEqual(["1", "2", "3", "4", "5", "6"]);
  });

  it("stops at once when the server refuses the resume for good (a 4xx)", async () => {
    const refusal = Object.assign(new Error("No answer of this user has that task id."), { status: 404 });
    const h = harness({
      open: async () => body([message(1, "partial")], "break"),
      resume: async () => {
        throw refusal;
      },
    });
    const failure = readResumableStream(h.options);
    await expect(failure).rejects.toThrow("No answer of this user has that task id.");
    await expect(failure).rejects.toBeInstanceOf(StreamLostError);
    expect(h.resumes).toHaveLength(1);
  });

  it("retries a resume that was rate limited or answered with a server error", async () => {
    const failures = [Object.assign(new Error("slow down"), { status: 429 }), Object.assign(new Error("oops"), { status: 503 })];
    const h = harness({
      open: async () => body([message(1, "x ")], "break"),
      resume: async () => {
        const failure = failures.shift();
        if (failure) throw failure;
        return body([message(2, "y"), end(3)]);
      },
    });
    await readResumableStream(h.options);
    expect(h.resumes).toHaveLength(3);
    expect(h.answer()).toBe("x y");
  });

  it("never reconnects after the visitor's Stop, even while waiting to reconnect", async () => {
    const stopped = new AbortController();
    stopped.abort();
    const h = harness({ open: async () => body([message(1, "x")], "break"), signal: stopped.signal });
    await expect(readResumableStream(h.options)).rejects.toMatchObject({ name: "AbortError" });
    expect(h.resumes).toEqual([]);

    const later = new AbortController();
    const waiting = harness({
      open: async () => body([message(1, "x")], "break"),
      signal: later.signal,
      sleep: (_ms, signal) =>
        new Promise((_resolve, reject) => {
          signal?.addEventListener("abort", () => reject(new DOMException("stopped", "AbortError")));
          later.abort();
        }),
    });
    await expect(readResumableStream(waiting.options)).rejects.toMatchObject({ name: "AbortError" });
    expect(waiting.resumes).toEqual([]);
  });

  it("has nothing to resume when the connection broke before the first event", async () => {
    const h = harness({ open: async () => body([], "break") });
    await expect(readResumableStream(h.options)).rejects.toThrow("network error");
    expect(h.resumes).toEqual([]);
  });
});
