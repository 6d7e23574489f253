/**
 * DSL import and export in Chromium: broken YAML is refused with the parser's reason; a Dify
 * workflow with a node type Waggle lacks imports with that warning named and opens in the editor;
 * a newer DSL version asks first and imports once confirmed; an app exports as a YAML download
 * that imports again.
 * Defined as a function and run from console.test.ts, after the console test has set the platform
 * up (suites in one file run in order); it signs in on its own page.
 */
import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ARTIFACTS, consoleCaller, launchBrowser, signInOwner } from "./browser";

const workflowDsl = (version: string, name: string) => `version: ${version}
kind: app
app:
  name: ${name}
  mode: workflow
  icon: 🤖
workflow:
  environment_variables: []
  conversation_variables: []
  features: {}
  graph:
    nodes:
      - id: start
        type: custom
        position: {x: 80, y: 200}
        data: {type: start, title: Start, variables: [{variable: topic, label: Topic, type: text-input, required: true}]}
      - id: vision
        type: custom
        position: {x: 380, y: 200}
        data: {type: image-magic, title: Image magic}
      - id: end
        type: custom
        position: {x: 680, y: 200}
        data: {type: end, title: End, outputs: [{variable: topic, value_selector: [start, topic]}]}
    edges:
      - {id: e1, source: start, target: vision, sourceHandle: source, targetHandle: target}
      - {id: e2, source: vision, target: end, sourceHandle: source, targetHandle: target}
`;

export function dslImportSuite() {
  describe("DSL import and export", () => {
    const base = () => inject("baseUrl");
    let browser: Browser;
    let page: Page;
    let errors: string[];

    beforeAll(async () => {
      browser = await launchBrowser();
      ({ page, errors } = await signInOwner(browser, base()));
    });

    afterAll(async () => {
      await browser?.close();
    });

    const openImport = async () => {
      await page.goto(`${base()}/apps`);
      await page.getByTestId("import-dsl").click();
      await page.getByTestId("import-dsl-modal").waitFor();
      await page.getByTestId("import-source-paste").click();
    };

    it("refuses YAML that does not parse, saying why", async () => {
      await openImport();
      await page.getByTestId("import-yaml").fill("version: 0.3.0\nkind: app\napp: [unclosed");
      await page.getByTestId("import-submit").click();
      await expect.poll(() => page.getByTestId("import-error").textContent()).toMatch(/YAML|yaml/);
      await page.screenshot({ path: `${ARTIFACTS}50-dsl-import-failed.png` });
    });

    it("imports a Dify workflow with an unknown node, naming it, and opens the app", async () => {
      await page.getByTestId("import-yaml").fill(workflowDsl("0.3.0", "Imported in the browser"));
      await page.getByTestId("import-submit").click();
      const warnings = page.getByTestId("import-warnings");
      await warnings.waitFor();
      expect((await page.getByTestId("import-warning").allTextContents()).join("\n")).toContain("image-magic");
      await page.screenshot({ path: `${ARTIFACTS}51-dsl-import-warnings.png` });
      await page.getByTestId("import-open-app").click();
      await expect.poll(() => page.getByTestId("app-title").textContent()).toBe("Imported in the browser");
    });

    it("exports the app as a YAML file that imports again", async () => {
      const download = page.waitForEvent("download");
      await page.getByTestId("export-dsl").click();
      const file = await download;
      expect(file.suggestedFilename()).toBe("Imported in the browser.yml");
      const yaml = readFileSync((await file.path())!, "utf8");
      expect(yaml).toContain("name: Imported in the browser");
      expect(yaml).toContain("image-magic");
      const again = await consoleCaller(page)("POST", "/apps/imports", { mode: "yaml-content", yaml_content: yaml, name: "Round trip" });
      expect(again.status).toBe("completed-with-warnings");
    });

    it("asks before importing a newer DSL version, then imports it", async () => {
      await openImport();
      await page.getByTestId("import-yaml").fill(workflowDsl("0.9.0", "From the future"));
      await page.getByTestId("import-submit").click();
      const pending = page.getByTestId("import-pending");
      await pending.waitFor();
      expect(await pending.textContent()).toContain("0.9.0");
      await page.getByTestId("import-confirm").click();
      // Confirmed, it imports with the unknown node's warning.
      await page.getByTestId("import-warnings").waitFor();
      await page.getByTestId("import-open-app").click();
      await expect.poll(() => page.getByTestId("app-title").textContent()).toBe("From the future");
    });

    it("ran without console errors", () => {
      // The failed import answers 400 on purpose; nothing else may log an error.
      expect(errors.filter((e) => !/400/.test(e))).toEqual([]);
    });
  });
}
