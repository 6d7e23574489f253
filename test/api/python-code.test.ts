import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { runWorkflow as runGraph, type WorkflowEvent } from "../../core/engine";
import { buildNodePorts, buildNodeRegistry, PYTHON_NEEDS_LOADER_MESSAGE } from "../../workers/adapters/node-runtime";
import { CPU_LIMIT_MESSAGE, createPythonRunner } from "../../workers/adapters/python-runner";
import type { Env } from "../../workers/env";
import { call, createAppAs, createKeyAs, publishAs, seedTenant, type SeededTenant } from "./harness";

// Pyodide boots once per tenant isolate (seconds), so every service-API test shares one tenant.
let tenant: SeededTenant;
beforeAll(async () => {
  tenant = await seedTenant("py");
  const warm = await createPythonRunner({ loader: env.LOADER!, assets: env.ASSETS!, tenantId: tenant.tenantId }).run({ code: "def main() -> dict:\n    return {}", inputs: {} });
  expect(warm).toMatchObject({ ok: true });
}, 180_000);

type Outputs = Record<string, { type: string; children: null }>;

function pythonGraph(code: string, outputs: Outputs) {
  const names = Object.keys(outputs);
  return {
    nodes: [
      { id: "start", type: "custom", position: { x: 0, y: 0 }, data: { type: "start", title: "Start", variables: [{ variable: "query", label: "query", type: "paragraph", required: true, max_length: 4000, options: [] }] } },
      {
        id: "py",
        type: "custom",
        position: { x: 300, y: 0 },
        data: { type: "code", title: "Python", code_language: "python3", code, variables: [{ variable: "query", value_selector: ["start", "query"] }], outputs },
      },
      { id: "end", type: "custom", position: { x: 600, y: 0 }, data: { type: "end", title: "End", outputs: names.map((name) => ({ variable: name, value_selector: ["py", name] })) } },
    ],
    edges: [
      { id: "e1", source: "start", sourceHandle: "source", target: "py", targetHandle: "target", type: "custom" },
      { id: "e2", source: "py", sourceHandle: "source", target: "end", targetHandle: "target", type: "custom" },
    ],
  };
}

/** Saves the graph as a draft, publishes it and returns a key, as a user would through the console. */
async function publishPython(code: string, outputs: Outputs = { result: { type: "string", children: null } }): Promise<string> {
  const token = tenant.tokens.owner;
  const appId = await createAppAs(token, "workflow", "Python app");
  const draft = await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token });
  const saved = await call("POST", `/console/api/apps/${appId}/workflows/draft`, { token, body: { graph: pythonGraph(code, outputs), hash: draft.json.hash } });
  expect(saved.status, saved.text).toBe(200);
  await publishAs(token, appId);
  return (await createKeyAs(token, appId)).token;
}

async function runWorkflow(key: string, query: string) {
  const res = await call("POST", "/v1/workflows/run", { token: key, body: { inputs: { query }, user: "py-user", response_mode: "blocking" } });
  expect(res.status, res.text).toBe(200);
  return res.json.data as { status: string; outputs: Record<string, unknown> | null; error: string | null };
}

const echo = "def main(query: str) -> dict:\n    return {'result': query[::-1]}\n";

// Generous timeouts: a busy machine slows the interpreter several times over.
describe("Python code nodes through /v1/workflows/run", { timeout: 60_000 }, () => {
  it("calls main with the variables as keyword arguments and returns every output type, with the standard library", async () => {
    const code = `
import json, re, datetime, math, random, hashlib, base64, csv, io
from decimal import Decimal

def main(query: str) -> dict:
    words = re.findall(r"\\w+", query)
    rows = list(csv.reader(io.StringIO("a,b\\n1,2")))
    random.seed(7)
    return {
        "upper": query.upper(),
        "count": len(words),
        "root": math.sqrt(16),
        "flags": {"long": len(query) > 5, "header": rows[0]},
        "is_text": isinstance(query, str),
        "words": words,
        "lengths": [len(w) for w in words],
        "items": [{"word": w, "md5": hashlib.md5(w.encode()).hexdigest()} for w in words],
        "encoded": base64.b64encode(query.encode()).decode(),
        "money": str(Decimal("0.1") + Decimal("0.2")),
        "year": datetime.date(2024, 2, 29).isoformat(),
        "dumped": json.dumps({"k": 1}),
        "pick": random.choice(words),
    }
`;
    const outputs: Outputs = {
      upper: { type: "string", children: null },
      count: { type: "number", children: null },
      root: { type: "number", children: null },
      flags: { type: "object", children: null },
      is_text: { type: "boolean", children: null },
      words: { type: "array[string]", children: null },
      lengths: { type: "array[number]", children: null },
      items: { type: "array[object]", children: null },
      encoded: { type: "string", children: null },
      money: { type: "string", children: null },
      year: { type: "string", children: null },
      dumped: { type: "string", children: null },
      pick: { type: "string", children: null },
    };
    const key = await publishPython(code, outputs);
    const data = await runWorkflow(key, "hello big world");
    expect(data.error).toBeNull();
    expect(data.status).toBe("succeeded");
    expect(data.outputs).toMatchObject({
      upper: "HELLO BIG WORLD",
      count: 3,
      root: 4,
      flags: { long: true, header: ["a", "b"] },
      is_text: true,
      words: ["hello", "big", "world"],
      lengths: [5, 3, 5],
      items: [{ word: "hello", md5: "5d41402abc4b2a76b9719d911017c592" }, { word: "big" }, { word: "world" }],
      encoded: "aGVsbG8gYmlnIHdvcmxk",
      money: "0.3",
      year: "2024-02-29",
      dumped: '{"k": 1}',
    });
    expect(["hello", "big", "world"]).toContain(data.outputs!.pick);
  });

  it("fails the node with an error naming the output variable when the dict does not match the declared outputs", async () => {
    const key = await publishPython("def main(query: str) -> dict:\n    return {'count': 'not a number'}\n", { count: { type: "number", children: null } });
    const data = await runWorkflow(key, "x");
    expect(data.status).toBe("failed");
    expect(data.error).toMatch(/count/);
  });

  it("reports Python errors with their type, message and line", async () => {
    const key = await publishPython("def main(query: str) -> dict:\n    x = 1\n    return {'result': x / 0}\n");
    const data = await runWorkflow(key, "x");
    expect(data.status).toBe("failed");
    expect(data.error).toMatch(/ZeroDivisionError: division by zero \(line 3\)/);
  });

  it("stops `while True: pass` with a clear time-budget error, and the next run still works", async () => {
    const key = await publishPython("def main(query: str) -> dict:\n    while True:\n        pass\n");
    const data = await runWorkflow(key, "x");
    expect(data.status).toBe("failed");
    expect(data.error).toMatch(/time budget/);
    const next = await runWorkflow(await publishPython(echo), "abc");
    expect(next).toMatchObject({ status: "succeeded", outputs: { result: "cba" } });
  });

  it("turns a memory bomb into MemoryError as a clear node failure, and the interpreter lives on", async () => {
    const key = await publishPython("def main(query: str) -> dict:\n    blocks = []\n    while True:\n        blocks.append(bytearray(4 * 1024 * 1024))\n");
    const data = await runWorkflow(key, "x");
    expect(data.status).toBe("failed");
    expect(data.error).toMatch(/MemoryError/);
    const next = await runWorkflow(await publishPython(echo), "xyz");
    expect(next).toMatchObject({ status: "succeeded", outputs: { result: "zyx" } });
  });

  it("has no JavaScript bridge: `import js` (for js.fetch) and `import pyodide_js` fail", async () => {
    for (const module of ["js", "pyodide_js"]) {
      const key = await publishPython(`import ${module}\n\ndef main(query: str) -> dict:\n    return {'result': str(${module}.fetch)}\n`);
      const data = await runWorkflow(key, "x");
      expect(data.status).toBe("failed");
      expect(data.error).toContain(`No module named '${module}'`);
    }
  });

  it("names a third-party package that cannot be imported", async () => {
    const key = await publishPython("import requests\n\ndef main(query: str) -> dict:\n    return {'result': requests.get(query).text}\n");
    const data = await runWorkflow(key, "https://example.com");
    expect(data.status).toBe("failed");
    expect(data.error).toMatch(/Python package 'requests' is not available/);
  });
});

describe("the Python runner inside its isolate", { timeout: 60_000 }, () => {
  const runner = () => createPythonRunner({ loader: env.LOADER!, assets: env.ASSETS!, tenantId: tenant.tenantId, limits: { timeoutMs: 1_000 } });

  it("captures print() into the logs, capped", async () => {
    const out = await runner().run({ code: "def main(n: int) -> dict:\n    for i in range(n):\n        print('line', i)\n    return {'n': n}", inputs: { n: 500 }, limits: { maxLogLines: 3 } });
    expect(out).toMatchObject({ ok: true, result: { n: 500 } });
    expect(out.logs!.slice(0, 3)).toEqual(["line 0", "line 1", "line 2"]);
    expect(out.logs![3]).toMatch(/497 more line\(s\) of output dropped/);
  });

  it("keeps interrupting code that swallows KeyboardInterrupt", async () => {
    const code = "def main() -> dict:\n    while True:\n        try:\n            while True:\n                pass\n        except BaseException:\n            pass\n";
    expect(await runner().run({ code, inputs: {} })).toMatchObject({ ok: false, kind: "timeout" });
  });

  it("restores builtins and modules, so one execution cannot leave code behind for the next", async () => {
    const tamper = "import builtins, json, sys\nbuiltins.len = lambda x: 42\njson.dumps = None\nsys.modules['evil'] = sys\nsys.path.insert(0, '/tmp/evil')\ndef main() -> dict:\n    return {'tampered': builtins.len('ab')}\n";
    expect(await runner().run({ code: tamper, inputs: {} })).toMatchObject({ ok: true, result: { tampered: 42 } });
    const check = "import json, sys\ndef main() -> dict:\n    return {'len': len('ab'), 'dumps': json.dumps([1]), 'evil': 'evil' in sys.modules, 'path': '/tmp/evil' in sys.path}\n";
    expect(await runner().run({ code: check, inputs: {} })).toMatchObject({ ok: true, result: { len: 2, dumps: "[1]", evil: false, path: false } });
  });

  it("has no network and no host files", async () => {
    const code = "def main() -> dict:\n    import os\n    try:\n        open('/etc/passwd').read()\n        opened = True\n    except OSError:\n        opened = False\n    return {'opened': opened, 'env': sorted(os.environ.keys())}\n";
    const out = await runner().run({ code, inputs: {} });
    expect(out).toMatchObject({ ok: true, result: { opened: false } });
    const urllib = await runner().run({ code: "import urllib.request\ndef main() -> dict:\n    return {'r': urllib.request.urlopen('http://example.com').read().decode()}\n", inputs: {} });
    expect(urllib.ok).toBe(false);
  });

  it("cannot reach JavaScript through importlib or sys.modules either", async () => {
    const code = "import importlib, sys\ndef main() -> dict:\n    try:\n        importlib.import_module('pyodide_js')\n        imported = True\n    except ImportError:\n        imported = False\n    return {'imported': imported, 'loaded': [m for m in ('js', 'pyodide_js') if m in sys.modules]}\n";
    expect(await runner().run({ code, inputs: {} })).toMatchObject({ ok: true, result: { imported: false, loaded: [] } });
  });

  it("stops deep recursion with RecursionError even when the code raises the recursion limit", async () => {
    const code = "import sys\nsys.setrecursionlimit(10**6)\ndef f(n):\n    return f(n + 1)\ndef main() -> dict:\n    return {'r': f(0)}\n";
    const out = await runner().run({ code, inputs: {} });
    expect(out).toMatchObject({ ok: false, kind: "runtime" });
    expect(!out.ok && out.error).toMatch(/RecursionError: maximum recursion depth exceeded/);
  });

  it("fails clearly when the interpreter itself crashes, and the next execution gets a fresh isolate", async () => {
    // repr() of very deeply nested lists recurses in C until the JavaScript stack overflows.
    const crash = await runner().run({ code: "def main() -> dict:\n    x = []\n    for i in range(10**5):\n        x = [x]\n    return {'r': len(repr(x))}\n", inputs: {} });
    expect(crash).toMatchObject({ ok: false, kind: "runtime" });
    expect(!crash.ok && crash.error).toMatch(/Python interpreter crashed.*next execution starts a fresh one/);
    expect(await runner().run({ code: "def main(a: int) -> dict:\n    return {'b': a * 2}\n", inputs: { a: 21 } })).toMatchObject({ ok: true, result: { b: 42 } });
  }, 180_000);

  it("fails Python nodes with what to enable when the Worker Loader binding is absent; JavaScript still runs", async () => {
    const ports = buildNodePorts({ ...env, LOADER: undefined } as Env, tenant.tenantId);
    expect(await ports.code!.run("python3", "def main() -> dict:\n    return {}", {})).toMatchObject({ ok: false, error: PYTHON_NEEDS_LOADER_MESSAGE });
    expect(PYTHON_NEEDS_LOADER_MESSAGE).toMatch(/worker_loaders/);
    expect(await ports.code!.run("javascript", "function main() { return { a: 1 }; }", {})).toMatchObject({ ok: true, result: { a: 1 } });
  });
});

// Graph builders for the tests below, in Dify's JSON shape.
const node = (id: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ id, type: "custom", position: { x: 0, y: 0 }, data: { title: id, desc: "", ...data }, ...extra });
const edge = (source: string, target: string, sourceHandle = "source") => ({ id: `${source}-${sourceHandle}-${target}`, source, sourceHandle, target, targetHandle: "target", type: "custom" });
const python = (id: string, code: string, variables: Array<[string, string[]]>, outputs: Record<string, string>, extra: Record<string, unknown> = {}) =>
  node(id, {
    type: "code",
    code_language: "python3",
    code,
    variables: variables.map(([variable, value_selector]) => ({ variable, value_selector })),
    outputs: Object.fromEntries(Object.entries(outputs).map(([name, type]) => [name, { type, children: null }])),
    ...extra.data as object,
  }, (extra.node as Record<string, unknown>) ?? {});
const textStart = (variables: string[] = ["csv"]) => node("start", { type: "start", variables: variables.map((variable) => ({ variable, label: variable, type: "paragraph", required: true, max_length: 4000, options: [] })) });
const splitter = python("split", "def main(csv: str) -> dict:\n    return {'words': csv.split(',')}\n", [["csv", ["start", "csv"]]], { words: "array[string]" });

function parseSse(text: string): any[] {
  return text.split("\n\n").flatMap((frame) => frame.split("\n").filter((line) => line.startsWith("data: ")).map((line) => JSON.parse(line.slice(6))));
}

/** Saves the graph as the draft of a new app and runs it from the console, returning the SSE events. */
async function draftRun(graph: { nodes: unknown[]; edges: unknown[] }, inputs: Record<string, unknown>, mode = "workflow", query?: string) {
  const token = tenant.tokens.owner;
  const appId = await createAppAs(token, mode, "Python graph");
  const draft = await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token });
  const saved = await call("POST", `/console/api/apps/${appId}/workflows/draft`, { token, body: { graph, hash: draft.json.hash } });
  expect(saved.status, saved.text).toBe(200);
  const res = await call("POST", `/console/api/apps/${appId}/workflows/draft/run`, { token, body: { inputs, ...(query !== undefined && { query }) } });
  expect(res.status, res.text).toBe(200);
  const events = parseSse(res.text);
  return { appId, events, finished: events.at(-1), nodes: (id: string) => events.filter((e) => e.event === "node_finished" && e.data.node_id === id).map((e) => e.data) };
}

describe("Python code nodes inside graphs (console draft runs)", { timeout: 120_000 }, () => {
  it("runs a Python node in each round of a sequential iteration, with every output type", async () => {
    const body = python(
      "body",
      "def main(word: str, index: int) -> dict:\n    return {'out': {'word': word, 'index': index, 'len': len(word), 'upper': word.upper(), 'vowel': word[0] in 'aeiou', 'chars': list(word), 'codes': [ord(c) for c in word], 'flags': [c.isupper() for c in word], 'pairs': [{'c': c} for c in word[:2]]}}\n",
      [["word", ["each", "item"]], ["index", ["each", "index"]]],
      { out: "object" },
      { data: { iteration_id: "each" }, node: { parentId: "each" } },
    );
    const check = python(
      "check",
      "def main(rows: list) -> dict:\n    return {'s': rows[0]['word'], 'n': len(rows), 'b': all(r['len'] > 0 for r in rows), 'o': rows[1], 'as': [r['upper'] for r in rows], 'an': [r['index'] for r in rows], 'ab': [r['vowel'] for r in rows], 'ao': [{'w': r['word']} for r in rows], 'f': 0.5}\n",
      [["rows", ["each", "output"]]],
      { s: "string", n: "number", b: "boolean", o: "object", as: "array[string]", an: "array[number]", ab: "array[boolean]", ao: "array[object]", f: "number" },
    );
    const graph = {
      nodes: [
        textStart(),
        splitter,
        node("each", { type: "iteration", iterator_selector: ["split", "words"], output_selector: ["body", "out"], is_parallel: false, error_handle_mode: "terminated", start_node_id: "each_start" }),
        node("each_start", { type: "iteration-start", iteration_id: "each" }, { type: "custom-iteration-start", parentId: "each" }),
        body,
        check,
        node("end", { type: "end", outputs: ["s", "n", "b", "o", "as", "an", "ab", "ao", "f"].map((name) => ({ variable: name, value_selector: ["check", name] })) }),
      ],
      edges: [edge("start", "split"), edge("split", "each"), edge("each_start", "body"), edge("each", "check"), edge("check", "end")],
    };
    const run = await draftRun(graph, { csv: "apple,Kiwi,egg" });
    expect(run.finished.data.error).toBeNull();
    expect(run.finished.data).toMatchObject({
      status: "succeeded",
      outputs: {
        s: "apple",
        n: 3,
        b: true,
        o: { word: "Kiwi", index: 1, len: 4, upper: "KIWI", vowel: false, chars: ["K", "i", "w", "i"], codes: [75, 105, 119, 105], flags: [true, false, false, false], pairs: [{ c: "K" }, { c: "i" }] },
        as: ["APPLE", "KIWI", "EGG"],
        an: [0, 1, 2],
        ab: [true, false, true],
        ao: [{ w: "apple" }, { w: "Kiwi" }, { w: "egg" }],
        f: 0.5,
      },
    });
    expect(run.nodes("body").map((data) => data.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    expect(run.nodes("body").every((data) => data.iteration_id === "each")).toBe(true);
  });

  it("runs Python nodes concurrently in a parallel iteration and keeps the output order", async () => {
    const graph = {
      nodes: [
        textStart(),
        splitter,
        node("each", { type: "iteration", iterator_selector: ["split", "words"], output_selector: ["body", "reversed"], is_parallel: true, parallel_nums: 3, error_handle_mode: "terminated", start_node_id: "each_start" }),
        node("each_start", { type: "iteration-start", iteration_id: "each" }, { type: "custom-iteration-start", parentId: "each" }),
        python("body", "import hashlib\n\ndef main(word: str) -> dict:\n    print('round', word)\n    return {'reversed': word[::-1] + ':' + hashlib.sha1(word.encode()).hexdigest()[:4]}\n", [["word", ["each", "item"]]], { reversed: "string" }, { data: { iteration_id: "each" }, node: { parentId: "each" } }),
        node("end", { type: "end", outputs: [{ variable: "out", value_selector: ["each", "output"] }] }),
      ],
      edges: [edge("start", "split"), edge("split", "each"), edge("each_start", "body"), edge("each", "end")],
    };
    const words = ["one", "two", "three", "four", "five", "six", "seven"];
    const run = await draftRun(graph, { csv: words.join(",") });
    expect(run.finished.data.error).toBeNull();
    const sha = async (word: string) => [...new Uint8Array(await crypto.subtle.digest("SHA-1", new TextEncoder().encode(word)))].map((b) => b.toString(16).padStart(2, "0")).join("").slice(0, 4);
    expect(run.finished.data.outputs.out).toEqual(await Promise.all(words.map(async (word) => `${[...word].reverse().join("")}:${await sha(word)}`)));
    const rounds = run.nodes("body");
    expect(rounds).toHaveLength(words.length);
    // Each round's print() stayed with its own round.
    for (const round of rounds) expect(round.process_data.logs).toEqual([`round ${round.inputs.word}`]);
  });

  it("runs a Python node in each round of a loop that updates a loop variable until the break condition", async () => {
    const graph = {
      nodes: [
        node("start", { type: "start", variables: [] }),
        node("grow", {
          type: "loop",
          loop_count: 10,
          logical_operator: "and",
          break_conditions: [{ variable_selector: ["grow", "n"], comparison_operator: "≥", value: "20" }],
          loop_variables: [{ label: "n", var_type: "number", value_type: "constant", value: "1" }],
          start_node_id: "grow_start",
        }),
        node("grow_start", { type: "loop-start", loop_id: "grow" }, { type: "custom-loop-start", parentId: "grow" }),
        python("step", "def main(n: int) -> dict:\n    return {'next': n * 2 + 1}\n", [["n", ["grow", "n"]]], { next: "number" }, { data: { loop_id: "grow" }, node: { parentId: "grow" } }),
        node("assign", { type: "assigner", version: "2", loop_id: "grow", items: [{ variable_selector: ["grow", "n"], input_type: "variable", operation: "over-write", value: ["step", "next"] }] }, { parentId: "grow" }),
        node("end", { type: "end", outputs: [{ variable: "n", value_selector: ["grow", "n"] }] }),
      ],
      edges: [edge("start", "grow"), edge("grow_start", "step"), edge("step", "assign"), edge("grow", "end")],
    };
    const run = await draftRun(graph, {});
    expect(run.finished.data.error).toBeNull();
    // 1 → 3 → 7 → 15 → 31: four rounds, then n ≥ 20 stops the loop.
    expect(run.finished.data).toMatchObject({ status: "succeeded", outputs: { n: 31 } });
    expect(run.nodes("step").map((data) => data.outputs.next)).toEqual([3, 7, 15, 31]);
    expect(run.nodes("step").every((data) => data.loop_id === "grow")).toBe(true);
  });

  it("runs a chatflow (advanced-chat) whose Python node reads sys.query and feeds the answer", async () => {
    const graph = {
      nodes: [
        node("start", { type: "start", variables: [] }),
        python("py", "def main(query: str) -> dict:\n    return {'reply': f'{len(query.split())} words, reversed: {query[::-1]}'}\n", [["query", ["sys", "query"]]], { reply: "string" }),
        node("answer", { type: "answer", answer: "Python says {{#py.reply#}}", variables: [] }),
      ],
      edges: [edge("start", "py"), edge("py", "answer")],
    };
    const run = await draftRun(graph, {}, "advanced-chat", "hello chat world");
    expect(run.finished.data.error).toBeNull();
    expect(run.finished.data).toMatchObject({ status: "succeeded", outputs: { answer: "Python says 3 words, reversed: dlrow tahc olleh" } });
    const chunks = run.events.filter((e) => e.event === "text_chunk").map((e) => e.data.text).join("");
    expect(chunks).toBe("Python says 3 words, reversed: dlrow tahc olleh");
  });

  it("shows print() output in the node's process_data, in the events and in the recorded node execution", async () => {
    const graph = {
      nodes: [textStart(), python("py", "def main(csv: str) -> dict:\n    print('got', csv)\n    print('twice:', csv * 2)\n    return {'n': len(csv)}\n", [["csv", ["start", "csv"]]], { n: "number" }), node("end", { type: "end", outputs: [{ variable: "n", value_selector: ["py", "n"] }] })],
      edges: [edge("start", "py"), edge("py", "end")],
    };
    const run = await draftRun(graph, { csv: "ab" });
    const shown = run.nodes("py")[0].process_data;
    expect(shown.logs).toEqual(["got ab", "twice: abab"]);
    // Measured inside the isolate; the tenant's runtime was already up, so no boot time.
    expect(shown.sandbox).toEqual({ execution_ms: expect.any(Number) });
    const runId = run.events[0].workflow_run_id;
    await expect.poll(async () => (await call("GET", `/console/api/apps/${run.appId}/workflow-runs/${runId}/node-executions`, { token: tenant.tokens.owner })).json?.data?.length ?? 0).toBe(3);
    const recorded = (await call("GET", `/console/api/apps/${run.appId}/workflow-runs/${runId}/node-executions`, { token: tenant.tokens.owner })).json.data.find((n: any) => n.node_id === "py");
    expect(recorded.process_data).toEqual(shown);
  });

  it("keeps what a failing node printed, and warns about declared dependencies, naming them when the import fails", async () => {
    const graph = {
      nodes: [
        textStart(),
        python("py", "print('before the import')\nimport pandas\n\ndef main(csv: str) -> dict:\n    return {'n': len(pandas.read_csv(csv))}\n", [["csv", ["start", "csv"]]], { n: "number" }, { data: { dependencies: [{ name: "pandas", version: "2.2.0" }] } }),
        node("end", { type: "end", outputs: [{ variable: "n", value_selector: ["py", "n"] }] }),
      ],
      edges: [edge("start", "py"), edge("py", "end")],
    };
    const run = await draftRun(graph, { csv: "a,b" });
    expect(run.finished.data.status).toBe("failed");
    const [py] = run.nodes("py");
    expect(py.error).toBe(
      "Python package 'pandas' is not available in Waggle's sandbox; only the standard library can be imported (line 2). This node lists 'pandas' in its dependencies; Waggle does not install packages, so use the standard library instead",
    );
    expect(py.process_data).toMatchObject({ logs: ["before the import"], warnings: [expect.stringContaining("'pandas 2.2.0' is listed in this node's dependencies")] });
  });
});

// Loops inside C (`sum(range(10**12))`, a catastrophic regular expression) never reach the
// interrupt; only the isolate's CPU limit stops them. Local workerd enforces no CPU limits and runs
// every isolate on one thread (see core/sandbox/python/README.md), so the limit itself cannot fire
// here: this fakes the loader to answer as Workers do when the limit is hit.
describe("when the isolate's CPU limit stops a loop inside C", () => {
  it("fails the node clearly, and the tenant's next execution gets a fresh isolate", async () => {
    const ids: string[] = [];
    const loader = {
      get(id: string) {
        ids.push(id);
        return {
          getEntrypoint: () => ({
            run: async (request: { code: string }) => {
              if (request.code.includes("10**12")) throw new Error("Worker exceeded CPU time limit.");
              return { ok: true, resultJson: JSON.stringify({ s: 45 }), logs: [], recycle: false, stats: { checks: 1, runMs: 1, elapsedMs: 2, bootMs: 3_400 } };
            },
          }),
        };
      },
    } as unknown as WorkerLoader;
    const tenantId = `cpu-${crypto.randomUUID()}`;
    const events: WorkflowEvent[] = [];
    const run = (code: string) =>
      runGraph({
        onEvent: (event) => events.push(event),
        graph: pythonGraph(code, { s: { type: "number", children: null } }),
        registry: buildNodeRegistry(),
        inputs: { query: "x" },
        ports: buildNodePorts({ ...env, LOADER: loader } as Env, tenantId),
      });

    const stuck = await run("def main(query: str) -> dict:\n    return {'s': sum(range(10**12))}\n");
    expect(stuck.status).toBe("failed");
    expect(stuck.error).toBe(CPU_LIMIT_MESSAGE);
    const next = await run("def main(query: str) -> dict:\n    return {'s': sum(range(10))}\n");
    expect(next).toMatchObject({ status: "succeeded", outputs: { s: 45 } });
    // The fresh isolate had to boot first: the node shows it.
    const finished = events.filter((event) => event.type === "node_finished" && event.data.node_id === "py").at(-1);
    expect(finished?.type === "node_finished" && finished.data.process_data).toEqual({ sandbox: { execution_ms: 2, boot_ms: 3_400 } });
    expect(ids).toHaveLength(2);
    expect(ids[0]).toMatch(new RegExp(`/${tenantId}/0$`));
    expect(ids[1]).toMatch(new RegExp(`/${tenantId}/1$`));
  });
});
