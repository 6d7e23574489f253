/**
 * Importing, validating and exporting a DSL never runs anything in it (reliability.md §1 #14,
 * §7 #6): a hostile app with an endless code node, an HTTP node aimed at the local network, a
 * Python node that shells out and an MCP-style tool with a command goes through the whole
 * import path while every effect is counted.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { NodeDefinition } from "../engine";
import { createNodeRegistry } from "../nodes";
import { codeNode } from "../nodes/code";
import { documentExtractorNode } from "../nodes/document-extractor";
import { httpRequestNode } from "../nodes/http-request";
import { prepareDslExport } from "./dsl-export";
import { readDslYaml, writeDslYaml } from "./dsl-yaml";
import { reviewDsl } from "./review-dsl";
import { validateGraph } from "./validate-graph";

const hostile = readFileSync(new URL("../../test/fixtures/dsl/hostile.yml", import.meta.url), "utf8");

afterEach(() => vi.restoreAllMocks());

describe("import is inert", () => {
  it("reads, reviews, validates and exports a hostile app with zero node runs, zero fetches, zero timers", () => {
    const fetchSpy = vi.spyOn(globalThis, "fetch").mockImplementation(() => Promise.reject(new Error("no network during import")));
    const timerSpy = vi.spyOn(globalThis, "setTimeout");
    const runs: string[] = [];
    // The runtime's real node types, each run counted.
    const registry = createNodeRegistry().register(codeNode).register(httpRequestNode).register(documentExtractorNode);
    const counted = createNodeRegistry();
    for (const type of registry.types()) {
      const definition = registry.get(type) as NodeDefinition;
      counted.register({ ...definition, run: (ctx) => (runs.push(type), definition.run(ctx)) }, { replace: true });
    }

    const read = readDslYaml(hostile);
    if (!read.ok) throw new Error(read.error);
    const review = reviewDsl(read.dsl, read.status, { nodeTypes: counted, codeLanguages: ["javascript"] });
    const problems = validateGraph(read.document.workflow && (read.document.workflow as { graph: unknown }).graph, { nodeTypes: counted, mode: "workflow" });
    const exported = writeDslYaml(prepareDslExport({ app: read.document.app as never, workflow: read.document.workflow as never }));
    const again = readDslYaml(exported);

    expect(again.ok).toBe(true);
    expect(review.status).toBe("completed-with-warnings");
    // It is all reported, none of it run.
    expect(review.warnings.map((warning) => warning.message)).toEqual(
      expect.arrayContaining([
        expect.stringContaining("Plugin attacker/mcp-backdoor (github) is not available"),
        expect.stringContaining('Node type "tool" (MCP) is not supported'),
        "Python is not supported in this runtime; use JavaScript",
      ]),
    );
    expect(Array.isArray(problems)).toBe(true);
    expect(runs).toEqual([]);
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(timerSpy).not.toHaveBeenCalled();
  });
});
