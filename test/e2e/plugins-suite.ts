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
import { ARTIFACTS, consoleCaller, launchBrowser, signInOwner } from "./browser";

const pluginsDir = new URL("../../plugins/", import.meta.url).pathname;
const devKey = JSON.parse(readFileSync(join(pluginsDir, "dev-key.json"), "utf8")) as { public_key: string; key_id: string };
const weatherPackage = join(pluginsDir, "weather/waggle-weather-1.0.0.waggle-plugin");

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
