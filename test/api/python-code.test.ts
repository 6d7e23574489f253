import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { buildNodePorts, PYTHON_NEEDS_LOADER_MESSAGE } from "../../workers/adapters/node-runtime";
import { createPythonRunner } from "../../workers/adapters/python-runner";
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
