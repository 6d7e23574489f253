import { describe, expect, it } from "vitest";
import { buildGraph, runCollecting } from "../../engine/testing";
import { createQuickJsRunner } from "../../sandbox";
import { createNodeRegistry } from "..";
import { codeNode } from "./code-node";
import { createCodeRunnerPort } from "./code-runner-port";

const registry = createNodeRegistry().register(codeNode);
const ports = { code: createCodeRunnerPort({ javascript: createQuickJsRunner({ limits: { timeoutMs: 500 } }) }) };

async function runCode(data: Record<string, unknown>, inputs: Record<string, unknown> = { x: 2, name: "Ada" }, withPorts: Record<string, unknown> = ports) {
  const graph = buildGraph(
    [
      { id: "start", type: "start", variables: [{ variable: "x", type: "number" }, { variable: "name", type: "text-input" }] },
      {
        id: "code",
        type: "code",
        code_language: "javascript",
        variables: [{ variable: "x", value_selector: ["start", "x"] }, { variable: "name", value_selector: ["start", "name"] }],
        ...data,
      },
      { id: "end", type: "end", outputs: [{ variable: "out", value_selector: ["code", "result"] }] },
    ],
    [["start", "code"], ["code", "end"]],
  );
  const { result, events } = await runCollecting({ graph, registry, inputs, ports: withPorts });
  const finished = events.find((event) => event.type === "node_finished" && event.data.node_id === "code");
  return { result, node: finished?.type === "node_finished" ? finished.data : undefined };
}

describe("code node", () => {
  it("runs JavaScript main with the bound variables and validates declared outputs", async () => {
    const { result, node } = await runCode({
      code: "function main({ x, name }) {\n  return { result: `${name}:${x * 2}`, count: x, flag: true };\n}",
      outputs: { result: { type: "string" }, count: { type: "number" }, flag: { type: "boolean" } },
    });
    expect(result.status).toBe("succeeded");
    expect(result.outputs).toEqual({ out: "Ada:4" });
    expect(node?.outputs).toEqual({ result: "Ada:4", count: 2, flag: true });
    expect(node?.inputs).toEqual({ x: 2, name: "Ada" });
  });

  it("fails clearly for Python instead of running it some other way", async () => {
    const { result, node } = await runCode({ code_language: "python3", code: "def main(x):\n    return {'result': x}", outputs: { result: { type: "number" } } });
    expect(result.status).toBe("failed");
    expect(node?.error).toBe("Python is not supported in this runtime; use JavaScript");
  });

  it("fails clearly for Python when no sandbox is wired at all", async () => {
    const { node } = await runCode({ code_language: "python3", code: "def main(): return {}" }, undefined, {});
    expect(node?.error).toBe("Python is not supported in this runtime; use JavaScript");
  });

  it("reports output validation errors naming the variable", async () => {
    const { result, node } = await runCode({
      code: "function main() { return { result: { items: [1, 2] } } }",
      outputs: { result: { type: "object", children: { items: { type: "array[string]" } } } },
    });
    expect(result.status).toBe("failed");
    expect(node?.error).toBe("Output variable `result.items[0]` must be a string, got a number");
  });

  it("reports a missing declared output", async () => {
    const { node } = await runCode({ code: "function main() { return {} }", outputs: { result: { type: "string" } } });
    expect(node?.error).toBe("Output variable `result` is missing");
  });

  it("reports sandbox failures with their reason", async () => {
    const timeout = await runCode({ code: "function main() { while (true) {} }", outputs: { result: { type: "string" } } });
    expect(timeout.node?.error).toBe("Code execution timed out after 500 ms");
    const thrown = await runCode({ code: "function main() { throw new Error('nope') }", outputs: {} });
    expect(thrown.node?.error).toBe("Error: nope");
    const nonObject = await runCode({ code: "function main() { return 'x' }", outputs: {} });
    expect(nonObject.node?.error).toMatch(/must return an object/);
  });

  it("applies the node's default-value error strategy to a sandbox failure", async () => {
    const { result } = await runCode({
      code: "function main() { throw new Error('boom') }",
      outputs: { result: { type: "string" } },
      error_strategy: "default-value",
      default_value: [{ key: "result", type: "string", value: "fallback" }],
    });
    expect(result.outputs).toEqual({ out: "fallback" });
  });
});

describe("code node process data", () => {
  it("shows what the code printed with console.log in process_data.logs, on success and on failure", async () => {
    const ok = await runCode({ code: "function main({ x }) {\n  console.log('x is', x);\n  console.log({ a: 1 });\n  return { result: String(x) };\n}", outputs: { result: { type: "string" } } });
    expect(ok.result.status).toBe("succeeded");
    expect(ok.node?.process_data).toEqual({ logs: ["x is 2", '{"a":1}'] });
    const failing = await runCode({ code: "function main() {\n  console.log('about to fail');\n  throw new Error('nope');\n}", outputs: {} });
    expect(failing.node?.process_data).toEqual({ failure_kind: "runtime", logs: ["about to fail"] });
  });

  it("has no process_data when nothing was printed and nothing needs saying", async () => {
    const { node } = await runCode({ code: "function main() { return { result: 'r' } }", outputs: { result: { type: "string" } } });
    expect(node?.process_data).toBeNull();
  });

  it("caps printed output at 64 KiB with a line saying it was cut, whatever the runner returns", async () => {
    const fake = { run: async () => ({ ok: true as const, result: { result: "r" }, logs: ["a".repeat(40_000), "b".repeat(40_000), "never shown"] }) };
    const { node } = await runCode({ code: "x", outputs: { result: { type: "string" } } }, undefined, { code: fake });
    const logs = (node?.process_data as { logs: string[] }).logs;
    expect(logs).toHaveLength(3);
    expect(logs[0]).toBe("a".repeat(40_000));
    expect(logs[1]).toBe("b".repeat(64 * 1024 - 40_000));
    expect(logs[2]).toBe("… output cut at 64 KiB");
  });

  it("warns about declared dependencies, and names them when the import then fails", async () => {
    const dependencies = [{ name: "pandas", version: "2.2.0" }, { name: "numpy", version: "" }];
    const ran = await runCode({ code: "function main() { return { result: 'r' } }", outputs: { result: { type: "string" } }, dependencies });
    expect(ran.result.status).toBe("succeeded");
    expect((ran.node?.process_data as { warnings: string[] }).warnings).toEqual([
      "The package 'pandas 2.2.0' is listed in this node's dependencies, but Waggle's JavaScript sandbox cannot load packages: importing it will fail",
      "The package 'numpy' is listed in this node's dependencies, but Waggle's JavaScript sandbox cannot load packages: importing it will fail",
    ]);

    const python = {
      run: async () => ({ ok: false as const, kind: "runtime" as const, error: "Python package 'pandas' is not available in Waggle's sandbox; only the standard library can be imported (line 1)" }),
    };
    const failedImport = await runCode({ code_language: "python3", code: "import pandas", outputs: {}, dependencies }, undefined, { code: python });
    expect(failedImport.result.status).toBe("failed");
    expect(failedImport.node?.error).toBe(
      "Python package 'pandas' is not available in Waggle's sandbox; only the standard library can be imported (line 1). This node lists 'pandas', 'numpy' in its dependencies; Waggle does not install packages, so use the standard library instead",
    );
    expect((failedImport.node?.process_data as { warnings: string[] }).warnings[0]).toMatch(/'pandas 2.2.0'.*only Python's standard library/);

    const require = await runCode({ code: "function main() { return { result: require('lodash').x } }", outputs: {}, dependencies: [{ name: "lodash" }] });
    expect(require.node?.error).toMatch(/'require' is not defined.*lists 'lodash' in its dependencies/);
  });

  it("leaves other failures' messages alone when dependencies are declared", async () => {
    const { node } = await runCode({ code: "function main() { throw new Error('plain') }", outputs: {}, dependencies: [{ name: "lodash" }] });
    expect(node?.error).toBe("Error: plain");
  });
});
