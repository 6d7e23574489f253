import { describe, expect, it } from "vitest";
import { IDLE_RUN, applyRunEvent, settleRun, traceTimeline, type NodeRun, type NodeRunStatus, type RunView } from "./run-state";
import { parseSseChunk } from "./run-stream";
import { parseServerProblems, problemsByNode, sameProblems, withTitles } from "./graph-problems";
import { GraphHistory } from "./graph-history";

describe("parseSseChunk", () => {
  it("returns complete frames and keeps the unfinished tail", () => {
    const { events, rest } = parseSseChunk('data: {"event":"node_started","data":{"node_id":"a"}}\n\nevent: ping\n\ndata: {"event":"workflow_fin');
    expect(events).toEqual([{ event: "node_started", data: { node_id: "a" } }]);
    expect(rest).toBe('data: {"event":"workflow_fin');
  });

  it("gives each event its frame's id (the sequence number a reconnect sends as Last-Event-ID)", () => {
    const { events, ids } = parseSseChunk('id: 7\ndata: {"event":"message","answer":"a"}\n\nevent: ping\n\ndata: {"event":"message","answer":"b"}\n\nid: 9\ndata: {"event":"message_end"}\n\n');
    expect(events.map((event) => event.event)).toEqual(["message", "message", "message_end"]);
    expect(ids).toEqual(["7", undefined, "9"]);
  });
});

describe("applyRunEvent", () => {
  it("lights nodes up as they start and finish and records the result", () => {
    let run = applyRunEvent(IDLE_RUN, { event: "workflow_started", workflow_run_id: "r1", data: { id: "r1" } });
    run = applyRunEvent(run, { event: "node_started", data: { node_id: "code", title: "Code", node_type: "code", inputs: { arg1: "x" } } }, 1000);
    expect(run.nodes.code.status).toBe("running");
    run = applyRunEvent(run, { event: "node_finished", data: { node_id: "code", status: "failed", error: "boom", elapsed_time: 0.25, outputs: null } });
    expect(run.nodes.code).toMatchObject({ status: "failed", error: "boom", elapsed_time: 0.25, inputs: { arg1: "x" } });
    run = applyRunEvent(run, { event: "workflow_finished", data: { status: "failed", error: "boom", outputs: {}, elapsed_time: 0.3 } });
    expect(run).toMatchObject({ run_id: "r1", status: "failed", error: "boom", order: ["code"] });
  });

  it("marks nodes still running when the run ends as stopped", () => {
    const run = applyRunEvent({ ...IDLE_RUN, status: "running" }, { event: "node_started", data: { node_id: "llm" } });
    expect(settleRun({ ...run, status: "stopped" }).nodes.llm.status).toBe("stopped");
  });
});

describe("parseServerProblems", () => {
  it("reads the publish endpoint's problem list", () => {
    expect(parseServerProblems("The draft cannot be published: node 17 (data.code): Required; graph: No start node; node llm (data.model.name): Too short")).toEqual([
      { node_id: "17", field: "data.code", message: "Required" },
      { node_id: "llm", field: "data.model.name", message: "Too short" },
    ]);
  });
});

describe("GraphHistory", () => {
  it("undoes and redoes, and folds quick edits of one field into one step", () => {
    const history = new GraphHistory("a");
    history.push("ab", "title", 0);
    history.push("abc", "title", 500);
    history.push("abcd", undefined, 600);
    expect(history.undo()).toBe("abc");
    expect(history.undo()).toBe("a");
    expect(history.canUndo).toBe(false);
    expect(history.redo()).toBe("abc");
  });
});

describe("withTitles", () => {
  it("names nodes by title in problem messages, leaving field paths alone", () => {
    const nodes = [
      { id: "17", data: { title: "LLM" } },
      { id: "answer", data: { title: "Answer" } },
    ];
    expect(withTitles("Answer refers to 17.text, but node 17 is not upstream of answer", nodes)).toBe('Answer refers to "LLM".text, but node "LLM" is not upstream of "Answer"');
  });
});

describe("sameProblems", () => {
  const missing = { node_id: "llm", field: "data.model", message: "choose a model" };
  const cycle = { node_id: null, field: "edges", message: "the graph has a cycle" };

  it("treats a regrouping of the same problems as unchanged", () => {
    expect(sameProblems(problemsByNode([missing, cycle]), problemsByNode([{ ...cycle }, { ...missing }]))).toBe(true);
    expect(sameProblems(new Map(), problemsByNode([]))).toBe(true);
  });

  it("notices a problem fixed, added or reworded", () => {
    expect(sameProblems(problemsByNode([missing, cycle]), problemsByNode([cycle]))).toBe(false);
    expect(sameProblems(problemsByNode([cycle]), problemsByNode([cycle, missing]))).toBe(false);
    expect(sameProblems(problemsByNode([missing]), problemsByNode([{ ...missing, message: "choose another model" }]))).toBe(false);
  });
});

describe("a chat turn answered without a run", () => {
  it("succeeds at message_end when no workflow started, and waits for workflow_finished otherwise", () => {
    let direct = { ...IDLE_RUN, status: "running" as const };
    for (const event of [{ event: "message", answer: "Let's talk " }, { event: "message", answer: "about bees." }, { event: "message_end" }]) direct = applyRunEvent(direct, event) as typeof direct;
    expect(direct).toMatchObject({ status: "succeeded", text: "Let's talk about bees." });
    const flow = applyRunEvent(applyRunEvent({ ...IDLE_RUN, status: "running" }, { event: "workflow_started", workflow_run_id: "r1", data: { id: "r1" } }), { event: "message_end" });
    expect(flow.status).toBe("running");
  });
});

describe("the trace timeline", () => {
  const node = (node_id: string, predecessor: string | null, elapsed_time: number | undefined, status: NodeRunStatus = "succeeded", started_at = 0): NodeRun => ({
    node_id,
    title: node_id,
    node_type: "code",
    status,
    started_at,
    elapsed_time,
    predecessor_node_id: predecessor,
  });

  it("starts each node when its predecessor ended, on the run's clock, so parallel branches overlap", () => {
    const run: RunView = {
      ...IDLE_RUN,
      status: "succeeded",
      order: ["start", "a", "b", "end"],
      // Arrival times (started_at) are ignored: the stream's delays are not the run's.
      nodes: { start: node("start", null, 0.1, "succeeded", 500), a: node("a", "start", 0.5, "succeeded", 9000), b: node("b", "start", 0.2), end: node("end", "a", 0.4) },
    };
    const bars = traceTimeline(run);
    expect(bars.start).toMatchObject({ offsetMs: 0, left: 0, width: 10 });
    expect(bars.a).toMatchObject({ offsetMs: 100, left: 10, width: 50 });
    expect(bars.b).toMatchObject({ offsetMs: 100, left: 10, width: 20 });
    expect(bars.end).toMatchObject({ offsetMs: 600, left: 60, width: 40 });
  });

  it("starts a node inside an iteration with the iteration, draws a running node up to now and an instant one as a sliver", () => {
    const run: RunView = {
      ...IDLE_RUN,
      status: "running",
      order: ["start", "iter", "child", "llm"],
      nodes: {
        start: node("start", null, 0),
        iter: node("iter", "start", 1),
        child: { ...node("child", "iter-start", 0.25), container_id: "iter" },
        llm: node("llm", "iter", undefined, "running", 1000),
      },
    };
    const bars = traceTimeline(run, 3000);
    expect(bars.child).toMatchObject({ offsetMs: 0 });
    expect(bars.llm).toMatchObject({ offsetMs: 1000, durationMs: 2000 });
    expect(bars.start!.width).toBe(0.5);
    expect(traceTimeline(IDLE_RUN)).toEqual({});
  });
});
