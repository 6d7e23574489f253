/**
 * A person's first session in the console, in Debian's Chromium against the real platform
 * (`wrangler dev`): setup → login → create an app → save a draft → publish → create an API key
 * that works against /v1 → restore a version → revoke the key → rename and delete an app → build
 * a workflow on the canvas (palette, handles, node panels), save it, run it and watch the nodes.
 * Then the dify-client conformance suite, the model provider and knowledge pages, the logs and
 * usage pages, the published web apps (also over a dropping connection, and with file inputs), the
 * editor's code editors, model picker and features panel, the easy-mode form editor, an app's
 * webhook, schedule and MCP server, and the plugins page.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Locator, Page } from "playwright-core";
import { appAccessSuite } from "./app-access-suite";
import { containersSuite } from "./containers-suite";
import { ARTIFACTS, launchBrowser, watchErrors } from "./browser";
import { difyClientSuite } from "./dify-client-suite";
import { easyModeSuite } from "./easy-mode-suite";
import { editorPanelsSuite } from "./editor-panels-suite";
import { logsUsageSuite } from "./logs-usage-suite";
import { pluginsSuite } from "./plugins-suite";
import { dslImportSuite } from "./dsl-import-suite";
import { webAppResilienceSuite } from "./webapp-resilience-suite";
import { webAppSuite } from "./webapp-suite";
import { workspacePagesSuite } from "./workspace-pages-suite";

const base = inject("baseUrl");
let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  errors = watchErrors(page);
});

afterAll(async () => {
  await browser?.close();
});

/** Drags a connection from a node's (first) source handle to another node's target handle. */
async function connect(from: string, to: string) {
  const handle = (id: string, kind: string) => page.locator(`.react-flow__node[data-id="${id}"] .react-flow__handle.${kind}`).first().boundingBox();
  const a = (await handle(from, "source"))!;
  const b = (await handle(to, "target"))!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}

/** Clicks the point halfway along an edge's path (its bounding box centre may miss a curve). */
async function clickEdgeMiddle(path: Locator) {
  const point = await path.evaluate((element) => {
    const svgPath = element as SVGPathElement;
    const middle = svgPath.getPointAtLength(svgPath.getTotalLength() / 2);
    const matrix = svgPath.getScreenCTM()!;
    return { x: middle.x * matrix.a + middle.y * matrix.c + matrix.e, y: middle.x * matrix.b + middle.y * matrix.d + matrix.f };
  });
  await page.mouse.click(point.x, point.y);
}

/** Selects an edge by clicking it (again, if a busy machine let the view move) and deletes it. */
async function deleteEdge(id: string) {
  const edge = page.getByTestId(`rf__edge-${id}`);
  await expect
    .poll(
      async () => {
        await clickEdgeMiddle(edge.locator(".react-flow__edge-path"));
        return edge.getAttribute("class");
      },
      { timeout: 10_000 },
    )
    .toContain("selected");
  await page.keyboard.press("Delete");
  await edge.waitFor({ state: "detached" });
}

/** The Code node the canvas test adds; later tests use it. */
let codeId = "";

const owner = { email: "owner@example.com", name: "Olive Owner", password: "first-pass-1", workspace: "Acme Labs" };

describe("console in a browser", () => {
  it("sends a new visitor to setup, then to sign-in", async () => {
    await page.goto(`${base}/`);
    await page.getByTestId("setup-email").waitFor();
    expect(new URL(page.url()).pathname).toBe("/install");
    await page.getByTestId("setup-email").fill(owner.email);
    await page.getByTestId("setup-name").fill(owner.name);
    await page.getByTestId("setup-password").fill(owner.password);
    await page.getByTestId("setup-workspace").fill(owner.workspace);
    await page.screenshot({ path: `${ARTIFACTS}01-setup.png` });
    await page.getByTestId("setup-submit").click();
    await page.getByTestId("login-email").waitFor();
    expect(new URL(page.url()).pathname).toBe("/signin");
    // Nobody is signed in yet, so nothing asked for a session (a 401 would be logged as an error).
    expect(errors).toEqual([]);
  });

  it("sends a signed-out visitor of a draft link to sign-in without a console error", async () => {
    const visitor = await browser.newPage();
    const visitorErrors = watchErrors(visitor);
    const refused: string[] = [];
    visitor.on("response", (response) => {
      if (response.status() >= 400) refused.push(`${response.status()} ${response.url()}`);
    });
    try {
      await visitor.goto(`${base}/app/00000000-0000-0000-0000-000000000000/draft`);
      await visitor.getByTestId("login-email").waitFor();
      expect(new URL(visitor.url()).pathname).toBe("/signin");
      expect(refused).toEqual([]);
      expect(visitorErrors).toEqual([]);
    } finally {
      await visitor.close();
    }
  });

  it("shows a clear message for a wrong password, then logs in", async () => {
    await page.getByTestId("login-email").fill(owner.email);
    await page.getByTestId("login-password").fill("wrong-pass-1");
    await page.getByTestId("login-submit").click();
    await page.getByText("Invalid email or password.").waitFor();
    await page.getByTestId("login-password").fill(owner.password);
    await page.getByTestId("login-submit").click();
    await page.getByTestId("create-app").waitFor();
    expect(new URL(page.url()).pathname).toBe("/apps");
    expect(await page.getByTestId("workspace-name").textContent()).toContain(owner.workspace);
  });

  it("creates apps of two modes and lists them", async () => {
    for (const [name, mode] of [["Support bot", "chat"], ["Length router", "workflow"]] as const) {
      await page.getByTestId("create-app").click();
      await page.getByTestId("app-mode").selectOption(mode);
      await page.getByTestId("app-name").fill(name);
      await page.getByTestId("create-app-submit").click();
      await page.getByTestId("app-card-name").filter({ hasText: name }).waitFor();
    }
    const names = await page.getByTestId("app-card-name").allTextContents();
    expect(names).toEqual(expect.arrayContaining(["Support bot", "Length router"]));
    await page.screenshot({ path: `${ARTIFACTS}02-apps.png` });
  });

  it("saves the draft, publishes twice and restores the first version", async () => {
    await page.getByTestId("app-card").filter({ hasText: "Length router" }).getByTestId("app-card-link").click();
    await page.getByTestId("tab-draft").click();
    await page.getByTestId("save-draft").waitFor();
    await page.getByTestId("save-draft").click();
    await page.getByTestId("toast").waitFor();
    await page.getByTestId("tab-publish").click();
    await page.getByTestId("publish-name").fill("first release");
    await page.getByTestId("publish").click();
    await page.getByTestId("version-row").first().waitFor();
    await page.getByTestId("publish-name").fill("second release");
    await page.getByTestId("publish").click();
    await expect.poll(() => page.getByTestId("version-row").count()).toBe(2);
    await page.getByTestId("version-row").filter({ hasText: "first release" }).getByTestId("restore-version").click();
    await page.getByTestId("confirm-ok").click();
    await page.getByTestId("toast").filter({ hasText: /restor/i }).waitFor();
    await page.screenshot({ path: `${ARTIFACTS}03-versions.png` });
  });

  it("creates an API key that works against /v1, then revokes it", async () => {
    await page.getByTestId("tab-api").click();
    await page.getByTestId("create-key").click();
    const token = (await page.getByTestId("new-key-token").textContent())!.trim();
    expect(token).toMatch(/^app-[A-Za-z0-9]{24}$/);
    await page.screenshot({ path: `${ARTIFACTS}04-api-key.png` });
    const info = await fetch(`${base}/v1/info`, { headers: { Authorization: `Bearer ${token}` } });
    expect(info.status).toBe(200);
    expect(await info.json()).toMatchObject({ name: "Length router", mode: "workflow", author_name: owner.name });

    await page.getByTestId("new-key-done").click();
    await page.getByTestId("key-row").first().waitFor();
    expect(await page.getByTestId("key-row").first().textContent()).not.toContain(token);
    await page.getByTestId("revoke-key").first().click();
    await page.getByTestId("confirm-ok").click();
    await page.getByTestId("keys-empty").waitFor();
    expect((await fetch(`${base}/v1/info`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it("renames and deletes an app", async () => {
    await page.goto(`${base}/apps`);
    const card = page.getByTestId("app-card").filter({ hasText: "Support bot" });
    await card.getByTestId("edit-app").click();
    await page.getByTestId("edit-app-name").fill("Helpdesk bot");
    await page.getByTestId("edit-app-submit").click();
    await page.getByTestId("app-card-name").filter({ hasText: "Helpdesk bot" }).waitFor();
    await page.getByTestId("app-card").filter({ hasText: "Helpdesk bot" }).getByTestId("delete-app").click();
    await page.getByTestId("confirm-ok").click();
    await expect.poll(() => page.getByTestId("app-card-name").allTextContents()).toEqual(["Length router"]);
    await page.screenshot({ path: `${ARTIFACTS}05-after-delete.png` });
  });

  it("builds a workflow on the canvas, saves it and runs it with nodes lighting up", async () => {
    await page.getByTestId("create-app").click();
    await page.getByTestId("app-mode").selectOption("workflow");
    await page.getByTestId("app-name").fill("Greeter");
    await page.getByTestId("create-app-submit").click();
    await page.getByTestId("app-card").filter({ hasText: "Greeter" }).getByTestId("app-card-link").click();
    await page.getByTestId("tab-draft").click();
    await page.getByTestId("workflow-editor").waitFor();
    const node = (id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);
    await node("start").waitFor();

    // Start gets an input variable.
    await node("start").click();
    await page.getByTestId("start-variables-add").click();
    await page.getByTestId("start-variable-name").fill("name");
    await page.getByTestId("node-panel-close").click();

    // The new app's start → end edge is selected and deleted.
    await deleteEdge("start-source-end-target");
    await expect.poll(() => page.locator(".react-flow__edge").count()).toBe(0);

    // A Code node dragged from the palette onto the canvas.
    await page.getByTestId("palette-code").dragTo(page.locator(".react-flow__pane"), { targetPosition: { x: 300, y: 380 } });
    codeId = (await page.getByTestId("node-panel").getAttribute("data-node-id"))!;
    expect(await node(codeId).getAttribute("class")).toContain("selected");
    await page.getByTestId("node-panel-close").click();

    // Rewire start → code → end by dragging between handles.
    await connect("start", codeId);
    await connect(codeId, "end");
    await expect.poll(() => page.locator(".react-flow__edge").count()).toBe(2);
    await page.getByTestId("auto-layout").click();

    // Configure the code node and the end node; the picker offers only upstream variables.
    await node(codeId).click();
    const offered = await page.getByTestId("input-variable-value").locator("option").evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    expect(offered).toContain("start.name");
    expect(offered.some((value) => value.startsWith("end."))).toBe(false);
    await page.getByTestId("input-variable-value").selectOption("start.name");
    // The code is a CodeMirror editor: its content is editable text, not a textarea.
    await page.locator('[data-testid="code-text"][data-ready="true"] .cm-content').fill("function main({ arg1 }) {\n  return { result: 'Hello, ' + arg1 + '!' };\n}\n");
    // The open panel narrows the canvas; close it so every node is in view again.
    await page.getByTestId("node-panel-close").click();
    await node("end").click();
    await page.getByTestId("end-outputs-add").click();
    await page.getByTestId("end-output-name").fill("greeting");
    await page.getByTestId("end-output-value").selectOption(`${codeId}.result`);
    expect(await page.getByTestId("problem-count").textContent()).toContain("No problems");

    await page.getByTestId("save-draft").click();
    await page.getByTestId("toast").filter({ hasText: "Draft saved" }).waitFor();

    await page.getByTestId("run-open").click();
    await page.getByTestId("run-input-name").fill("Bee");
    await page.getByTestId("run-start").click();
    await page.locator('[data-testid="run-result"][data-status="succeeded"]').waitFor();
    expect(await page.getByTestId("run-outputs").textContent()).toContain("Hello, Bee!");
    for (const id of ["start", codeId, "end"]) expect(await page.locator(`[data-testid="canvas-node"][data-node-id="${id}"]`).getAttribute("data-run-status")).toBe("succeeded");
    await expect.poll(() => page.getByTestId("trace-row").count()).toBe(3);
    // The trace is a timeline: each node's bar starts where it started in the run, the first at 0.
    const bars = await page.getByTestId("trace-bar").evaluateAll((items) => items.map((item) => parseFloat((item as HTMLElement).style.marginLeft)));
    expect(bars).toHaveLength(3);
    expect(bars[0]).toBe(0);
    expect(bars[2]).toBeGreaterThanOrEqual(bars[1]!);
    await page.screenshot({ path: `${ARTIFACTS}06-editor-run.png` });

    // The saved graph is Dify's JSON: custom nodes, edges with handles.
    await page.getByTestId("view-json").click();
    await page.locator('[data-testid="draft-graph"][data-ready="true"]').waitFor();
    const graph = await page.evaluate(async () => {
      const id = location.pathname.split("/")[2];
      return (await (await fetch(`/console/api/apps/${id}/workflows/draft`, { credentials: "same-origin" })).json()).graph;
    });
    expect(graph.edges.map((e: { source: string; sourceHandle: string; target: string }) => `${e.source}:${e.sourceHandle}>${e.target}`).sort()).toEqual([`${codeId}:source>end`, `start:source>${codeId}`].sort());
    expect(graph.nodes.find((n: { id: string }) => n.id === codeId)).toMatchObject({ type: "custom", data: { type: "code", title: "Code" } });
  });

  it("marks a node whose variable is cut off, shows a branch handle per if-else case, undoes, redoes, copies and pastes", async () => {
    await page.getByTestId("view-canvas").click();
    await page.getByTestId("workflow-editor").waitFor();
    // The canvas renders its nodes just after the editor mounts: count them once they are there.
    await page.locator(`[data-testid="canvas-node"][data-node-id="${codeId}"]`).waitFor();
    const before = await page.getByTestId("canvas-node").count();

    // Cutting start → code leaves the code node reading a variable that is no longer upstream.
    await deleteEdge(`start-source-${codeId}-target`);
    await page.locator(`[data-testid="canvas-node"][data-node-id="${codeId}"]`).getByTestId("node-problem").waitFor();
    expect(await page.getByTestId("problem-count").textContent()).toMatch(/problem/);
    await page.getByTestId("undo").click();
    await expect.poll(() => page.getByTestId("problem-count").textContent()).toContain("No problems");
    await page.getByTestId("palette-if-else").click();
    await page.getByTestId("if-else-cases-add").click();
    const ifId = (await page.getByTestId("node-panel").getAttribute("data-node-id"))!;
    const handles = page.locator(`.react-flow__node[data-id="${ifId}"] .react-flow__handle.source`);
    await expect.poll(() => handles.count()).toBe(3);
    expect(await handles.last().getAttribute("data-handleid")).toBe("false");
    await page.screenshot({ path: `${ARTIFACTS}07-editor-if-else.png` });
    await page.getByTestId("node-panel-close").click();
    await page.getByTestId("undo").click();
    await page.getByTestId("undo").click();
    await expect.poll(() => page.getByTestId("canvas-node").count()).toBe(before);
    await page.getByTestId("redo").click();
    await expect.poll(() => page.getByTestId("canvas-node").count()).toBe(before + 1);
    // The restored node is still selected: copy and paste it.
    await page.keyboard.press("Control+c");
    await page.keyboard.press("Control+v");
    await expect.poll(() => page.getByTestId("canvas-node").count()).toBe(before + 2);
  });

  it("chats with a chat app's draft on the Preview tab, streaming answers in one conversation", async () => {
    const mockUrl = inject("mockModelUrl");
    const appId = await page.evaluate(async (endpoint) => {
      const post = (path: string, body: unknown) =>
        fetch(`/console/api${path}`, { method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }).then(async (r) => {
          if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
          return r.json();
        });
      await post("/workspaces/current/model-providers/openai_api_compatible/models", { model: "mock-chat", model_type: "llm", credentials: { endpoint_url: `${endpoint}/v1`, api_key: "sk-e2e", mode: "chat", context_size: "4096" } });
      const created = await post("/apps", { name: "Echo bot", mode: "chat" });
      const draft = await fetch(`/console/api/apps/${created.id}/model-config`, { credentials: "same-origin" }).then((r) => r.json());
      const modelConfig = { ...draft.model_config, model: { provider: "openai_api_compatible", name: "mock-chat", mode: "chat", completion_params: {} }, pre_prompt: "Repeat after me." };
      await post(`/apps/${created.id}/model-config`, { model_config: modelConfig, hash: draft.hash });
      return created.id as string;
    }, mockUrl);
    await page.goto(`${base}/app/${appId}/preview`);
    await page.getByTestId("preview-message").fill("bees make honey");
    await page.getByTestId("preview-send").click();
    await expect.poll(() => page.getByTestId("preview-answer").first().textContent()).toBe("bees make honey");
    await page.getByTestId("preview-usage").first().waitFor();
    await page.getByTestId("preview-message").fill("and wax");
    await page.getByTestId("preview-send").click();
    await expect.poll(() => page.getByTestId("preview-answer").nth(1).textContent()).toBe("and wax");
    expect(await page.getByTestId("preview-query").allTextContents()).toEqual(["bees make honey", "and wax"]);
    await page.screenshot({ path: `${ARTIFACTS}09-chat-preview.png` });
    // Both messages went into one conversation, which the console's logs list.
    const conversations = await page.evaluate(async (id) => (await fetch(`/console/api/apps/${id}/chat-conversations`, { credentials: "same-origin" })).json(), appId);
    expect(conversations.data).toHaveLength(1);
    expect(conversations.data[0].message_count).toBe(2);
  });

  it("ran without console errors", () => {
    // The deliberate wrong-password attempt logs a 401 resource error; nothing else may.
    expect(errors.filter((e) => !/401/.test(e))).toEqual([]);
  });
});

// The official dify-client package against the same platform (set up by the tests above).
difyClientSuite();
// Settings → Model providers and Knowledge, on their own page, against the same platform.
workspacePagesSuite();
// The Logs tab and Settings → Usage, after apps have been called through the API.
logsUsageSuite();

webAppSuite();
// Web apps through a connection that drops mid-answer, and their file inputs.
webAppResilienceSuite();
// CodeMirror in the node panels and a chatflow's features panel.
editorPanelsSuite();
// The easy-mode form editor of chat, text generator and agent apps, with its debug chat.
easyModeSuite();
// Iteration and loop nodes as containers: build, run, move, delete, copy, import.
containersSuite();
// Settings → Plugins: trust a key, inspect, install, refuse a tampered package, uninstall.
pluginsSuite();
// API Access: a workflow's webhook and schedule, and the app's MCP server.
appAccessSuite();
// Apps → Import DSL file (failed, with warnings, pending then confirmed) and Export DSL.
dslImportSuite();
