/**
 * Model providers and knowledge, through their console pages in Chromium: add an
 * OpenAI-compatible embedding model pointing at the mock model server (a wrong endpoint first, to
 * see the provider's error), make it the default, create a dataset that uses it, upload a
 * Markdown file, a PDF and a Word document (and an empty file, refused), watch them index, read its chunks and run a retrieval test.
 * Defined as a function and run from console.test.ts, after the console test has set the platform
 * up (suites in one file run in order); it signs in on its own page.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { minimalDocx, minimalPdf } from "../../core/nodes/document-extractor/fixtures";
import { ARTIFACTS, launchBrowser, signInInvitedMember, watchErrors } from "./browser";

// The same owner as the console's browser test: whichever suite runs first sets the platform up.
const owner = { email: "owner@example.com", name: "Olive Owner", password: "first-pass-1", workspace_name: "Acme Labs" };
const secret = "sk-e2e-embedding-key-0042";

export function workspacePagesSuite() {
  describe("model providers and knowledge pages", () => {
    const base = () => inject("baseUrl");
    let browser: Browser;
    let page: Page;
    let errors: string[];

    beforeAll(async () => {
      const status = await (await fetch(`${base()}/console/api/setup`)).json();
      if (status.step === "not_started") {
        const response = await fetch(`${base()}/console/api/setup`, { method: "POST", headers: { "Content-Type": "application/json", Origin: base() }, body: JSON.stringify(owner) });
        expect(response.ok).toBe(true);
      }
      browser = await launchBrowser();
      page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      errors = watchErrors(page);
    });

    afterAll(async () => {
      await browser?.close();
    });

    it("signs in and finds model providers under Settings", async () => {
      await page.goto(`${base()}/signin`);
      await page.getByTestId("login-email").fill(owner.email);
      await page.getByTestId("login-password").fill(owner.password);
      await page.getByTestId("login-submit").click();
      await page.getByTestId("nav-settings").click();
      await page.getByTestId("model-providers").waitFor();
      expect(new URL(page.url()).pathname).toBe("/settings/model-providers");
      // Workers AI needs the AI binding, which wrangler dev has not: it says so.
      const workersAi = page.locator('[data-testid="provider-card"][data-provider="workers_ai"]');
      expect(await workersAi.getAttribute("data-status")).toBe("unavailable");
      expect(await workersAi.getByTestId("provider-unavailable").textContent()).toMatch(/AI binding/);
      const openai = page.locator('[data-testid="provider-card"][data-provider="openai"]');
      expect(await openai.getAttribute("data-status")).toBe("not-configured");
      // The form follows the provider's schema: the key is a password field, the base URL has its placeholder.
      await openai.getByTestId("setup-provider").click();
      const modal = page.getByTestId("credentials-modal");
      expect(await modal.getByTestId("credential-openai_api_key").getAttribute("type")).toBe("password");
      expect(await modal.getByTestId("credential-openai_api_base").getAttribute("placeholder")).toBe("https://api.openai.com");
      expect(await modal.locator('label[for="credential-openai_api_key"] .required-mark').count()).toBe(1);
      expect(await modal.locator('label[for="credential-openai_organization"] .required-mark').count()).toBe(0);
      await page.screenshot({ path: `${ARTIFACTS}10-provider-form-openai.png` });
      await modal.getByTestId("modal-close").click();
    });

    it("shows the provider's error for a wrong endpoint, then adds an embedding model and makes it the default", async () => {
      const compatible = page.locator('[data-testid="provider-card"][data-provider="openai_api_compatible"]');
      await compatible.getByTestId("add-model").click();
      const modal = page.getByTestId("credentials-modal");
      await modal.getByTestId("model-name").fill("mock-embedding");
      await modal.getByTestId("model-type").selectOption("text-embedding");
      // Required fields are marked and checked before anything is sent.
      await modal.getByTestId("credentials-save").click();
      expect(await modal.getByTestId("credentials-error").textContent()).toBe("API endpoint URL is required.");
      expect(await modal.getByTestId("credential-api_key").getAttribute("type")).toBe("password");
      await modal.getByTestId("credential-api_key").fill(secret);
      // Nothing listens on port 9: the validation call fails and the API's message is shown by the form.
      await modal.getByTestId("credential-endpoint_url").fill("http://127.0.0.1:9/v1");
      await modal.getByTestId("credentials-save").click();
      await expect.poll(() => modal.getByTestId("credentials-error").textContent(), { timeout: 20_000 }).toMatch(/Credentials validation failed/);
      await page.screenshot({ path: `${ARTIFACTS}10-provider-validation-error.png` });

      await modal.getByTestId("credential-endpoint_url").fill(`${inject("mockModelUrl")}/v1`);
      await modal.getByTestId("credentials-save").click();
      await modal.waitFor({ state: "detached", timeout: 20_000 });
      await compatible.locator('[data-testid="provider-model-row"][data-model="mock-embedding"]').waitFor();
      expect(await compatible.getAttribute("data-status")).toBe("configured");

      // Editing shows the saved key masked, never in clear.
      await compatible.locator('[data-testid="provider-model-row"][data-model="mock-embedding"]').getByTestId("edit-model").click();
      const masked = page.getByTestId("credentials-modal").getByTestId("credential-api_key");
      await expect.poll(() => masked.inputValue()).toMatch(/^sk-\*+042$/);
      expect(await page.content()).not.toContain(secret);
      await page.getByTestId("credentials-modal").getByTestId("modal-close").click();

      const select = page.getByTestId("default-model-select-text-embedding");
      await select.selectOption("openai_api_compatible/mock-embedding");
      await page.getByTestId("toast").filter({ hasText: "mock-embedding" }).waitFor();
      const saved = await page.evaluate(async () => (await fetch("/console/api/workspaces/current/default-model?model_type=text-embedding", { credentials: "same-origin" })).json());
      expect(saved.data).toMatchObject({ model: "mock-embedding", provider: { provider: "openai_api_compatible" } });
      await expect.poll(() => select.inputValue()).toBe("openai_api_compatible/mock-embedding");
      await page.screenshot({ path: `${ARTIFACTS}11-model-providers.png`, fullPage: true });
    });

    it("creates a dataset with the default embedding model", async () => {
      await page.getByTestId("nav-knowledge").click();
      await page.getByTestId("create-dataset").first().click();
      await page.getByTestId("dataset-name").fill("Bee handbook");
      await page.getByTestId("dataset-description").fill("How the hive works.");
      await expect.poll(() => page.getByTestId("dataset-embedding").inputValue()).toBe("openai_api_compatible/mock-embedding");
      await page.getByTestId("create-dataset-submit").click();
      await page.getByTestId("dataset-title").filter({ hasText: "Bee handbook" }).waitFor();
      expect(await page.getByTestId("dataset-stats").textContent()).toContain("openai_api_compatible / mock-embedding");
      await page.getByTestId("documents-empty").waitFor();
    });

    it("uploads files with progress, and the documents index to completion", async () => {
      const folder = join(tmpdir(), "waggle-e2e-uploads");
      mkdirSync(folder, { recursive: true });
      const handbook = join(folder, "hive-guide.md");
      writeFileSync(
        handbook,
        "# The hive\n\nWorker bees forage for nectar and pollen within three kilometres of the hive.\n\nThe queen lays up to two thousand eggs a day in spring.\n\nDrones exist to mate with a queen from another colony.\n",
      );
      const empty = join(folder, "empty.txt");
      writeFileSync(empty, "");
      const report = join(folder, "swarm-report.pdf");
      writeFileSync(report, minimalPdf(["A swarm leaves the hive with the old queen in late spring."]));
      const memo = join(folder, "apiary-memo.docx");
      writeFileSync(memo, await minimalDocx(["Inspect each hive every nine days during the swarming season."]));
      await page.getByTestId("upload-input").setInputFiles([handbook, empty, report, memo]);

      const item = (name: string) => page.locator(`[data-testid="upload-item"][data-name="${name}"]`);
      // The empty file is refused by the API, and its row says why.
      await item("empty.txt").getByTestId("upload-error").waitFor();
      expect(await item("empty.txt").getByTestId("upload-error").textContent()).toMatch(/empty/);
      const row = page.locator('[data-testid="document-row"]').filter({ hasText: "hive-guide.md" });
      await row.waitFor();
      await expect.poll(() => row.getAttribute("data-status"), { timeout: 45_000 }).toBe("completed");
      expect(await row.getByTestId("document-progress").getAttribute("data-percent")).toBe("100");
      expect(await row.getByTestId("document-status").textContent()).toBe("Available");
      await expect.poll(() => item("hive-guide.md").getByTestId("upload-status").textContent()).toBe("Indexed");
      // The PDF and the Word document index too, each to its own completed row.
      for (const name of ["swarm-report.pdf", "apiary-memo.docx"]) {
        const other = page.locator('[data-testid="document-row"]').filter({ hasText: name });
        await other.waitFor();
        await expect.poll(() => other.getAttribute("data-status"), { timeout: 45_000 }).toBe("completed");
        expect(await other.getByTestId("document-progress").getAttribute("data-percent")).toBe("100");
        await expect.poll(() => item(name).getByTestId("upload-status").textContent()).toBe("Indexed");
      }
      await expect.poll(() => page.getByTestId("dataset-stats").textContent()).toMatch(/^3 documents/);
      await page.screenshot({ path: `${ARTIFACTS}12-dataset-documents.png`, fullPage: true });

      await row.getByTestId("view-chunks").click();
      await page.getByTestId("segment").first().waitFor();
      expect((await page.getByTestId("segment-content").allTextContents()).join("\n")).toContain("queen lays up to two thousand eggs");
      await page.screenshot({ path: `${ARTIFACTS}13-document-chunks.png` });
      await page.getByTestId("segments-modal").getByTestId("modal-close").click();
      // The PDF's text was extracted into its chunk.
      await page.locator('[data-testid="document-row"]').filter({ hasText: "swarm-report.pdf" }).getByTestId("view-chunks").click();
      await page.getByTestId("segment").first().waitFor();
      expect((await page.getByTestId("segment-content").allTextContents()).join("\n")).toContain("A swarm leaves the hive with the old queen");
      await page.getByTestId("segments-modal").getByTestId("modal-close").click();
    });

    it("runs a retrieval test and sees the ranked chunk with its score", async () => {
      await page.getByTestId("dataset-tab-retrieval").click();
      await page.getByTestId("retrieval-query").fill("How many eggs does the queen lay?");
      await page.getByTestId("retrieval-run").click();
      await page.getByTestId("retrieval-record").first().waitFor();
      // The mock's embeddings carry no meaning, so the order is not asserted: the chunk is among the results, scored, best first.
      expect((await page.getByTestId("retrieval-content").allTextContents()).some((text) => text.includes("queen lays"))).toBe(true);
      expect(await page.getByTestId("retrieval-document").first().textContent()).toContain("hive-guide.md");
      const scores = (await page.getByTestId("retrieval-score").allTextContents()).map(Number);
      expect(scores.every((score) => Number.isFinite(score))).toBe(true);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
      await page.screenshot({ path: `${ARTIFACTS}14-retrieval-test.png`, fullPage: true });
    });

    it("deletes the documents and lists the dataset in Knowledge", async () => {
      await page.getByTestId("dataset-tab-documents").click();
      for (let left = 3; left > 0; left--) {
        await page.getByTestId("delete-document").first().click();
        await page.getByTestId("confirm-ok").click();
        if (left > 1) await expect.poll(() => page.getByTestId("document-row").count()).toBe(left - 1);
      }
      await page.getByTestId("documents-empty").waitFor();
      await page.getByTestId("back-to-datasets").click();
      const card = page.getByTestId("dataset-card").filter({ hasText: "Bee handbook" });
      await card.waitFor();
      expect(await card.getByTestId("dataset-card-stats").textContent()).toContain("0 documents");
      await page.screenshot({ path: `${ARTIFACTS}15-knowledge.png` });
    });

    it("shows a plain member the same pages read-only", async () => {
      const member = { email: "reader@example.com", name: "Rita Reader", password: "reader-pass-1" };
      const invited = await page.evaluate(async (email) => {
        const response = await fetch("/console/api/workspaces/current/members/invite-email", {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ emails: [email], role: "normal" }),
        });
        return response.json();
      }, member.email);
      const { context, page: reader, errors: readerErrors } = await signInInvitedMember(browser, base(), invited.invitation_results[0].url, member);
      await reader.getByTestId("nav-settings").click();
      await reader.getByTestId("providers-read-only").waitFor();
      await reader.locator('[data-testid="provider-model-row"][data-model="mock-embedding"]').waitFor();
      expect(await reader.getByTestId("add-model").count()).toBe(0);
      expect(await reader.getByTestId("remove-model").count()).toBe(0);
      expect(await reader.getByTestId("default-model-value-text-embedding").textContent()).toContain("mock-embedding");
      await reader.screenshot({ path: `${ARTIFACTS}16-model-providers-read-only.png` });

      await reader.getByTestId("nav-knowledge").click();
      await reader.getByTestId("dataset-card").filter({ hasText: "Bee handbook" }).getByTestId("dataset-card-link").click();
      await reader.getByTestId("documents-read-only").waitFor();
      expect(await reader.getByTestId("upload-input").count()).toBe(0);
      expect(await reader.getByTestId("create-dataset").count()).toBe(0);
      await context.close();
      expect(readerErrors).toEqual([]);
    });

    it("ran without console errors", () => {
      // The refused empty upload and the failed validation are answered with 400s the pages show.
      expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
    });
  });
}
