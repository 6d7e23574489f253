import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ cwd: process.cwd() });

async function problems(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe("architecture rules", () => {
  it("refuses core/ importing Hono, drizzle, cloudflare:* or the outer layers", async () => {
    for (const source of ["hono", "@hono/zod-openapi", "drizzle-orm", "cloudflare:workers", "../../workers/app", "../durable-objects/workflow-run", "../../web/src/api"]) {
      const found = await problems(`import x from "${source}";\nexport default x;\n`, "core/engine/example.ts");
      expect(found.join("\n"), source).toMatch(/no-restricted-imports/);
    }
  });

  it("allows core/ to import its own modules and libraries", async () => {
    expect(await problems(`import { z } from "zod";\nimport { WaggleError } from "../errors";\nexport { z, WaggleError };\n`, "core/engine/example.ts")).toEqual([]);
  });

  it("lets web/ import only core/dsl", async () => {
    expect(await problems(`import { x } from "../../core/dsl";\nexport { x };\n`, "web/src/example.ts")).toEqual([]);
    expect((await problems(`import { x } from "../../core/engine";\nexport { x };\n`, "web/src/example.ts")).join()).toMatch(/core\/dsl/);
  });

  it("bans eval, new Function and raw fetch outside the egress module", async () => {
    expect((await problems(`export const f = (s: string) => eval(s);\n`, "workers/example.ts")).join()).toMatch(/no-eval/);
    expect((await problems(`export const f = new Function("return 1");\n`, "core/nodes/example.ts")).join()).toMatch(/no-new-func|no-restricted-syntax/);
    expect((await problems(`export const f = () => fetch("http://x");\n`, "core/nodes/example.ts")).join()).toMatch(/no-restricted-globals/);
    expect(await problems(`export const f = () => fetch("http://x");\n`, "core/egress/example.ts")).toEqual([]);
  });
});
