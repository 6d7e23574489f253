import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { difyNodeTypeCatalog } from "./dify-node-types";
import { prepareDslExport } from "./dsl-export";
import { dslDownloadUrl } from "./dsl-url";
import { DSL_MAX_BYTES, readDslYaml, writeDslYaml, type DslReadResult } from "./dsl-yaml";
import { PYYAML_SCHEMA } from "./pyyaml-schema";
import { reviewDsl } from "./review-dsl";

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/dsl/${name}`, import.meta.url), "utf8");
const read = (name: string) => readDslYaml(fixture(name));
const ok = (result: DslReadResult) => {
  if (!result.ok) throw new Error(`expected a readable DSL, got: ${result.error}`);
  return result;
};
/** Every Dify node type, every language: only the version decides the status. */
const everything = { nodeTypes: difyNodeTypeCatalog, codeLanguages: ["javascript", "python3"] };

describe("readDslYaml: Dify's statuses", () => {
  it.each([
    ["length-router.yml", "completed", "0.6.0", "workflow"],
    ["length-router-javascript.yml", "completed", "0.6.0", "workflow"],
    ["chatflow.yml", "completed", "0.6.0", "advanced-chat"],
    ["easy-chat.yml", "completed", "0.6.0", "chat"],
    ["secrets-and-triggers.yml", "completed", "0.6.0", "workflow"],
    ["old-0.1.5.yml", "completed-with-warnings", "0.1.5", "workflow"],
    ["future-1.0.0.yml", "pending", "1.0.0", "workflow"],
  ])("%s → %s", (name, status, version, mode) => {
    const result = ok(read(name));
    expect([result.status, result.importedVersion, result.dsl.app.mode, result.dsl.kind]).toEqual([status, version, mode, "app"]);
  });

  it.each([
    ["malformed-not-mapping.yml", "Invalid YAML format: content must be a mapping"],
    ["malformed-syntax.yml", "Invalid YAML format: "],
    ["malformed-no-mode.yml", "The DSL has no app.mode"],
    ["malformed-unknown-mode.yml", 'Invalid app mode "rag-pipeline": expected one of workflow, advanced-chat, chat, agent-chat, completion'],
    ["malformed-bad-version.yml", 'Invalid DSL version "latest"'],
    ["malformed-alias-bomb.yml", "Invalid YAML format: too many aliases"],
    ["malformed-workflow-missing.yml", "Invalid DSL: workflow: A workflow app needs a workflow"],
  ])("%s → failed with a clear message", (name, message) => {
    const result = read(name);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain(message);
  });

  it("treats a missing version as 0.1.0 and forces kind: app", () => {
    const text = fixture("old-0.1.5.yml").replace("version: 0.1.5\n", "").replace("kind: app", "kind: something-else");
    const result = ok(readDslYaml(text));
    expect([result.importedVersion, result.status, result.document.kind, result.document.version]).toEqual(["0.1.0", "completed-with-warnings", "app", "0.1.0"]);
  });

  it("reads an app without a name, as Dify does", () => {
    const result = ok(readDslYaml("version: 0.6.0\napp: {mode: workflow}\nworkflow: {graph: {nodes: []}}\n"));
    expect(result.dsl.app.name).toBe("");
  });

  it("refuses a version that is not a string, as Dify does", () => {
    const result = readDslYaml(fixture("old-0.1.5.yml").replace("version: 0.1.5", "version: 0.6"));
    expect(!result.ok && result.error).toBe('Invalid version type: expected a string such as "0.6.0", got number 0.6');
  });

  it("refuses empty input, other documents and oversize input before parsing", () => {
    expect(readDslYaml("   \n")).toMatchObject({ ok: false, error: "The DSL is empty" });
    expect(readDslYaml("just a string")).toMatchObject({ ok: false, error: "Invalid YAML format: content must be a mapping" });
    expect(readDslYaml("a: 1\n---\nb: 2\n")).toMatchObject({ ok: false });
    expect(readDslYaml("version: 0.6.0\nworkflow: {}\n")).toMatchObject({ ok: false, error: "Missing app data in YAML content" });
    const huge = `version: 0.6.0\nnote: "${"x".repeat(DSL_MAX_BYTES)}"\n`;
    expect(readDslYaml(huge)).toMatchObject({ ok: false, error: "File size exceeds the limit of 10MB" });
    // Multi-byte characters count as bytes, not characters.
    expect(readDslYaml(`note: "${"é".repeat(DSL_MAX_BYTES / 2)}"\n`)).toMatchObject({ ok: false, error: "File size exceeds the limit of 10MB" });
  });

  it("fails cleanly on pathological nesting", () => {
    const result = readDslYaml(`a: ${"[".repeat(50_000)}`);
    expect(result.ok).toBe(false);
  });

  it("reads YAML 1.1 as PyYAML does and keeps dates and tagged values as plain data", () => {
    const result = ok(readDslYaml(`${fixture("future-1.0.0.yml")}\nextra: {flag: yes, day: 2024-01-02, when: !!timestamp 2024-01-02, blob: !!binary aGk=, obj: !!python/object:os.system ls}\n`));
    expect(result.document.extra).toEqual({ flag: true, day: "2024-01-02", when: "2024-01-02", blob: "aGk=", obj: "ls" });
  });

  it("keeps fields it does not know, in the document drafts store", () => {
    const result = ok(read("future-1.0.0.yml"));
    expect((result.document.workflow as Record<string, unknown>).some_future_field).toEqual({ enabled: true });
    // The document is the YAML as written: no defaults added to nodes.
    expect((result.document.workflow as { graph: { nodes: Array<{ data: object }> } }).graph.nodes[0].data).toEqual({ type: "start", title: "Start", variables: [] });
  });
});

describe("reviewDsl", () => {
  it("finds nothing to warn about in a clean chatflow", () => {
    const result = ok(read("chatflow.yml"));
    expect(reviewDsl(result.dsl, result.status, everything)).toEqual({ status: "completed", warnings: [] });
  });

  it("names every unsupported node type, code language and plugin, and downgrades to completed-with-warnings", () => {
    const result = ok(read("secrets-and-triggers.yml"));
    const review = reviewDsl(result.dsl, result.status, { nodeTypes: { lookup: (type) => (["tool", "agent", "trigger-webhook", "trigger-schedule"].includes(type) ? undefined : difyNodeTypeCatalog.lookup(type)) }, codeLanguages: ["javascript"] });
    expect(review.status).toBe("completed-with-warnings");
    const messages = review.warnings.map((warning) => `${warning.node_id ?? "-"} ${warning.message}`);
    expect(messages[0]).toContain("Plugin langgenius/tavily (marketplace) is not available in Waggle");
    for (const id of ["hook", "cron", "search", "agent"]) expect(messages.some((message) => message.startsWith(`${id} Node type`))).toBe(true);
  });

  it("does not warn about model provider plugins Waggle has built in", () => {
    const result = ok(read("easy-chat.yml"));
    expect(reviewDsl(result.dsl, result.status, everything)).toEqual({ status: "completed", warnings: [] });
  });

  it("says Python cannot run here, and reports graph problems without failing the import", () => {
    const result = ok(read("length-router.yml"));
    const review = reviewDsl(result.dsl, result.status, { ...everything, codeLanguages: ["javascript"] });
    expect(review.status).toBe("completed-with-warnings");
    expect(review.warnings).toContainEqual({ node_id: "code", field: "data.code_language", message: "Python is not supported in this runtime; use JavaScript" });

    const broken = ok(readDslYaml(fixture("length-router-javascript.yml").replace("value_selector: [llm, text]", "value_selector: [nowhere, text]")));
    const brokenReview = reviewDsl(broken.dsl, broken.status, everything);
    expect(brokenReview.status).toBe("completed");
    expect(brokenReview.warnings).toEqual([expect.objectContaining({ node_id: "end_long", message: expect.stringContaining("there is no node nowhere") })]);
  });

  it("names each package a code node lists in its dependencies, since Waggle installs none", () => {
    const yaml = fixture("length-router.yml").replace("          code_language: python3\n", "          code_language: python3\n          dependencies:\n            - {name: pandas, version: '2.2.0'}\n            - {name: requests, version: ''}\n");
    const result = ok(readDslYaml(yaml));
    const review = reviewDsl(result.dsl, result.status, everything);
    expect(review.status).toBe("completed-with-warnings");
    expect(review.warnings.filter((warning) => warning.field.startsWith("data.dependencies"))).toEqual([
      { node_id: "code", field: "data.dependencies.0", message: expect.stringMatching(/^Code node ".+" lists the package 'pandas 2.2.0', but Waggle's sandbox has only Python's standard library: importing it will fail at run time$/) },
      { node_id: "code", field: "data.dependencies.1", message: expect.stringContaining("'requests'") },
    ]);
  });

  it("keeps pending and older-version statuses, explaining the version", () => {
    const old = ok(read("old-0.1.5.yml"));
    expect(reviewDsl(old.dsl, old.status, everything).warnings[0]).toMatchObject({ field: "version", message: expect.stringContaining("0.1.5") });
    const future = ok(read("future-1.0.0.yml"));
    expect(reviewDsl(future.dsl, future.status, everything).status).toBe("pending");
  });
});

describe("export", () => {
  const exportOf = (name: string, includeSecret = false) => {
    const { document } = ok(read(name));
    const workflow = document.workflow as { graph: unknown; features: unknown; environment_variables: unknown[]; conversation_variables: unknown[] } | undefined;
    return prepareDslExport({ app: document.app as never, workflow, model_config: document.model_config as never }, { includeSecret });
  };

  it("blanks secrets, removes credential ids and clears triggers, without touching the input", () => {
    const { document } = ok(read("secrets-and-triggers.yml"));
    const before = JSON.stringify(document);
    const out = exportOf("secrets-and-triggers.yml") as any;
    expect(JSON.stringify(document)).toBe(before);
    expect(out.version).toBe("0.6.0");
    expect(out.workflow.environment_variables.map((variable: any) => variable.value)).toEqual(["", "eu"]);
    const data = Object.fromEntries(out.workflow.graph.nodes.map((node: any) => [node.id, node.data]));
    expect(data.search).not.toHaveProperty("credential_id");
    expect(data.agent.agent_parameters.tools.value[0]).not.toHaveProperty("credential_id");
    expect([data.hook.webhook_url, data.hook.webhook_debug_url]).toEqual(["", ""]);
    expect(data.cron.config).toMatchObject({ frequency: "daily", timezone: "UTC" });
    expect(data.cron.config).not.toHaveProperty("cron_expression");
  });

  it("keeps secrets and credential ids with include_secret, but never triggers", () => {
    const out = exportOf("secrets-and-triggers.yml", true) as any;
    expect(out.workflow.environment_variables[0].value).toBe("sk-live-123");
    expect(out.workflow.graph.nodes.find((node: any) => node.id === "search").data.credential_id).toBe("cred-1");
    expect(out.workflow.graph.nodes.find((node: any) => node.id === "hook").data.webhook_url).toBe("");
  });

  it("writes Dify-shaped YAML: version, kind, sorted keys, strings PyYAML reads back as strings", () => {
    const text = writeDslYaml(exportOf("chatflow.yml"));
    expect(text.startsWith("app:\n")).toBe(true);
    expect(text).toContain("\nkind: app\n");
    expect(text).toContain("\nversion: 0.6.0\n");
    expect(writeDslYaml({ a: "yes", b: "on", c: "0.6", d: "🤖" })).toBe('a: "yes"\nb: "on"\nc: "0.6"\nd: 🤖\n');
    expect(parse(text, PYYAML_SCHEMA)).toEqual(exportOf("chatflow.yml"));
  });

  it.each(["length-router.yml", "chatflow.yml", "easy-chat.yml", "old-0.1.5.yml", "secrets-and-triggers.yml"])("round trip %s: import → export → import gives the same app", (name) => {
    const first = ok(read(name));
    const exported = exportOf(name, true);
    const second = ok(readDslYaml(writeDslYaml(exported)));
    expect(second.status).toBe("completed");
    const contentOf = (document: Record<string, unknown>) => document.workflow ?? document.model_config;
    expect(contentOf(second.document)).toEqual(contentOf(exported));
    // Only trigger data is changed by an export that includes secrets.
    if (name !== "secrets-and-triggers.yml") expect(contentOf(second.document)).toEqual(contentOf(first.document));
    expect(second.document.app).toMatchObject({ name: (first.document.app as { name: string }).name, mode: first.dsl.app.mode });
  });
});

describe("dslDownloadUrl", () => {
  it("turns a GitHub file page into its raw file, as Dify does", () => {
    expect(dslDownloadUrl(" https://github.com/o/r/blob/main/apps/a.yml ")).toBe("https://raw.githubusercontent.com/o/r/main/apps/a.yml");
    expect(dslDownloadUrl("https://github.com/o/r/blob/main/README.md")).toBe("https://github.com/o/r/blob/main/README.md");
    expect(dslDownloadUrl("https://example.com/a.yml")).toBe("https://example.com/a.yml");
    expect(dslDownloadUrl("not a url")).toBe("not a url");
  });
});

describe("PyYAML scalars", () => {
  it("reads plain scalars as PyYAML does, and writes them so PyYAML reads them back the same", () => {
    const text = "a: y\nb: n\nc: e1\nd: 1e5\ne: 0o17\nf: yes\ng: Off\nh: 017\ni: 0x1F\nj: 1_000\nk: 1:30\nl: 1.5e+3\nm: ~\nn:\no: 2024-01-02\np: .inf\n";
    const result = readDslYaml(`version: 0.6.0\napp: {name: s, mode: workflow}\nworkflow: {graph: {nodes: []}}\nscalars:\n${text.replace(/^/gm, "  ").trimEnd()}\n`);
    const scalars = ok(result).document.scalars;
    expect(scalars).toEqual({ a: "y", b: "n", c: "e1", d: "1e5", e: "0o17", f: true, g: false, h: 15, i: 31, j: 1000, k: 90, l: 1500, m: null, n: null, o: "2024-01-02", p: Number.POSITIVE_INFINITY });
    const written = writeDslYaml({ s: ["yes", "1.5", "017", "1_000", "~", "", "null", "y", "e1"], n: [1e-7, 2.5, 3, 1e21] });
    expect(written).toBe('n:\n  - 1.0e-7\n  - 2.5\n  - 3\n  - 1.0e+21\ns:\n  - "yes"\n  - "1.5"\n  - "017"\n  - "1_000"\n  - "~"\n  - ""\n  - "null"\n  - y\n  - e1\n');
  });
});
