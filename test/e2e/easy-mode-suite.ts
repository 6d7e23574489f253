/**
 * The easy-mode editor in Chromium: a chat app is created, given a prompt with a `{{topic}}`
 * variable, that variable, an opening statement and a model served by the mock model server; the
 * debug chat beside the form streams the draft's answer; a reload shows everything saved, a draft
 * saved from another tab is reported rather than overwritten, and the JSON view is a click away.
 * Then a text generator runs with its variables, and an agent gets a tool.
 * Defined as a function and run from console.test.ts; it signs in on its own page.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ARTIFACTS, launchBrowser, OWNER, signInOwner } from "./browser";

const MODEL = "easy-chat";

export function easyModeSuite() {
  describe("easy-mode editor: prompt, variables, model, features and debug chat", () => {
    const base = () => inject("baseUrl");
    let token = "";
    let browser: Browser;
    let page: Page;
    let errors: string[];

    async function consoleApi(path: string, body?: unknown) {
      const response = await fetch(`${base()}/console/api${path}`, {
        method: body === undefined ? "GET" : "POST",
        headers: { "Content-Type": "application/json", Origin: base(), Authorization: `Bearer ${token}` },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${path}: ${response.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    }

    /** The chat requests the mock model server received whose messages mention `text`. */
    async function modelRequestsMentioning(text: string) {
      const { requests } = (await (await fetch(`${inject("mockModelUrl")}/__requests`, { method: "POST" })).json()) as { requests: Array<{ path: string; body: { messages?: Array<{ role: string; content: unknown }> } }> };
      return requests.filter((request) => JSON.stringify(request.body?.messages ?? []).includes(text));
    }

    const saved = () => expect.poll(() => page.getByTestId("save-state").textContent(), { timeout: 10_000 }).toBe("All changes saved");

    async function chooseModel() {
      const picker = page.getByTestId("model-picker");
      await picker.waitFor();
      await picker.selectOption({ label: MODEL });
    }

    beforeAll(async () => {
      browser = await launchBrowser();
      ({ page, errors } = await signInOwner(browser, base(), { width: 1280, height: 800 }));
      page.setDefaultTimeout(15_000);
      const login = await fetch(`${base()}/console/api/login`, { method: "POST", headers: { "Content-Type": "application/json", Origin: base() }, body: JSON.stringify({ email: OWNER.email, password: OWNER.password }) });
      token = (await login.json()).data.access_token;
      await consoleApi("/workspaces/current/model-providers/openai_api_compatible/models", {
        model: MODEL,
        model_type: "llm",
        credentials: { endpoint_url: `${inject("mockModelUrl")}/v1`, api_key: "sk-easy", mode: "chat", context_size: "4096" },
      });
    });

    afterAll(async () => {
      await browser?.close();
    });

    it("builds a chat app in the form, chats with its draft in the debug chat and finds it all saved after a reload", async () => {
      await page.getByTestId("create-app").click();
      await page.getByTestId("app-mode").selectOption("chat");
      await page.getByTestId("app-name").fill("Topic explainer");
      await page.getByTestId("create-app-submit").click();
      await page.getByTestId("app-card").filter({ hasText: "Topic explainer" }).getByTestId("app-card-link").click();
      await page.getByTestId("tab-draft").click();
      await page.getByTestId("easy-mode-editor").waitFor();

      // A {{reference}} in the prompt is highlighted and listed; the form offers to add it.
      await page.getByRole("textbox", { name: "Instructions" }).fill("You explain {{topic}} in one short paragraph.");
      const reference = page.getByTestId("easy-prompt-variable");
      expect(await reference.allTextContents()).toEqual(["topic"]);
      expect(await reference.getAttribute("data-missing")).toBe("true");
      expect(await page.locator(".easy-prompt-backdrop mark").allTextContents()).toEqual(["{{topic}}"]);
      await page.getByTestId("easy-add-missing").click();
      expect(await page.getByTestId("easy-variable-name").inputValue()).toBe("topic");
      expect(await reference.getAttribute("data-missing")).toBe("false");
      await page.getByTestId("easy-variable-label").fill("Topic");
      // Renamed, the variable takes its {{references}} with it once the name field is left.
      await page.getByTestId("easy-variable-name").fill("subject");
      expect(await page.getByRole("textbox", { name: "Instructions" }).inputValue()).toBe("You explain {{topic}} in one short paragraph.");
      await page.getByTestId("easy-variable-name").press("Tab");
      expect(await page.getByRole("textbox", { name: "Instructions" }).inputValue()).toBe("You explain {{subject}} in one short paragraph.");
      await page.getByTestId("easy-variable-name").fill("topic");
      await page.getByTestId("easy-variable-label").click();
      expect(await page.getByRole("textbox", { name: "Instructions" }).inputValue()).toBe("You explain {{topic}} in one short paragraph.");

      // A second variable, moved above the first and removed again.
      await page.getByTestId("easy-variable-add").click();
      await page.getByTestId("easy-variable-name").nth(1).fill("2bad");
      expect(await page.getByTestId("easy-variable-problem").textContent()).toContain("letters");
      await page.getByRole("button", { name: "Move 2bad up" }).click();
      expect(await page.getByTestId("easy-variable-name").first().inputValue()).toBe("2bad");
      await page.getByRole("button", { name: "Remove 2bad" }).click();
      expect(await page.getByTestId("easy-variable").count()).toBe(1);

      await chooseModel();
      await page.getByLabel("Temperature").fill("0.3");
      await page.getByTestId("features-opening-statement").fill("Hello! Name a topic and ask away.");
      await saved();
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: `${ARTIFACTS}60-easy-mode-chat.png`, fullPage: true });

      // The debug chat greets with the draft's opening statement and streams the mock's echo.
      const debug = page.getByTestId("easy-debug");
      expect(await debug.getByTestId("preview-opening").textContent()).toBe("Hello! Name a topic and ask away.");
      await debug.getByTestId("preview-input-topic").fill("honey bees");
      await debug.getByTestId("preview-message").fill("What do they eat?");
      await debug.getByTestId("preview-send").click();
      await expect.poll(() => debug.getByTestId("preview-answer").last().textContent(), { timeout: 20_000 }).toBe("What do they eat?");
      await debug.getByTestId("preview-usage").waitFor();
      // The model got the prompt with the variable filled in, as the system message.
      const [request] = await modelRequestsMentioning("You explain honey bees in one short paragraph.");
      expect(request?.body.messages?.[0]).toEqual({ role: "system", content: "You explain honey bees in one short paragraph." });
      await page.screenshot({ path: `${ARTIFACTS}61-easy-mode-debug-chat.png` });

      await page.reload();
      await page.getByTestId("easy-mode-editor").waitFor();
      expect(await page.getByRole("textbox", { name: "Instructions" }).inputValue()).toBe("You explain {{topic}} in one short paragraph.");
      expect(await page.getByTestId("easy-variable-name").inputValue()).toBe("topic");
      expect(await page.getByTestId("easy-variable-label").inputValue()).toBe("Topic");
      expect(await page.getByTestId("features-opening-statement").inputValue()).toBe("Hello! Name a topic and ask away.");
      expect(await page.getByTestId("model-picker").locator("option:checked").textContent()).toBe(MODEL);
      expect(await page.getByLabel("Temperature").inputValue()).toBe("0.3");
      const appId = new URL(page.url()).pathname.split("/")[2]!;
      const { model_config: config } = await consoleApi(`/apps/${appId}/model-config`);
      expect(config).toMatchObject({
        pre_prompt: "You explain {{topic}} in one short paragraph.",
        user_input_form: [{ "text-input": { variable: "topic", label: "Topic", required: true } }],
        opening_statement: "Hello! Name a topic and ask away.",
        model: { provider: "openai_api_compatible", name: MODEL, mode: "chat", completion_params: { temperature: 0.3 } },
      });

      // The JSON view shows the same draft.
      await page.getByTestId("view-json").click();
      await page.locator('[data-testid="draft-model-config"][data-ready="true"]').waitFor();
      expect(await page.getByTestId("draft-model-config").locator(".cm-content").textContent()).toContain('"pre_prompt": "You explain {{topic}} in one short paragraph."');
      await page.getByTestId("view-form").click();
      await page.getByTestId("easy-mode-editor").waitFor();

      // Another tab saves first: this tab's next edit is refused and says so, and Reload shows theirs.
      const current = await consoleApi(`/apps/${appId}/model-config`);
      await consoleApi(`/apps/${appId}/model-config`, { model_config: { ...current.model_config, opening_statement: "Saved elsewhere." }, hash: current.hash });
      await page.getByTestId("features-opening-statement").fill("Mine, not saved.");
      await page.getByTestId("draft-conflict").waitFor();
      expect(await page.getByTestId("save-state").textContent()).toBe("Not saved");
      expect((await consoleApi(`/apps/${appId}/model-config`)).model_config.opening_statement).toBe("Saved elsewhere.");
      await page.getByTestId("reload-draft").click();
      await expect.poll(() => page.getByTestId("features-opening-statement").inputValue()).toBe("Saved elsewhere.");
      expect(await page.getByTestId("draft-conflict").count()).toBe(0);

      // A narrow window: the debug chat goes under the form, and every field still fits.
      await page.setViewportSize({ width: 560, height: 800 });
      const formBox = (await page.getByTestId("easy-prompt").boundingBox())!;
      const debugBox = (await page.getByTestId("easy-debug").boundingBox())!;
      expect(debugBox.y).toBeGreaterThan(formBox.y + formBox.height);
      expect(formBox.x + formBox.width).toBeLessThanOrEqual(560);
      await page.screenshot({ path: `${ARTIFACTS}62-easy-mode-narrow.png`, fullPage: true });
      await page.setViewportSize({ width: 1280, height: 800 });

      // Keyboard: Tab goes from the prompt to the variables' first control.
      await page.getByRole("textbox", { name: "Instructions" }).focus();
      await page.keyboard.press("Tab");
      const focused = await page.evaluate(() => document.activeElement?.getAttribute("data-testid"));
      expect(focused).toBe("easy-variable-add");
      expect(errors.filter((e) => !e.includes("409"))).toEqual([]);
    });

    it("runs a text generator with its variables and gives it knowledge", async () => {
      const app = await consoleApi("/apps", { name: "Summariser", mode: "completion" });
      const dataset = await consoleApi("/datasets", { name: "Hive notes", indexing_technique: "economy" });
      await page.goto(`${base()}/app/${app.id}/draft`);
      await page.getByTestId("easy-mode-editor").waitFor();
      // A new text generator asks for a query; the prompt adds an audience, as a select.
      expect(await page.getByTestId("easy-variable-name").inputValue()).toBe("query");
      await page.getByRole("textbox", { name: "Prefix prompt" }).fill("Summarise {{query}} for {{audience}}.");
      await page.getByTestId("easy-add-missing").click();
      await page.getByTestId("easy-variable-type").nth(1).selectOption("select");
      await page.getByTestId("easy-variable-options").fill("children\nexperts");
      await chooseModel();
      await page.getByLabel("Max tokens").fill("200");
      await saved();

      const run = page.getByTestId("easy-debug");
      await run.getByTestId("preview-input-query").fill("how hives stay warm");
      await run.getByTestId("preview-input-audience").selectOption("children");
      await run.getByTestId("preview-send").click();
      await expect.poll(() => run.getByTestId("preview-answer").last().textContent(), { timeout: 20_000 }).toBe("Summarise how hives stay warm for children.");
      // "More like this" shows once the feature is on, and adds another answer from the same inputs.
      expect(await run.getByTestId("preview-more-like-this").count()).toBe(0);
      await page.getByTestId("feature-more_like_this-toggle").check();
      await saved();
      await run.getByTestId("preview-more-like-this").first().click();
      await expect.poll(() => run.getByTestId("preview-answer").count()).toBe(2);
      await expect.poll(() => run.getByTestId("preview-answer").last().textContent(), { timeout: 20_000 }).toBe("Summarise how hives stay warm for children.");
      await page.screenshot({ path: `${ARTIFACTS}63-easy-mode-completion.png`, fullPage: true });

      // Knowledge, searched with the query variable (the runtime's shape of dataset_configs).
      await page.getByTestId("easy-dataset-add").selectOption({ label: "Hive notes" });
      expect(await page.getByTestId("easy-dataset").textContent()).toContain("Hive notes");
      await page.getByTestId("easy-dataset-query-variable").selectOption("query");
      await page.getByTestId("easy-top-k").fill("2");
      await saved();

      const { model_config: config } = await consoleApi(`/apps/${app.id}/model-config`);
      expect(config.user_input_form).toEqual([
        { paragraph: expect.objectContaining({ variable: "query", required: true }) },
        { select: expect.objectContaining({ variable: "audience", options: ["children", "experts"] }) },
      ]);
      expect(config.model.completion_params).toEqual({ max_tokens: 200 });
      expect(config.dataset_query_variable).toBe("query");
      expect(config.dataset_configs).toMatchObject({ top_k: 2, datasets: { datasets: [{ dataset: { enabled: true, id: dataset.id } }] } });
      expect(config.more_like_this).toEqual({ enabled: true });
    });

    it("gives an agent a tool from the workspace's tools, and says why it cannot run without a model", async () => {
      const app = await consoleApi("/apps", { name: "Tool agent", mode: "agent-chat" });
      await page.goto(`${base()}/app/${app.id}/draft`);
      await page.getByTestId("easy-mode-editor").waitFor();
      // With no model chosen, the debug chat shows the server's (Dify's) reason.
      const debug = page.getByTestId("easy-debug");
      await debug.getByTestId("preview-message").fill("What time is it?");
      await debug.getByTestId("preview-send").click();
      await expect.poll(() => debug.getByTestId("preview-error").textContent()).toContain("No model is configured for this app");

      const adder = page.getByTestId("easy-tool-add").getByTestId("tool-picker");
      await adder.waitFor();
      const option = adder.locator("optgroup option").first();
      const label = (await option.textContent())!;
      await adder.selectOption({ label });
      await page.getByTestId("easy-tool").waitFor();
      await page.getByTestId("easy-agent-strategy").selectOption("react");
      await page.getByTestId("easy-agent-max-iteration").fill("3");
      await saved();
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: `${ARTIFACTS}64-easy-mode-agent.png`, fullPage: true });
      const { model_config: config } = await consoleApi(`/apps/${app.id}/model-config`);
      expect(config.agent_mode).toMatchObject({ enabled: true, strategy: "react", max_iteration: 3 });
      expect(config.agent_mode.tools).toHaveLength(1);
      expect(config.agent_mode.tools[0]).toMatchObject({ enabled: true, tool_label: label });
      expect(config.agent_mode.tools[0].tool_name).toBeTruthy();
    });

    it("moderates a chat app by keywords: a flagged message gets the preset reply, a flagged answer is replaced; OpenAI Moderation is a choice away", async () => {
      const before = errors.length;
      const app = await consoleApi("/apps", { name: "Moderated chat", mode: "chat" });
      await page.goto(`${base()}/app/${app.id}/draft`);
      await page.getByTestId("easy-mode-editor").waitFor();
      await chooseModel();
      const feature = page.getByTestId("feature-moderation");
      await feature.getByTestId("feature-moderation-toggle").check();
      // Turned on with nothing filled in, it says what publishing waits for.
      expect(await feature.getByTestId("moderation-problem").textContent()).toContain("keywords are required");
      await feature.getByTestId("moderation-keywords").fill("hornet\nwasp");
      await feature.getByTestId("moderation-inputs-reply").fill("Let's talk about bees instead.");
      await feature.getByTestId("moderation-outputs").check();
      await feature.getByTestId("moderation-outputs-reply").fill("[answer removed]");
      expect(await feature.getByTestId("moderation-problem").count()).toBe(0);
      await saved();

      const debug = page.getByTestId("easy-debug");
      await debug.getByTestId("preview-message").fill("Tell me about hornets");
      await debug.getByTestId("preview-send").click();
      await expect.poll(() => debug.getByTestId("preview-answer").last().textContent(), { timeout: 20_000 }).toBe("Let's talk about bees instead.");
      expect(await modelRequestsMentioning("Tell me about hornets")).toHaveLength(0);

      // With only the answer checked, the mock's echo of the message is what gets replaced.
      await feature.getByTestId("moderation-inputs").uncheck();
      await saved();
      await debug.getByTestId("preview-message").fill("A wasp flew by");
      await debug.getByTestId("preview-send").click();
      await expect.poll(() => debug.getByTestId("preview-answer").last().textContent(), { timeout: 20_000 }).toBe("[answer removed]");
      expect(await modelRequestsMentioning("A wasp flew by")).toHaveLength(1);
      await feature.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${ARTIFACTS}71-easy-mode-moderation.png` });
      const { model_config: config } = await consoleApi(`/apps/${app.id}/model-config`);
      expect(config.sensitive_word_avoidance).toEqual({
        enabled: true,
        type: "keywords",
        config: { keywords: "hornet\nwasp", inputs_config: { enabled: false, preset_response: "Let's talk about bees instead." }, outputs_config: { enabled: true, preset_response: "[answer removed]" } },
      });

      // OpenAI Moderation needs no keywords; the replies carry over.
      await feature.getByTestId("moderation-type").selectOption("openai_moderation");
      await feature.getByTestId("moderation-openai-hint").waitFor();
      expect(await feature.getByTestId("moderation-keywords").count()).toBe(0);
      await saved();
      const { model_config: switched } = await consoleApi(`/apps/${app.id}/model-config`);
      expect(switched.sensitive_word_avoidance).toEqual({
        enabled: true,
        type: "openai_moderation",
        config: { inputs_config: { enabled: false, preset_response: "Let's talk about bees instead." }, outputs_config: { enabled: true, preset_response: "[answer removed]" } },
      });
      expect(errors.slice(before)).toEqual([]);
    });
  });
}
