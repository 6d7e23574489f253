/**
 * DSL import and export through the console API, with Dify-format fixtures
 * (test/fixtures/dsl): statuses and HTTP codes, drafts equal to the DSL, pending + confirm,
 * workspace isolation, overwrite rules, URL import through the SSRF guard, export shapes, and
 * the §5.4 example running after import.
 */
import { env } from "cloudflare:test";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { readDslYaml } from "../../core/dsl";
import { runtimeCodeLanguages } from "../../workers/adapters/code-languages";
import { buildNodeRegistry } from "../../workers/adapters/node-runtime";
import { createApp } from "../../workers/app";
import chatflow from "../fixtures/dsl/chatflow.yml?raw";
import easyChat from "../fixtures/dsl/easy-chat.yml?raw";
import future from "../fixtures/dsl/future-1.0.0.yml?raw";
import hostile from "../fixtures/dsl/hostile.yml?raw";
import lengthRouterJavascript from "../fixtures/dsl/length-router-javascript.yml?raw";
import lengthRouter from "../fixtures/dsl/length-router.yml?raw";
import aliasBomb from "../fixtures/dsl/malformed-alias-bomb.yml?raw";
import badVersion from "../fixtures/dsl/malformed-bad-version.yml?raw";
import noMode from "../fixtures/dsl/malformed-no-mode.yml?raw";
import notMapping from "../fixtures/dsl/malformed-not-mapping.yml?raw";
import syntax from "../fixtures/dsl/malformed-syntax.yml?raw";
import unknownMode from "../fixtures/dsl/malformed-unknown-mode.yml?raw";
import workflowMissing from "../fixtures/dsl/malformed-workflow-missing.yml?raw";
import old from "../fixtures/dsl/old-0.1.5.yml?raw";
import secrets from "../fixtures/dsl/secrets-and-triggers.yml?raw";
import { call, createAppAs, createKeyAs, seedTenant } from "./harness";
import { mockModelUrl } from "./mock-model";

afterEach(() => vi.restoreAllMocks());

const importYaml = (token: string, yaml: string, extra: Record<string, unknown> = {}) =>
  call("POST", "/console/api/apps/imports", { token, body: { mode: "yaml-content", yaml_content: yaml, ...extra } });

/** What the DSL says the draft must hold: the document exactly as written. */
function expectedDraft(yaml: string) {
  const read = readDslYaml(yaml);
  if (!read.ok) throw new Error(read.error);
  return read.document as { version: string; app: Record<string, unknown>; workflow?: Record<string, unknown>; model_config?: Record<string, unknown> };
}

async function draftOf(token: string, appId: string, mode: string) {
  if (mode === "workflow" || mode === "advanced-chat") {
    const res = await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token });
    expect(res.status, res.text).toBe(200);
    return { graph: res.json.graph, features: res.json.features, environment_variables: res.json.environment_variables, conversation_variables: res.json.conversation_variables };
  }
  const res = await call("GET", `/console/api/apps/${appId}/model-config`, { token });
  expect(res.status, res.text).toBe(200);
  return res.json.model_config;
}

describe("POST /console/api/apps/imports", () => {
  it.each([
    ["chatflow.yml", "completed", chatflow],
    ["easy-chat.yml", "completed", easyChat],
    ["old-0.1.5.yml", "completed-with-warnings", old],
    ["secrets-and-triggers.yml", "completed-with-warnings", secrets],
    ["length-router.yml", "completed or completed-with-warnings", lengthRouter],
    ["length-router-javascript.yml", "completed or completed-with-warnings", lengthRouterJavascript],
  ])("%s imports as %s, and the new app's draft equals the DSL", async (_name, status, yaml) => {
    const tenant = await seedTenant("dsl");
    const res = await importYaml(tenant.tokens.editor, yaml);
    expect(res.status, res.text).toBe(200);
    const document = expectedDraft(yaml);
    expect(res.json).toMatchObject({ status: status.includes(" or ") ? expect.stringMatching(/^completed/) : status, app_mode: document.app.mode, current_dsl_version: "0.6.0", imported_dsl_version: document.version, error: "" });
    expect(res.json.id).toMatch(/^[0-9a-f-]{36}$/);

    const app = await call("GET", `/console/api/apps/${res.json.app_id}`, { token: tenant.tokens.editor });
    expect(app.json).toMatchObject({ name: document.app.name, mode: document.app.mode, icon: document.app.icon ?? "🤖" });
    const draft = await draftOf(tenant.tokens.editor, res.json.app_id, String(document.app.mode));
    if (document.workflow) {
      expect(draft).toEqual({
        graph: document.workflow.graph,
        features: document.workflow.features ?? {},
        environment_variables: document.workflow.environment_variables ?? [],
        conversation_variables: document.workflow.conversation_variables ?? [],
      });
    } else {
      expect(draft).toEqual(document.model_config);
    }
  });

  it("names what Waggle cannot run: unsupported nodes and plugins, each one, and the app stays editable", async () => {
    const tenant = await seedTenant("dsl");
    const res = await importYaml(tenant.tokens.owner, secrets);
    const messages: string[] = res.json.warnings.map((warning: { message: string }) => warning.message);
    expect(messages).toContainEqual(expect.stringContaining("Plugin langgenius/tavily (marketplace) is not available in Waggle"));
    expect(messages).toContainEqual(expect.stringContaining('Tool node "Search" uses tavily_search of langgenius/tavily/tavily, a tool provider Waggle does not have'));
    expect(messages).toContainEqual(expect.stringContaining('Agent "Agent" uses tavily_search of langgenius/tavily/tavily, a tool provider Waggle does not have'));
    const saved = await call("GET", `/console/api/apps/${res.json.app_id}/workflows/draft`, { token: tenant.tokens.owner });
    const resaved = await call("POST", `/console/api/apps/${res.json.app_id}/workflows/draft`, { token: tenant.tokens.owner, body: { graph: saved.json.graph, hash: saved.json.hash } });
    expect(resaved.status, resaved.text).toBe(200);
  });

  it("says so when a Python code node cannot run here, or imports it cleanly when it can", async () => {
    const tenant = await seedTenant("dsl");
    const res = await importYaml(tenant.tokens.owner, lengthRouter);
    const python = res.json.warnings.filter((warning: { node_id: string }) => warning.node_id === "code");
    if (runtimeCodeLanguages(env).includes("python3")) expect(python).toEqual([]);
    else expect(python).toEqual([{ node_id: "code", field: "data.code_language", message: "Python is not supported in this runtime; use JavaScript" }]);
  });

  it.each([
    ["not a mapping", notMapping, "Invalid YAML format: content must be a mapping"],
    ["a syntax error", syntax, "Invalid YAML format: "],
    ["no app.mode", noMode, "The DSL has no app.mode"],
    ["an unknown mode", unknownMode, 'Invalid app mode "rag-pipeline"'],
    ["an unreadable version", badVersion, 'Invalid DSL version "latest"'],
    ["an alias bomb", aliasBomb, "too many aliases"],
    ["a workflow app without a workflow", workflowMissing, "A workflow app needs a workflow"],
    ["nothing", "", "yaml_content is required when import_mode is yaml-content"],
  ])("%s → 400 failed with a clear error, and nothing is created", async (_label, yaml, error) => {
    const tenant = await seedTenant("dsl");
    const res = await importYaml(tenant.tokens.owner, yaml);
    expect(res.status, res.text).toBe(400);
    expect(res.json).toMatchObject({ status: "failed", app_id: null, current_dsl_version: "0.6.0" });
    expect(res.json.error).toContain(error);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM apps WHERE tenant_id = ?").bind(tenant.tenantId).first("n")).toBe(0);
  });

  it("never answers 500: random and damaged documents get 200, 202 or a 400 `failed` with an error", async () => {
    const tenant = await seedTenant("dsl");
    const text = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.tuple(fc.constantFrom(chatflow, easyChat, future, lengthRouter), fc.nat(), fc.nat(60)).map(([yaml, at, length]) => yaml.slice(0, at % yaml.length) + yaml.slice((at % yaml.length) + length)),
    );
    await fc.assert(
      fc.asyncProperty(text, async (yaml) => {
        const res = await importYaml(tenant.tokens.owner, yaml);
        expect([200, 202, 400], res.text).toContain(res.status);
        if (res.status === 400) expect(res.json).toMatchObject({ status: "failed", error: expect.stringMatching(/./) });
      }),
      { numRuns: 25 },
    );
  }, 60_000);

  it("refuses a DSL over 10 MB", async () => {
    const tenant = await seedTenant("dsl");
    const res = await importYaml(tenant.tokens.owner, `${old}\n# ${"x".repeat(10 * 1024 * 1024)}\n`);
    // The JSON body limit (10 MB) stops it first; either way nothing is imported.
    expect([400, 413]).toContain(res.status);
    if (res.status === 400) expect(res.json.error).toBe("File size exceeds the limit of 10MB");
  });

  it("is inert: importing a hostile app makes no outbound request", async () => {
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    const tenant = await seedTenant("dsl");
    const res = await importYaml(tenant.tokens.owner, hostile);
    expect(res.status, res.text).toBe(200);
    expect(res.json.status).toBe("completed-with-warnings");
    const exported = await call("GET", `/console/api/apps/${res.json.app_id}/export`, { token: tenant.tokens.owner });
    expect(exported.status).toBe(200);
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(await env.DB.prepare("SELECT count(*) AS n FROM workflow_runs WHERE tenant_id = ?").bind(tenant.tenantId).first("n")).toBe(0);
  });
});

describe("pending imports", () => {
  it("a newer DSL waits (202) and is created by confirm, once", async () => {
    const tenant = await seedTenant("dsl");
    const res = await importYaml(tenant.tokens.editor, future, { name: "Renamed on import" });
    expect(res.status, res.text).toBe(202);
    expect(res.json).toMatchObject({ status: "pending", app_id: null, imported_dsl_version: "1.0.0", current_dsl_version: "0.6.0", error: "" });
    expect(await env.DB.prepare("SELECT count(*) AS n FROM apps WHERE tenant_id = ?").bind(tenant.tenantId).first("n")).toBe(0);

    const confirmed = await call("POST", `/console/api/apps/imports/${res.json.id}/confirm`, { token: tenant.tokens.editor });
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.json).toMatchObject({ id: res.json.id, status: "completed", app_mode: "workflow", imported_dsl_version: "1.0.0" });
    const app = await call("GET", `/console/api/apps/${confirmed.json.app_id}`, { token: tenant.tokens.editor });
    expect(app.json.name).toBe("Renamed on import");
    const draft = await draftOf(tenant.tokens.editor, confirmed.json.app_id, "workflow");
    expect(draft.graph).toEqual(expectedDraft(future).workflow!.graph);

    const again = await call("POST", `/console/api/apps/imports/${res.json.id}/confirm`, { token: tenant.tokens.editor });
    expect(again.status).toBe(404);
  });

  it("another workspace cannot confirm it (404), and it stays confirmable by its own", async () => {
    const a = await seedTenant("dslA");
    const b = await seedTenant("dslB");
    const res = await importYaml(a.tokens.owner, future);
    const foreign = await call("POST", `/console/api/apps/imports/${res.json.id}/confirm`, { token: b.tokens.owner });
    expect(foreign.status).toBe(404);
    expect(foreign.json.code).toBe("not_found");
    expect(await env.DB.prepare("SELECT count(*) AS n FROM apps WHERE tenant_id = ?").bind(b.tenantId).first("n")).toBe(0);
    const own = await call("POST", `/console/api/apps/imports/${res.json.id}/confirm`, { token: a.tokens.owner });
    expect(own.status, own.text).toBe(200);
  });

  it("expires after 10 minutes", async () => {
    const tenant = await seedTenant("dsl");
    const res = await importYaml(tenant.tokens.owner, future);
    const stored = await env.FILES.get(`tenants/${tenant.tenantId}/dsl-imports/${res.json.id}.yml`);
    expect(await stored?.text()).toBe(future);
    await env.DB.prepare("UPDATE dsl_imports SET expires_at = unixepoch() - 1 WHERE id = ?").bind(res.json.id).run();
    const late = await call("POST", `/console/api/apps/imports/${res.json.id}/confirm`, { token: tenant.tokens.owner });
    expect(late.status).toBe(404);
    expect(late.json.message).toBe("Import information expired or does not exist.");
    // The next pending import clears expired ones, row and stored YAML.
    await importYaml(tenant.tokens.owner, future);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM dsl_imports WHERE id = ?").bind(res.json.id).first("n")).toBe(0);
    expect(await env.FILES.get(`tenants/${tenant.tenantId}/dsl-imports/${res.json.id}.yml`)).toBeNull();
  });
});

describe("overwriting an app's draft (app_id)", () => {
  it("replaces a chatflow's draft and takes the DSL's name, as Dify does", async () => {
    const tenant = await seedTenant("dsl");
    const appId = await createAppAs(tenant.tokens.owner, "advanced-chat", "Before");
    const res = await importYaml(tenant.tokens.owner, chatflow, { app_id: appId });
    expect(res.status, res.text).toBe(200);
    expect(res.json.app_id).toBe(appId);
    expect((await draftOf(tenant.tokens.owner, appId, "advanced-chat")).graph).toEqual(expectedDraft(chatflow).workflow!.graph);
    expect((await call("GET", `/console/api/apps/${appId}`, { token: tenant.tokens.owner })).json.name).toBe("word-echo chatflow");
  });

  it("refuses easy-mode apps, apps of another mode and other workspaces' apps", async () => {
    const a = await seedTenant("dslA");
    const b = await seedTenant("dslB");
    const chatApp = await createAppAs(a.tokens.owner, "chat", "Chat");
    const workflowApp = await createAppAs(a.tokens.owner, "workflow", "Workflow");
    const bApp = await createAppAs(b.tokens.owner, "advanced-chat", "B's chatflow");
    const bDraftBefore = await draftOf(b.tokens.owner, bApp, "advanced-chat");

    expect((await importYaml(a.tokens.owner, easyChat, { app_id: chatApp })).json).toMatchObject({ status: "failed", error: "Only workflow or advanced chat apps can be overwritten" });
    expect((await importYaml(a.tokens.owner, chatflow, { app_id: workflowApp })).json).toMatchObject({ status: "failed", error: "The DSL is a advanced-chat app; it cannot overwrite a workflow app" });
    const foreign = await importYaml(a.tokens.owner, chatflow, { app_id: bApp });
    expect(foreign.status).toBe(400);
    expect(foreign.json).toMatchObject({ status: "failed", error: "App not found" });
    expect(await draftOf(b.tokens.owner, bApp, "advanced-chat")).toEqual(bDraftBefore);
  });
});

describe("yaml-url", () => {
  const strictApp = createApp();
  /** Calls the Worker with loopback egress explicitly off (or on), whatever the test configuration says. */
  async function importUrl(token: string, url: string, allowLoopback = false) {
    const response = await strictApp.request(
      "http://waggle.test/console/api/apps/imports",
      { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: JSON.stringify({ mode: "yaml-url", yaml_url: url }) },
      { ...env, WAGGLE_ALLOW_LOOPBACK_EGRESS: String(allowLoopback) },
    );
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  it.each(["http://127.0.0.1:8787/app.yml", "http://localhost/app.yml", "http://[::1]/app.yml", "http://169.254.169.254/latest/meta-data/", "http://2130706433/app.yml"])(
    "%s is refused as SSRF before any request is made",
    async (url) => {
      const fetchSpy = vi.spyOn(globalThis, "fetch");
      const tenant = await seedTenant("dsl");
      const res = await importUrl(tenant.tokens.owner, url);
      expect(res.status).toBe(400);
      expect(res.json.status).toBe("failed");
      expect(res.json.error).toMatch(/^Error fetching YAML from URL: .*\(SSRF_BLOCKED\)$/);
      expect(fetchSpy).not.toHaveBeenCalled();
    },
  );

  it("fetches through the egress module when the address is allowed, and reads what it gets as a DSL", async () => {
    const tenant = await seedTenant("dsl");
    // The mock model server on 127.0.0.1 answers this path with JSON (which is YAML) that is not a DSL.
    const reached = await importUrl(tenant.tokens.owner, `${mockModelUrl}/__requests`, true);
    expect(reached.json).toMatchObject({ status: "failed", error: "Missing app data in YAML content" });
    const missing = await importUrl(tenant.tokens.owner, `${mockModelUrl}/no-such-file.yml`, true);
    expect(missing.json).toMatchObject({ status: "failed", error: "Error fetching YAML from URL: HTTP 404" });
  });

  it("needs a URL", async () => {
    const tenant = await seedTenant("dsl");
    expect((await importUrl(tenant.tokens.owner, "")).json).toMatchObject({ status: "failed", error: "yaml_url is required when import_mode is yaml-url" });
  });
});

describe("GET /console/api/apps/{app_id}/export", () => {
  it("returns {data: yaml} in Dify's shape, secrets blanked unless include_secret=true, triggers always cleared", async () => {
    const tenant = await seedTenant("dsl");
    const { json } = await importYaml(tenant.tokens.owner, secrets);
    const plain = await call("GET", `/console/api/apps/${json.app_id}/export?include_secret=false`, { token: tenant.tokens.owner });
    expect(plain.status, plain.text).toBe(200);
    expect(Object.keys(plain.json)).toEqual(["data"]);
    const exported = readDslYaml(plain.json.data);
    if (!exported.ok) throw new Error(exported.error);
    expect(exported.document).toMatchObject({ version: "0.6.0", kind: "app", app: { name: "secrets and triggers", mode: "workflow", icon_type: "emoji" }, dependencies: [] });
    const workflow = exported.dsl.workflow!;
    expect(workflow.environment_variables.map((variable) => variable.value)).toEqual(["", "eu"]);
    const nodes = Object.fromEntries(workflow.graph.nodes.map((node) => [node.id, node.data as Record<string, any>]));
    expect(nodes.search).not.toHaveProperty("credential_id");
    expect(nodes.hook.webhook_url).toBe("");

    const withSecrets = await call("GET", `/console/api/apps/${json.app_id}/export?include_secret=true`, { token: tenant.tokens.owner });
    const full = readDslYaml(withSecrets.json.data);
    if (!full.ok) throw new Error(full.error);
    expect(full.dsl.workflow!.environment_variables[0].value).toBe("sk-live-123");
    expect(full.dsl.workflow!.graph.nodes.find((node) => node.id === "search")!.data).toHaveProperty("credential_id", "cred-1");
  });

  it.each([
    ["chatflow.yml", chatflow],
    ["easy-chat.yml", easyChat],
    ["length-router.yml", lengthRouter],
  ])("round trip %s: import → export → import gives the same draft", async (_name, yaml) => {
    const tenant = await seedTenant("dsl");
    const first = await importYaml(tenant.tokens.owner, yaml);
    const exported = await call("GET", `/console/api/apps/${first.json.app_id}/export`, { token: tenant.tokens.owner });
    const second = await importYaml(tenant.tokens.owner, exported.json.data);
    expect(second.status, second.text).toBe(200);
    expect(second.json.app_mode).toBe(first.json.app_mode);
    const mode = first.json.app_mode as string;
    expect(await draftOf(tenant.tokens.owner, second.json.app_id, mode)).toEqual(await draftOf(tenant.tokens.owner, first.json.app_id, mode));
  });

  it("404 for an app of another workspace", async () => {
    const a = await seedTenant("dslA");
    const b = await seedTenant("dslB");
    const appId = await createAppAs(a.tokens.owner, "workflow", "Private");
    const res = await call("GET", `/console/api/apps/${appId}/export`, { token: b.tokens.owner });
    expect(res.status).toBe(404);
    expect(res.text).not.toContain("Private");
  });
});

describe("the §5.4 example: import, publish, run", () => {
  const llmRegistered = buildNodeRegistry().has("llm");

  it.skipIf(!llmRegistered)("with its code node in JavaScript, runs through POST /v1/workflows/run", async () => {
    const tenant = await seedTenant("dsl");
    const imported = await importYaml(tenant.tokens.owner, lengthRouterJavascript);
    expect(imported.status, imported.text).toBe(200);
    const appId = imported.json.app_id as string;
    const published = await call("POST", `/console/api/apps/${appId}/workflows/publish`, { token: tenant.tokens.owner, body: {} });
    expect(published.status, published.text).toBe(200);
    const key = await createKeyAs(tenant.tokens.owner, appId);
    // Short input: the if-else takes the `false` branch to end_short, which echoes the query.
    const run = await call("POST", "/v1/workflows/run", { token: key.token, body: { inputs: { query: "hello bees" }, user: "dsl-user", response_mode: "blocking" } });
    expect(run.status, run.text).toBe(200);
    expect(run.json.data).toMatchObject({ status: "succeeded", outputs: { result: "hello bees" } });
  });

  it("as written (python3): publish refuses it clearly where Python cannot run, and runs it where it can", async () => {
    const tenant = await seedTenant("dsl");
    const imported = await importYaml(tenant.tokens.owner, lengthRouter);
    const appId = imported.json.app_id as string;
    const published = await call("POST", `/console/api/apps/${appId}/workflows/publish`, { token: tenant.tokens.owner, body: {} });
    if (!runtimeCodeLanguages(env).includes("python3")) {
      expect(published.status).toBe(400);
      expect(published.json.message).toContain("Python is not supported in this runtime; use JavaScript");
      return;
    }
    expect(published.status, published.text).toBe(200);
    // Pyodide's files come from the web build's static assets; the Python suite reports their absence.
    const pyodide = await env.ASSETS!.fetch("http://assets.local/static/pyodide/pyodide-lock.json");
    await pyodide.body?.cancel();
    // (A missing file would be answered with the SPA's index.html.)
    if (!llmRegistered || !pyodide.ok || !pyodide.headers.get("content-type")?.includes("json")) return;
    const key = await createKeyAs(tenant.tokens.owner, appId);
    const run = await call("POST", "/v1/workflows/run", { token: key.token, body: { inputs: { query: "short" }, user: "dsl-user", response_mode: "blocking" } });
    expect(run.status, run.text).toBe(200);
    expect(run.json.data, JSON.stringify(run.json.data)).toMatchObject({ status: "succeeded", outputs: { result: "short" } });
  }, 120_000);
});
