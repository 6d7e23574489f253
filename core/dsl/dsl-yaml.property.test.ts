import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { difyNodeTypeCatalog } from "./dify-node-types";
import { prepareDslExport } from "./dsl-export";
import { readDslYaml, writeDslYaml, type DslReadResult } from "./dsl-yaml";
import { reviewDsl } from "./review-dsl";

/**
 * Whatever arrives as a DSL (random text, random YAML values, damaged real exports), reading it
 * never throws: it is either a readable document or `failed` with a message; a readable one can
 * be reviewed and exported, and what is exported reads back the same.
 */

const fixtures = ["length-router.yml", "chatflow.yml", "easy-chat.yml", "secrets-and-triggers.yml", "hostile.yml"].map((name) =>
  readFileSync(new URL(`../../test/fixtures/dsl/${name}`, import.meta.url), "utf8"),
);

function settled(result: DslReadResult): void {
  if (result.ok) {
    expect(["completed", "completed-with-warnings", "pending"]).toContain(result.status);
    const review = reviewDsl(result.dsl, result.status, { nodeTypes: difyNodeTypeCatalog, codeLanguages: ["javascript"] });
    expect(Array.isArray(review.warnings)).toBe(true);
    const document = result.document as Record<string, never>;
    const exported = writeDslYaml(prepareDslExport({ app: document.app, workflow: document.workflow, model_config: document.model_config }, { includeSecret: true }));
    const again = readDslYaml(exported);
    expect(again.ok).toBe(true);
  } else {
    expect(result.status).toBe("failed");
    expect(result.error.length).toBeGreaterThan(0);
  }
}

const yamlValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.string(),
    fc.constantFrom("y", "n", "yes", "~", "0.6.0", "1e5", "0o17", "*a", "&a x", "!!binary x", "<<", "- -", "{", "]", ":", "#", "|"),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie("value"), { maxKeys: 4 }),
  ),
})).value;

describe("readDslYaml never throws", () => {
  it("on random text", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 400 }), (text) => settled(readDslYaml(text))), { numRuns: 200 });
  }, 30_000);

  it("on random YAML documents shaped like a DSL", () => {
    const document = fc.record(
      {
        version: fc.oneof(fc.constantFrom("0.6.0", "0.1.5", "1.0.0", "0.6", "v0.5.0", ""), fc.string({ maxLength: 6 }), fc.double()),
        kind: yamlValue,
        app: fc.oneof(yamlValue, fc.record({ name: yamlValue, mode: fc.oneof(fc.constantFrom("workflow", "advanced-chat", "chat", "agent-chat", "completion"), yamlValue) }, { requiredKeys: [] })),
        workflow: fc.oneof(yamlValue, fc.record({ graph: fc.oneof(yamlValue, fc.record({ nodes: fc.array(fc.record({ id: fc.string({ maxLength: 4 }), data: fc.record({ type: fc.constantFrom("start", "end", "code", "llm", "weird"), title: yamlValue }) }), { maxLength: 4 }), edges: fc.array(yamlValue, { maxLength: 3 }) })) }, { requiredKeys: [] })),
        model_config: yamlValue,
        dependencies: yamlValue,
      },
      { requiredKeys: [] },
    );
    fc.assert(fc.property(document, (value) => settled(readDslYaml(writeDslYaml(value as Record<string, unknown>)))), { numRuns: 200 });
  }, 30_000);

  it("on damaged real exports (lines dropped, duplicated or cut)", () => {
    const damage = fc.record({
      fixture: fc.nat(fixtures.length - 1),
      cuts: fc.array(fc.record({ line: fc.nat(400), how: fc.constantFrom("drop", "duplicate", "truncate", "indent") }), { minLength: 1, maxLength: 5 }),
    });
    fc.assert(
      fc.property(damage, ({ fixture, cuts }) => {
        const lines = fixtures[fixture].split("\n");
        for (const { line, how } of cuts) {
          const index = line % lines.length;
          if (how === "drop") lines.splice(index, 1);
          else if (how === "duplicate") lines.splice(index, 0, lines[index]);
          else if (how === "truncate") lines[index] = lines[index].slice(0, Math.floor(lines[index].length / 2));
          else lines[index] = ` ${lines[index]}`;
        }
        settled(readDslYaml(lines.join("\n")));
      }),
      { numRuns: 100 },
    );
  }, 30_000);
});
