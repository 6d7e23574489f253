/**
 * Settings → Plugins in Chromium: trust the development signing key, choose the signed weather
 * plugin and see its signature, author and permissions before installing it; see a tampered copy
 * refused with the file it names; install, disable and enable, and uninstall. The installed
 * plugin's tool shows in the workspace's tool list the editor's pickers read.
 * Defined as a function and run from console.test.ts, after the console test has set the platform
 * up (suites in one file run in order); it signs in on its own page.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import JSZip from "jszip";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { buildPackage } from "../../core/plugins";
import { ARTIFACTS, consoleCaller, launchBrowser, signInOwner } from "./browser";

const pluginsDir = new URL("../../plugins/", import.meta.url).pathname;
const devKey = JSON.parse(readFileSync(join(pluginsDir, "dev-key.json"), "utf8")) as { public_key: string; key_id: string };
const weatherPackage = join(pluginsDir, "weather/waggle-weather-1.0.0.waggle-plugin");

/** The example model provider plugin, its hosts swapped for the mock model server's, signed with the development key. */
async function modelPluginFor(mockUrl: string): Promise<string> {
  const manifest = readFileSync(join(pluginsDir, "openai-compatible/manifest.yaml"), "utf8").replace(/hosts:\n(\s+- .+\n)+/, `hosts:\n    - "${new URL(mockUrl).host}"\n`);
  const files = new Map([
    ["manifest.yaml", new TextEncoder().encode(manifest)],
    ["main.js", new Uint8Array(readFileSync(join(pluginsDir, "openai-compatible/main.js")))],
  ]);
  const path = join(mkdtempSync(join(tmpdir(), "waggle-plugin-")), "openai-compatible.waggle-plugin");
  writeFileSync(path, await buildPackage(files, JSON.parse(readFileSync(join(pluginsDir, "dev-key.json"), "utf8"))));
  return path;
}

export function pluginsSuite() {
  describe("plugins page", () => {
    const base = () => inject("baseUrl");
    let browser: Browser;
    let page: Page;
    let errors: string[];
    let tampered = "";

    beforeAll(async () => {
      browser = await launchBrowser();
      ({ page, errors } = await signInOwner(browser, base()));
      // A copy of the signed package whose main.js was changed after signing.
      const zip = await JSZip.loadAsync(readFileSync(weatherPackage));
      zip.file("main.js", `${await zip.file("main.js")!.async("string")}\n// changed after signing\n`);
      tampered = join(mkdtempSync(join(tmpdir(), "waggle-plugin-")), "weather-tampered.waggle-plugin");
      writeFileSync(tampered, await zip.generateAsync({ type: "uint8array" }));
    });

    afterAll(async () => {
      await browser?.close();
    });

    it("trusts the development key", async () => {
      await page.goto(`${base()}/settings/plugins`);
      const trust = page.getByTestId("plugin-trust");
      await trust.waitFor();
      if (!(await trust.textContent())?.includes(devKey.key_id)) {
        await trust.getByPlaceholder("Name").fill("Development key");
        await trust.getByPlaceholder("Ed25519 public key (base64)").fill(devKey.public_key);
        await trust.getByRole("button", { name: "Trust key" }).click();
      }
      await expect.poll(() => trust.textContent()).toContain(devKey.key_id);
    });

    it("refuses a tampered package, naming the file that changed", async () => {
      await page.getByTestId("plugin-file").setInputFiles(tampered);
      const preview = page.getByTestId("plugin-preview");
      await preview.waitFor();
      expect(await preview.getByTestId("plugin-signature").textContent()).toMatch(/^Tampered — .*main\.js/);
      expect(await preview.getByTestId("plugin-install-button").isDisabled()).toBe(true);
      await page.screenshot({ path: `${ARTIFACTS}47-plugin-tampered.png` });
    });

    it("shows the signature, author and permissions before installing, then installs", async () => {
      await page.getByTestId("plugin-file").setInputFiles(weatherPackage);
      const preview = page.getByTestId("plugin-preview");
      await expect.poll(() => preview.getByTestId("plugin-signature").textContent()).toMatch(/^Signed — /);
      const text = (await preview.textContent()) ?? "";
      expect(text).toContain("waggle/weather 1.0.0 by Waggle");
      expect(text).toContain("api.weather.example");
      expect(text).toMatch(/Storage: yes/);
      expect(text).toMatch(/Tools: no/);
      expect(text).toMatch(/tool: /);
      await page.screenshot({ path: `${ARTIFACTS}48-plugin-preview.png` });
      await preview.getByTestId("plugin-install-button").click();
      const card = page.getByTestId("plugin-waggle/weather");
      await card.waitFor();
      expect(await page.getByTestId("plugin-preview").count()).toBe(0);
      expect(await card.textContent()).toContain("Signed");
      await page.screenshot({ path: `${ARTIFACTS}49-plugin-installed.png` });

      // Its tool is listed with the workspace's built-in tools (what the editor's pickers read).
      const providers = await consoleCaller(page)("GET", "/workspaces/current/tool-providers");
      expect(JSON.stringify(providers)).toContain("waggle/weather");
    });

    it("offers the plugin's tools in a tool node's picker, beside the built-in ones", async () => {
      const call = consoleCaller(page);
      const app = await call("POST", "/apps", { name: "Weather tool", mode: "workflow" });
      const draft = await call("GET", `/apps/${app.id}/workflows/draft`);
      const graph = {
        nodes: [
          { id: "start", type: "custom", position: { x: 40, y: 200 }, data: { type: "start", title: "Start", variables: [{ variable: "city", label: "city", type: "text-input", required: true }] } },
          { id: "tool", type: "custom", position: { x: 340, y: 200 }, data: { type: "tool", title: "Tool", provider_type: "builtin", provider_id: "time", tool_name: "current_time", tool_parameters: {}, tool_configurations: {} } },
        ],
        edges: [{ id: "start-source-tool-target", source: "start", sourceHandle: "source", target: "tool", targetHandle: "target", type: "custom", data: { sourceType: "start", targetType: "tool" } }],
        viewport: { x: 0, y: 0, zoom: 1 },
      };
      await call("POST", `/apps/${app.id}/workflows/draft`, { graph, hash: draft.hash });
      await page.goto(`${base()}/app/${app.id}/draft`);
      await page.locator('.react-flow__node[data-id="tool"]').click();
      const picker = page.getByTestId("tool-picker");
      await picker.waitFor();
      expect(await picker.locator("option:checked").textContent()).toBe("Current Time");
      expect(await picker.locator("optgroup").evaluateAll((groups) => groups.map((group) => group.getAttribute("label")))).toContain("Weather (plugin)");
      await picker.selectOption({ label: "Current weather" });
      await page.getByTestId("tool-input-city").fill("Kyoto");
      await page.screenshot({ path: `${ARTIFACTS}52-editor-plugin-tool.png` });
      await expect.poll(() => page.getByTestId("save-state").textContent(), { timeout: 10_000 }).toBe("All changes saved");
      const saved = await call("GET", `/apps/${app.id}/workflows/draft`);
      expect(saved.graph.nodes.find((node: { id: string }) => node.id === "tool").data).toMatchObject({
        provider_type: "builtin",
        provider_id: "waggle/weather/weather",
        tool_name: "current_weather",
        tool_parameters: { city: { type: "mixed", value: "Kyoto" } },
      });
      await page.goto(`${base()}/settings/plugins`);
      await page.getByTestId("plugin-waggle/weather").waitFor();
    });

    it("installs a model provider plugin, saves its credentials, and runs an LLM node whose model is picked from it", async () => {
      const mockUrl = inject("mockModelUrl");
      await page.getByTestId("plugin-file").setInputFiles(await modelPluginFor(mockUrl));
      const preview = page.getByTestId("plugin-preview");
      await expect.poll(() => preview.getByTestId("plugin-signature").textContent()).toMatch(/^Signed — /);
      expect(await preview.textContent()).toContain("waggle/openai-compatible 1.1.0 by Waggle");
      await preview.getByTestId("plugin-install-button").click();
      const card = page.getByTestId("plugin-waggle/openai-compatible");
      await card.waitFor();
      await card.getByLabel("API key").fill("sk-e2e-plugin");
      await card.getByLabel("API base URL (ending in /v1)").fill(`${mockUrl}/v1`);
      await card.getByRole("button", { name: "Save credentials" }).click();
      await expect.poll(async () => `${(await page.locator(".toast").allTextContents()).join(" ")} | ${await card.textContent()}`).toContain("Credentials saved");

      const call = consoleCaller(page);
      const app = await call("POST", "/apps", { name: "Plugin model", mode: "workflow" });
      const draft = await call("GET", `/apps/${app.id}/workflows/draft`);
      const edge = (source: string, target: string) => ({ id: `${source}-source-${target}-target`, source, sourceHandle: "source", target, targetHandle: "target", type: "custom", data: {} });
      const graph = {
        nodes: [
          { id: "start", type: "custom", position: { x: 40, y: 200 }, data: { type: "start", title: "Start", variables: [] } },
          { id: "llm", type: "custom", position: { x: 340, y: 200 }, data: { type: "llm", title: "LLM", model: { provider: "", name: "", mode: "chat", completion_params: {} }, prompt_template: [{ role: "user", text: "Hello from a plugin model" }], context: { enabled: false, variable_selector: [] } } },
          { id: "end", type: "custom", position: { x: 640, y: 200 }, data: { type: "end", title: "End", outputs: [{ variable: "answer", value_selector: ["llm", "text"] }] } },
        ],
        edges: [edge("start", "llm"), edge("llm", "end")],
        viewport: { x: 0, y: 0, zoom: 1 },
      };
      await call("POST", `/apps/${app.id}/workflows/draft`, { graph, hash: draft.hash });
      await page.goto(`${base()}/app/${app.id}/draft`);
      await page.locator('.react-flow__node[data-id="llm"]').click();
      const picker = page.getByTestId("model-picker");
      await picker.waitFor();
      const group = picker.locator('optgroup[label="OpenAI-compatible (plugin)"]');
      expect(await group.locator("option").allTextContents()).toEqual(["gpt-4o-mini", "llama-3.3-70b-versatile"]);
      await picker.selectOption(await group.locator("option", { hasText: "llama-3.3-70b-versatile" }).getAttribute("value"));
      await page.screenshot({ path: `${ARTIFACTS}53-editor-plugin-model.png` });
      await expect.poll(() => page.getByTestId("save-state").textContent(), { timeout: 10_000 }).toBe("All changes saved");
      const saved = await call("GET", `/apps/${app.id}/workflows/draft`);
      expect(saved.graph.nodes.find((node: { id: string }) => node.id === "llm").data.model).toMatchObject({ provider: "waggle/openai-compatible/openai_compatible", name: "llama-3.3-70b-versatile" });

      // The draft runs through the plugin's isolate against the mock server, which echoes the prompt.
      await page.getByTestId("run-open").click();
      await page.getByTestId("run-start").click();
      await page.locator('[data-testid="run-result"][data-status="succeeded"]').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId("run-outputs").textContent()).toContain("Hello from a plugin model");
      const installed = (await call("GET", "/workspaces/current/plugins")).plugins.find((plugin: { plugin_id: string }) => plugin.plugin_id === "waggle/openai-compatible");
      await call("DELETE", `/workspaces/current/plugins/${installed.id}`);
      await page.goto(`${base()}/settings/plugins`);
      await page.getByTestId("plugin-waggle/weather").waitFor();
    });

    it("disables, enables and uninstalls the plugin", async () => {
      const card = page.getByTestId("plugin-waggle/weather");
      await card.getByRole("button", { name: "Disable" }).click();
      await expect.poll(() => card.textContent()).toContain("disabled");
      await card.getByRole("button", { name: "Enable" }).click();
      await expect.poll(() => card.textContent()).not.toContain("disabled");
      page.once("dialog", (dialog) => void dialog.accept());
      await card.getByRole("button", { name: "Uninstall" }).click();
      await expect.poll(() => page.getByTestId("plugin-waggle/weather").count()).toBe(0);
      const listed = await consoleCaller(page)("GET", "/workspaces/current/plugins");
      expect(listed.plugins).toEqual([]);
    });

    it("ran without console errors", () => {
      expect(errors).toEqual([]);
    });
  });
}
