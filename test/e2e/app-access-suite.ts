/**
 * A workflow's other doors on its API Access tab, in a browser: the owner makes a webhook (its URL
 * and secret, the secret shown once) that another system then calls, schedules runs (a bad cron
 * is refused with the server's message), and turns on the app's MCP server, whose URL answers an
 * MCP client until it is switched off and renewed.
 * Defined as a function and run from console.test.ts; it signs in on its own page.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ARTIFACTS, consoleCaller, launchBrowser, signInOwner } from "./browser";

const edge = (source: string, target: string) => ({ id: `${source}-${target}`, source, target, sourceHandle: "source", targetHandle: "target" });
const echoGraph = {
  nodes: [
    { id: "start", type: "custom", position: { x: 0, y: 0 }, data: { type: "start", title: "Start", variables: [{ variable: "topic", label: "Topic", type: "text-input", required: true }] } },
    { id: "end", type: "custom", position: { x: 300, y: 0 }, data: { type: "end", title: "End", outputs: [{ variable: "topic", value_selector: ["start", "topic"] }] } },
  ],
  edges: [edge("start", "end")],
};
const mcpList = (url: string) =>
  fetch(url, { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }) });

export function appAccessSuite() {
  describe("app access: webhook, schedule, MCP server", () => {
    const base = () => inject("baseUrl");
    let browser: Browser;
    let page: Page;
    let errors: string[];
    let appId = "";

    beforeAll(async () => {
      browser = await launchBrowser();
      ({ page, errors } = await signInOwner(browser, base()));
      const consoleCall = consoleCaller(page);
      const app = await consoleCall("POST", "/apps", { name: "Hive relay", mode: "workflow" });
      appId = app.id;
      const draft = await consoleCall("GET", `/apps/${appId}/workflows/draft`);
      await consoleCall("POST", `/apps/${appId}/workflows/draft`, { graph: echoGraph, hash: draft.hash });
      await consoleCall("POST", `/apps/${appId}/workflows/publish`, {});
    });

    afterAll(async () => {
      await browser?.close();
    });

    it("makes a webhook that starts the workflow with its secret, and switches it off", async () => {
      await page.goto(`${base()}/app/${appId}/api`);
      const webhook = page.getByTestId("webhook-section");
      await webhook.getByTestId("webhook-create").click();
      await webhook.getByTestId("webhook-secret").waitFor();
      const url = (await webhook.getByTestId("webhook-url").textContent())!;
      const secret = (await webhook.getByTestId("webhook-secret").textContent())!;
      expect(url).toMatch(new RegExp(`^${base()}/triggers/webhook/`));
      expect(secret).toMatch(/^whsec_/);
      expect(await webhook.getAttribute("data-enabled")).toBe("true");

      const started = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json", "X-Webhook-Secret": secret }, body: JSON.stringify({ topic: "pollen" }) });
      expect(started.status, await started.clone().text()).toBe(202);
      expect(await started.json()).toMatchObject({ status: "running" });
      const refused = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json", "X-Webhook-Secret": "whsec_wrong" }, body: "{}" });
      expect(refused.status).toBe(401);

      await webhook.getByTestId("webhook-enabled").uncheck();
      await expect.poll(() => webhook.getAttribute("data-enabled")).toBe("false");
      // Reloaded, the secret is not shown again.
      await page.reload();
      await page.getByTestId("webhook-url").waitFor();
      expect(await page.getByTestId("webhook-secret").count()).toBe(0);
      expect(await page.getByTestId("webhook-enabled").isChecked()).toBe(false);
    });

    it("refuses a bad cron with the server's message, then schedules runs", async () => {
      const schedule = page.getByTestId("schedule-section");
      await schedule.getByTestId("schedule-cron").fill("every day at nine");
      await schedule.getByTestId("schedule-save").click();
      await schedule.getByTestId("schedule-error").waitFor();
      expect((await schedule.getByTestId("schedule-error").textContent())!.length).toBeGreaterThan(10);
      expect(await schedule.getAttribute("data-enabled")).toBe("none");

      await schedule.getByTestId("schedule-cron").fill("*/30 * * * *");
      await schedule.getByTestId("schedule-timezone").fill("UTC");
      await schedule.getByTestId("schedule-inputs").fill('{"topic": "nectar"}');
      await schedule.getByTestId("schedule-save").click();
      await expect.poll(() => schedule.getAttribute("data-enabled")).toBe("true");
      expect(await schedule.getByTestId("schedule-next").textContent()).toMatch(/^Next run /);
      await page.screenshot({ path: `${ARTIFACTS}28-api-access-triggers.png`, fullPage: true });
    });

    it("turns on the MCP server, whose URL is shown once, answers MCP clients, and stops when switched off", async () => {
      const card = page.getByTestId("mcp-server-card");
      await card.getByTestId("mcp-description").fill("Relays a topic.");
      await card.getByTestId("mcp-create").click();
      await card.getByTestId("mcp-url").waitFor();
      const url = (await card.getByTestId("mcp-url").textContent())!;
      expect(url).toMatch(new RegExp(`^${base()}/mcp/`));
      expect(await card.getAttribute("data-status")).toBe("active");
      const listed = await mcpList(url);
      expect(listed.status).toBe(200);
      expect(await listed.text()).toContain("hive_relay");
      await page.screenshot({ path: `${ARTIFACTS}29-api-access-mcp-server.png`, fullPage: true });

      await card.getByTestId("mcp-enabled").uncheck();
      await expect.poll(() => card.getAttribute("data-status")).toBe("inactive");
      expect((await mcpList(url)).status).toBe(403);

      await card.getByTestId("mcp-renew").click();
      await page.getByTestId("confirm-ok").click();
      await expect.poll(() => card.getByTestId("mcp-url").textContent()).not.toBe(url);
      expect((await mcpList(url)).status).toBe(404);
    });

    it("ran without console errors", () => {
      // The refused cron is an expected 400; the browser logs failed requests as errors.
      expect(errors.filter((line) => !line.includes("400"))).toEqual([]);
    });
  });
}
