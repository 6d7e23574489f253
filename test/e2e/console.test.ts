/**
 * A person's first session in the console, in Debian's Chromium against the real platform
 * (`wrangler dev`): setup → login → create an app → save a draft → publish → create an API key
 * that works against /v1 → restore a version → revoke the key → rename and delete an app.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { ARTIFACTS, launchBrowser, watchErrors } from "./browser";

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

  it("ran without console errors", () => {
    // The deliberate wrong-password attempt logs a 401 resource error; nothing else may.
    expect(errors.filter((e) => !/401/.test(e))).toEqual([]);
  });
});
