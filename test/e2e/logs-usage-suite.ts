/**
 * The Logs tab and Settings → Usage in a browser: a workflow and a chatflow, each published and
 * called through the service API by an end user, then read back in the console — the run with its
 * nodes, the conversation with its messages and the run behind one — and the month's usage, where
 * the owner sets a token quota and removes it again; and the Overview's charts of activity per day.
 * Defined as a function and run from console.test.ts; it signs in on its own page.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ARTIFACTS, consoleCaller, launchBrowser, signInOwner, signInInvitedMember, watchErrors } from "./browser";

const MODEL = { provider: "openai_api_compatible", name: "logs-chat", mode: "chat", completion_params: {} };

const edge = (source: string, target: string) => ({ id: `${source}-${target}`, source, target, sourceHandle: "source", targetHandle: "target" });

const workflowGraph = {
  nodes: [
    { id: "start", type: "custom", position: { x: 0, y: 0 }, data: { type: "start", title: "Start", variables: [{ variable: "topic", label: "Topic", type: "text-input", required: true }] } },
    { id: "llm", type: "custom", position: { x: 300, y: 0 }, data: { type: "llm", title: "Write summary", model: MODEL, prompt_template: [{ role: "user", text: "{{#start.topic#}}" }] } },
    { id: "end", type: "custom", position: { x: 600, y: 0 }, data: { type: "end", title: "End", outputs: [{ variable: "summary", value_selector: ["llm", "text"] }] } },
  ],
  edges: [edge("start", "llm"), edge("llm", "end")],
};

const chatflowGraph = {
  nodes: [
    { id: "start", type: "custom", position: { x: 0, y: 0 }, data: { type: "start", title: "Start", variables: [] } },
    { id: "llm", type: "custom", position: { x: 300, y: 0 }, data: { type: "llm", title: "Reply", model: MODEL, prompt_template: [{ role: "system", text: "Repeat after me." }], memory: { window: { enabled: true, size: 5 }, query_prompt_template: "{{#sys.query#}}" } } },
    { id: "answer", type: "custom", position: { x: 600, y: 0 }, data: { type: "answer", title: "Answer", answer: "{{#llm.text#}}" } },
  ],
  edges: [edge("start", "llm"), edge("llm", "answer")],
};

export function logsUsageSuite() {
  describe("logs and usage pages", () => {
    const base = () => inject("baseUrl");
    let browser: Browser;
    let page: Page;
    let errors: string[];
    let workflowId = "";
    let chatflowId = "";

    /** A console call from the signed-in page (the session cookie rides along). */
    let consoleCall: ReturnType<typeof consoleCaller>;

    /** A published app of `mode` with `graph`, and a service API key for it. */
    const publishedApp = async (name: string, mode: string, graph: object) => {
      const app = await consoleCall("POST", "/apps", { name, mode });
      const draft = await consoleCall("GET", `/apps/${app.id}/workflows/draft`);
      await consoleCall("POST", `/apps/${app.id}/workflows/draft`, { graph, hash: draft.hash });
      await consoleCall("POST", `/apps/${app.id}/workflows/publish`, {});
      const key = await consoleCall("POST", `/apps/${app.id}/api-keys`);
      return { id: app.id as string, key: key.token as string };
    };

    const service = async (key: string, path: string, body: object) => {
      const response = await fetch(`${base()}/v1${path}`, { method: "POST", headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" }, body: JSON.stringify(body) });
      const text = await response.text();
      expect(response.status, text).toBe(200);
      return text;
    };

    beforeAll(async () => {
      browser = await launchBrowser();
      ({ page, errors } = await signInOwner(browser, base()));
      consoleCall = consoleCaller(page);
      await consoleCall("POST", "/workspaces/current/model-providers/openai_api_compatible/models", {
        model: MODEL.name,
        model_type: "llm",
        credentials: { endpoint_url: `${inject("mockModelUrl")}/v1`, api_key: "sk-e2e-logs", mode: "chat", context_size: "4096" },
      });
    });

    afterAll(async () => {
      await browser?.close();
    });

    it("lists a workflow's run with who started it, filters and searches, and opens its nodes", async () => {
      const workflow = await publishedApp("Hive summarizer", "workflow", workflowGraph);
      workflowId = workflow.id;
      await service(workflow.key, "/workflows/run", { inputs: { topic: "bees dance to share where flowers are" }, user: "reader-42", response_mode: "blocking" });

      await page.goto(`${base()}/app/${workflowId}/overview`);
      await page.getByTestId("tab-logs").click();
      const row = page.getByTestId("run-log-row");
      await row.first().waitFor();
      expect(await row.count()).toBe(1);
      expect(await row.getAttribute("data-status")).toBe("succeeded");
      expect(await row.getByTestId("run-log-who").textContent()).toBe("reader-42");
      expect(await row.getByTestId("run-log-trigger").textContent()).toBe("API / web app");
      // The mock model counts words: 7 in, the same 7 echoed back.
      expect(await row.getByTestId("run-log-tokens").textContent()).toBe("14");
      await page.screenshot({ path: `${ARTIFACTS}20-logs-workflow-runs.png` });

      await page.getByTestId("run-status-filter-failed").click();
      await page.getByTestId("runs-empty").waitFor();
      expect(await page.getByTestId("runs-empty").textContent()).toContain("No runs match");
      await page.screenshot({ path: `${ARTIFACTS}20-logs-no-match.png` });
      await page.getByTestId("run-status-filter-all").click();
      await row.first().waitFor();
      await page.getByTestId("run-search").fill("no such words anywhere");
      await page.getByTestId("runs-empty").waitFor();
      await page.getByTestId("run-search").fill("flowers");
      await row.first().waitFor();

      await row.getByTestId("run-log-open").click();
      const detail = page.getByTestId("run-detail");
      await detail.getByTestId("node-log-row").first().waitFor();
      expect(new URL(page.url()).search).toMatch(/^\?run=/);
      expect(await detail.getAttribute("data-status")).toBe("succeeded");
      expect(await page.getByTestId("run-detail-who").textContent()).toBe("reader-42");
      expect(JSON.parse((await page.getByTestId("run-detail-inputs").textContent())!)).toMatchObject({ topic: "bees dance to share where flowers are" });
      expect(JSON.parse((await page.getByTestId("run-detail-outputs").textContent())!)).toEqual({ summary: "bees dance to share where flowers are" });
      const nodes = page.getByTestId("node-log-row");
      expect(await nodes.evaluateAll((rows) => rows.map((r) => `${r.getAttribute("data-node-type")}:${r.getAttribute("data-status")}`))).toEqual(["start:succeeded", "llm:succeeded", "end:succeeded"]);
      const llm = nodes.filter({ hasText: "Write summary" });
      expect(await llm.getByTestId("node-log-tokens").textContent()).toBe("14 tokens");
      await llm.getByTestId("node-log-toggle").click();
      await llm.getByTestId("node-log-outputs").waitFor();
      expect(JSON.parse((await llm.getByTestId("node-log-outputs").textContent())!)).toMatchObject({ text: "bees dance to share where flowers are" });
      expect(await llm.getByTestId("node-log-process-data").textContent()).toContain("prompts");
      await page.screenshot({ path: `${ARTIFACTS}21-logs-run-detail.png`, fullPage: true });
      await page.getByTestId("back-to-logs").click();
      await page.getByTestId("run-log-list").waitFor();
    });

    it("lists a chatflow's conversation, shows its messages and opens the run behind one", async () => {
      const chatflow = await publishedApp("Echo flow", "advanced-chat", chatflowGraph);
      chatflowId = chatflow.id;
      const first = await service(chatflow.key, "/chat-messages", { query: "queens lay eggs", inputs: {}, user: "visitor-7", response_mode: "streaming" });
      const started = JSON.parse(first.split("\n").find((line) => line.startsWith("data: "))!.slice(6));
      await service(chatflow.key, "/chat-messages", { query: "drones do not sting", inputs: {}, user: "visitor-7", conversation_id: started.conversation_id, response_mode: "streaming" });
      await service(chatflow.key, `/messages/${started.message_id}/feedbacks`, { rating: "like", user: "visitor-7" });

      await page.goto(`${base()}/app/${chatflowId}/logs`);
      const row = page.getByTestId("conversation-row");
      await row.first().waitFor();
      expect(await row.count()).toBe(1);
      expect(await row.getByTestId("conversation-who").textContent()).toBe("visitor-7");
      await expect.poll(() => row.getByTestId("conversation-message-count").textContent()).toBe("2");
      await page.screenshot({ path: `${ARTIFACTS}22-logs-conversations.png` });

      await row.getByTestId("conversation-name").click();
      const messages = page.getByTestId("message-log");
      await expect.poll(() => messages.count()).toBe(2);
      expect(await page.getByTestId("conversation-title").textContent()).toBe("queens lay eggs");
      expect(await page.getByTestId("conversation-detail-who").textContent()).toBe("visitor-7");
      expect(await page.getByTestId("message-query").allTextContents()).toEqual(["queens lay eggs", "drones do not sting"]);
      expect(await page.getByTestId("message-answer").allTextContents()).toEqual(["queens lay eggs", "drones do not sting"]);
      expect(await messages.first().getByTestId("message-feedback").getAttribute("data-rating")).toBe("like");
      expect(await messages.first().getByTestId("message-tokens").textContent()).toMatch(/^\d+ tokens/);
      await page.screenshot({ path: `${ARTIFACTS}23-logs-messages.png`, fullPage: true });

      await messages.nth(1).getByTestId("message-run-link").click();
      await page.getByTestId("node-log-row").first().waitFor();
      expect(await page.getByTestId("node-log-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-node-type")))).toEqual(["start", "llm", "answer"]);
      expect(await page.getByTestId("run-detail-who").textContent()).toBe("visitor-7");
      await page.getByTestId("back-to-logs").click();
      await expect.poll(() => page.getByTestId("message-log").count()).toBe(2);
    });

    it("keeps a chat app's annotations on its Logs tab: add, edit, search, answer from one, delete", async () => {
      await page.goto(`${base()}/app/${chatflowId}/logs`);
      await page.getByTestId("logs-view-annotations").click();
      const panel = page.getByTestId("annotations-panel");
      await panel.getByTestId("annotations-empty").waitFor();
      await panel.getByTestId("annotation-add").click();
      await panel.getByTestId("annotation-form-question").fill("Who lays the eggs?");
      await panel.getByTestId("annotation-form-answer").fill("The queen.");
      await panel.getByTestId("annotation-form-save").click();
      const row = panel.getByTestId("annotation-row");
      await row.first().waitFor();
      expect(await row.getByTestId("annotation-question").textContent()).toBe("Who lays the eggs?");
      await row.getByTestId("annotation-edit").click();
      await panel.getByTestId("annotation-form-answer").fill("The queen, up to 2,000 a day.");
      await panel.getByTestId("annotation-form-save").click();
      await expect.poll(() => row.getByTestId("annotation-answer").textContent()).toBe("The queen, up to 2,000 a day.");
      await panel.getByTestId("annotation-search").fill("drones");
      await panel.getByTestId("annotation-search").press("Enter");
      await panel.getByTestId("annotations-empty").waitFor();
      await panel.getByTestId("annotation-search").fill("queen");
      await panel.getByTestId("annotation-search").press("Enter");
      await row.first().waitFor();

      // Annotation reply on, with the built-in embedder: the same question is answered from the annotation.
      const reply = panel.getByTestId("annotation-reply");
      expect(await reply.getAttribute("data-enabled")).toBe("false");
      await reply.getByTestId("annotation-threshold").fill("0.8");
      await reply.getByTestId("annotation-embedding").selectOption("waggle/hashing-lexical-v1");
      await reply.getByTestId("annotation-reply-toggle").click();
      await expect.poll(() => reply.getAttribute("data-enabled"), { timeout: 20_000 }).toBe("true");
      const chatflowKey = (await consoleCall("POST", `/apps/${chatflowId}/api-keys`)).token as string;
      const answered = await service(chatflowKey, "/chat-messages", { query: "Who lays the eggs?", inputs: {}, user: "visitor-8", response_mode: "blocking" });
      expect(JSON.parse(answered).answer).toBe("The queen, up to 2,000 a day.");
      await page.reload();
      await expect.poll(() => row.getByTestId("annotation-hits").textContent()).toBe("1");
      await page.screenshot({ path: `${ARTIFACTS}30-logs-annotations.png`, fullPage: true });

      await reply.getByTestId("annotation-reply-toggle").click();
      await expect.poll(() => reply.getAttribute("data-enabled"), { timeout: 20_000 }).toBe("false");
      await row.getByTestId("annotation-delete").click();
      await page.getByTestId("confirm-ok").click();
      await panel.getByTestId("annotations-empty").waitFor();
    });

    it("charts each app's activity per day on its Overview, for the last 7 or 30 days", async () => {
      await page.goto(`${base()}/app/${chatflowId}/overview`);
      const monitoring = page.getByTestId("app-monitoring");
      await monitoring.locator('[data-testid="chart-calls-canvas"][data-drawn="true"]').waitFor();
      // Three messages through the API (one answered from an annotation); none from the console.
      expect(await monitoring.getByTestId("chart-calls-figure").textContent()).toBe("3");
      expect(await monitoring.getByTestId("chart-calls").locator("h3").textContent()).toBe("Messages");
      expect(Number((await monitoring.getByTestId("chart-tokens-figure").textContent())!.replace(/,/g, ""))).toBeGreaterThan(0);
      expect(await monitoring.getByTestId("chart-errors-figure").textContent()).toBe("0");
      expect(await monitoring.getByTestId("chart-latency-figure").textContent()).toMatch(/^p50 \d+(\.\d)? m?s · p95 \d+(\.\d)? m?s$/);
      expect(await monitoring.locator("canvas").count()).toBe(5);
      await page.screenshot({ path: `${ARTIFACTS}26-overview-monitoring-chatflow.png`, fullPage: true });

      await page.goto(`${base()}/app/${workflowId}/overview`);
      await monitoring.locator('[data-testid="chart-calls-canvas"][data-drawn="true"]').waitFor();
      expect(await monitoring.getByTestId("chart-calls").locator("h3").textContent()).toBe("Runs");
      expect(await monitoring.getByTestId("chart-calls-figure").textContent()).toBe("1");
      expect(await monitoring.getByTestId("chart-tokens-figure").textContent()).toBe("14");
      await monitoring.getByTestId("monitoring-30d").click();
      await expect.poll(() => monitoring.getAttribute("data-days")).toBe("30");
      expect(await monitoring.getByTestId("chart-calls-figure").textContent()).toBe("1");
      await page.screenshot({ path: `${ARTIFACTS}27-overview-monitoring-workflow-30d.png`, fullPage: true });
    });

    it("shows this month's usage per app and model, and the owner sets and removes a quota", async () => {
      await page.getByTestId("nav-settings").click();
      await page.getByTestId("settings-usage").click();
      const section = page.getByTestId("usage-section");
      await section.getByTestId("usage-by-app").waitFor();
      const tokens = Number((await page.getByTestId("usage-tokens").textContent())!.replace(/,/g, ""));
      expect(tokens).toBeGreaterThan(0);
      expect(await page.getByTestId("usage-quota").textContent()).toContain("no monthly limit");
      for (const id of [workflowId, chatflowId]) await page.locator(`[data-testid="usage-app-row"][data-key="${id}"]`).waitFor();
      expect(Number((await page.locator(`[data-testid="usage-app-row"][data-key="${workflowId}"]`).getByTestId("usage-app-row-tokens").textContent())!.replace(/,/g, ""))).toBe(14);
      await page.locator(`[data-testid="usage-model-row"][data-key="${MODEL.name}"]`).waitFor();

      await page.getByTestId("quota-input").fill("12.5");
      await page.getByTestId("quota-save").click();
      expect(await page.getByTestId("quota-error").textContent()).toMatch(/whole number/);
      await page.getByTestId("quota-input").fill("1,000,000");
      await page.getByTestId("quota-save").click();
      await page.getByTestId("toast").filter({ hasText: "1,000,000" }).waitFor();
      expect(await page.getByTestId("usage-quota").textContent()).toContain("of 1,000,000 tokens");
      await page.getByTestId("usage-bar").waitFor();
      // A few dozen tokens of a million are not called "0%".
      expect(await page.getByTestId("usage-left").textContent()).toBe(`<0.1% used · ${(1_000_000 - tokens).toLocaleString("en-US")} tokens left this month`);
      expect((await consoleCall("GET", "/workspaces/current/usage")).monthly_token_quota).toBe(1_000_000);
      // Per day: today holds every call so far this month.
      const daily = page.getByTestId("usage-daily");
      await daily.locator('[data-testid="usage-chart-tokens-canvas"][data-drawn="true"]').waitFor();
      expect(await daily.getAttribute("data-days")).toBe("30");
      expect(Number((await daily.getByTestId("usage-chart-tokens-figure").textContent())!.replace(/,/g, ""))).toBe(tokens);
      await daily.getByTestId("usage-daily-7d").click();
      await expect.poll(() => daily.getAttribute("data-days")).toBe("7");
      expect(Number((await daily.getByTestId("usage-chart-tokens-figure").textContent())!.replace(/,/g, ""))).toBe(tokens);
      await page.screenshot({ path: `${ARTIFACTS}24-settings-usage.png`, fullPage: true });

      await page.getByTestId("quota-clear").click();
      await page.getByTestId("toast").filter({ hasText: "removed" }).waitFor();
      await expect.poll(() => page.getByTestId("usage-bar").count()).toBe(0);
      expect((await consoleCall("GET", "/workspaces/current/usage")).monthly_token_quota).toBeNull();
    });

    it("shows a plain member the run logs and usage read-only, and no conversation logs", async () => {
      const member = { email: "logs-reader@example.com", name: "Lena Reader", password: "reader-pass-2" };
      const invited = await consoleCall("POST", "/workspaces/current/members/invite-email", { emails: [member.email], role: "normal" });
      const { context, page: reader, errors: readerErrors } = await signInInvitedMember(browser, base(), invited.invitation_results[0].url, member);
      await reader.getByTestId("app-list").waitFor();
      await reader.goto(`${base()}/app/${workflowId}/logs`);
      await reader.getByTestId("run-log-row").first().waitFor();
      await reader.goto(`${base()}/app/${chatflowId}/overview`);
      await reader.getByTestId("tab-overview").waitFor();
      expect(await reader.getByTestId("tab-logs").count()).toBe(0);
      await reader.goto(`${base()}/settings/usage`);
      await reader.getByTestId("quota-read-only").waitFor();
      expect(await reader.getByTestId("quota-form").count()).toBe(0);
      expect(Number((await reader.getByTestId("usage-tokens").textContent())!.replace(/,/g, ""))).toBeGreaterThan(0);
      await reader.screenshot({ path: `${ARTIFACTS}25-settings-usage-read-only.png` });
      await context.close();
      expect(readerErrors).toEqual([]);
    });

    it("ran without console errors", () => {
      expect(errors).toEqual([]);
    });
  });
}
