/**
 * Published web apps in a browser: the console's Web app card gives the link and embed snippet; a
 * visitor chats on `/chat/{code}` on a phone-sized screen (opening statement, suggested question,
 * streamed markdown answer, stop, rename and delete a conversation), runs a workflow on
 * `/workflow/{code}` and watches its nodes, and chats through the embed bubble on a plain HTML page
 * served from another origin.
 * Defined as a function and run from console.test.ts; it signs in on its own page.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ARTIFACTS, consoleCaller, launchBrowser, signInOwner, waitForOrExplain, watchErrors } from "./browser";

const MODEL = { provider: "openai_api_compatible", name: "webapp-chat", mode: "chat", completion_params: {} };
const edge = (source: string, target: string) => ({ id: `${source}-${target}`, source, target, sourceHandle: "source", targetHandle: "target" });

const workflowGraph = {
  nodes: [
    { id: "start", type: "custom", position: { x: 0, y: 0 }, data: { type: "start", title: "Start", variables: [{ variable: "topic", label: "Topic", type: "text-input", required: true }] } },
    { id: "tpl", type: "custom", position: { x: 300, y: 0 }, data: { type: "template-transform", title: "Write line", variables: [{ variable: "topic", value_selector: ["start", "topic"] }], template: "## Notes\n\nBees and **{{ topic }}**." } },
    { id: "end", type: "custom", position: { x: 600, y: 0 }, data: { type: "end", title: "End", outputs: [{ variable: "text", value_selector: ["tpl", "output"] }] } },
  ],
  edges: [edge("start", "tpl"), edge("tpl", "end")],
};

export function webAppSuite() {
  describe("published web apps", () => {
    const base = () => inject("baseUrl");
    let browser: Browser;
    let page: Page;
    let errors: string[];
    let chatUrl = "";
    let chatCode = "";
    let embedScript = "";
    let host: Server | undefined;

    let consoleCall: ReturnType<typeof consoleCaller>;

    beforeAll(async () => {
      browser = await launchBrowser();
      ({ page, errors } = await signInOwner(browser, base()));
      consoleCall = consoleCaller(page);
      await consoleCall("POST", "/workspaces/current/model-providers/openai_api_compatible/models", {
        model: MODEL.name,
        model_type: "llm",
        credentials: { endpoint_url: `${inject("mockModelUrl")}/v1`, api_key: "sk-e2e-webapp", mode: "chat", context_size: "4096" },
      });
    });

    afterAll(async () => {
      host?.close();
      await browser?.close();
    });

    it("shows the web app link and embed snippet on the app's overview", async () => {
      const app = await consoleCall("POST", "/apps", { name: "Bee Buddy", mode: "chat" });
      const draft = await consoleCall("GET", `/apps/${app.id}/model-config`);
      await consoleCall("POST", `/apps/${app.id}/model-config`, {
        model_config: { ...draft.model_config, model: MODEL, pre_prompt: "Repeat after me.", opening_statement: "Hi! I repeat what you say, in **markdown**.", suggested_questions: ["Tell me about *bees*"] },
        hash: draft.hash,
      });
      await consoleCall("POST", `/apps/${app.id}/workflows/publish`, {});
      await page.goto(`${base()}/app/${app.id}/overview`);
      const card = page.getByTestId("web-app-card");
      await card.getByTestId("web-app-url").waitFor();
      chatUrl = (await card.getByTestId("web-app-url").getAttribute("href"))!;
      expect(chatUrl).toMatch(new RegExp(`^${base()}/chat/[A-Za-z0-9]{16}$`));
      chatCode = chatUrl.split("/").pop()!;
      embedScript = (await card.getByTestId("embed-script").textContent())!;
      expect(embedScript).toContain(`window.difyChatbotConfig = { token: '${chatCode}', baseUrl: '${base()}' }`);
      expect(await card.getByTestId("web-app-enabled").isChecked()).toBe(true);
      await card.screenshot({ path: `${ARTIFACTS}30-web-app-card.png` });
    });

    it("lets a visitor chat on /chat/{code} on a phone: streamed markdown, suggestions, stop, rename and delete", async () => {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      const visitor = await context.newPage();
      const visitorErrors = watchErrors(visitor);
      await visitor.goto(chatUrl);
      await visitor.locator(".wa-welcome").waitFor();
      expect(await visitor.locator(".wa-welcome .wa-answer strong").textContent()).toBe("markdown");
      await visitor.screenshot({ path: `${ARTIFACTS}31-web-chat-welcome-phone.png` });

      // A suggested question is sent as the first message; the mock model repeats it.
      await visitor.getByRole("button", { name: "Tell me about *bees*" }).click();
      const answer = visitor.locator(".wa-turn .wa-answer").first();
      await expect.poll(() => answer.locator("em").textContent().catch(() => null), { timeout: 20_000 }).toBe("bees");
      await visitor.locator(".wa-feedback").first().waitFor();
      await visitor.getByTitle("Good answer").click();
      await expect.poll(() => visitor.getByTitle("Good answer").getAttribute("aria-pressed")).toBe("true");

      await visitor.getByLabel("Message").fill("Second **turn** here");
      await visitor.keyboard.press("Enter");
      await expect.poll(() => visitor.locator(".wa-turn .wa-answer strong").last().textContent().catch(() => null), { timeout: 20_000 }).toBe("turn");
      await visitor.screenshot({ path: `${ARTIFACTS}32-web-chat-answers-phone.png` });

      // Reload: the same visitor (passport and cookie) sees the conversation in the list.
      await visitor.reload();
      await visitor.getByRole("button", { name: "Conversations" }).click();
      const item = visitor.locator(".wa-conversations li");
      await expect.poll(() => item.count()).toBe(1);
      visitor.once("dialog", (dialog) => void dialog.accept("Bee talk"));
      await item.getByRole("button", { name: /^Rename/ }).click();
      await expect.poll(() => item.locator(".wa-conversation").textContent()).toBe("Bee talk");
      await item.locator(".wa-conversation").click();
      await expect.poll(() => visitor.locator(".wa-turn").count()).toBe(2);
      await visitor.getByRole("button", { name: "Conversations" }).click();
      await visitor.screenshot({ path: `${ARTIFACTS}33-web-chat-conversations-phone.png` });
      visitor.once("dialog", (dialog) => void dialog.accept());
      await item.getByRole("button", { name: /^Delete/ }).click();
      await expect.poll(() => item.count()).toBe(0);

      // A slow answer can be stopped.
      const mock = inject("mockModelUrl");
      await fetch(`${mock}/__script`, { method: "POST", body: JSON.stringify({ replies: [{ text: "one two three four five six seven eight nine ten eleven twelve", chunkDelayMs: 400 }] }) });
      await visitor.getByRole("button", { name: "New chat", exact: true }).click();
      await visitor.getByLabel("Message").fill("Count slowly");
      await visitor.keyboard.press("Enter");
      await visitor.locator(".wa-stop").waitFor();
      await expect.poll(() => visitor.locator(".wa-turn .wa-answer").last().textContent(), { timeout: 20_000 }).toMatch(/one/);
      await visitor.locator(".wa-stop").click();
      await visitor.locator(".wa-send").waitFor();
      const stopped = (await visitor.locator(".wa-turn .wa-answer").last().textContent()) ?? "";
      expect(stopped).not.toContain("twelve");
      expect(visitorErrors).toEqual([]);
      await context.close();
    });

    it("runs a workflow on /workflow/{code} and shows each node's progress and the result", async () => {
      const app = await consoleCall("POST", "/apps", { name: "Hive Notes", mode: "workflow" });
      const draft = await consoleCall("GET", `/apps/${app.id}/workflows/draft`);
      await consoleCall("POST", `/apps/${app.id}/workflows/draft`, { graph: workflowGraph, hash: draft.hash });
      await consoleCall("POST", `/apps/${app.id}/workflows/publish`, {});
      const site = await consoleCall("GET", `/apps/${app.id}/site`);
      expect(site.web_app_url).toMatch(/\/workflow\/[A-Za-z0-9]{16}$/);
      const visitor = await browser.newPage({ viewport: { width: 1100, height: 760 } });
      const visitorErrors = watchErrors(visitor);
      await visitor.goto(site.web_app_url);
      await waitForOrExplain(visitor, visitor.getByRole("button", { name: "Run" }), visitorErrors);
      await visitor.getByRole("button", { name: "Run" }).click();
      expect(await visitor.locator(".wa-error").textContent()).toBe("Fill in “Topic” first.");
      await visitor.getByLabel("Topic").fill("clover");
      await visitor.getByRole("button", { name: "Run" }).click();
      await expect.poll(() => visitor.locator(".wa-result").getAttribute("data-status"), { timeout: 20_000 }).toBe("succeeded");
      const steps = await visitor.locator(".wa-step").evaluateAll((items) => items.map((item) => item.className.replace("wa-step wa-step-", "")));
      expect(steps).toEqual(["succeeded", "succeeded", "succeeded"]);
      expect(await visitor.locator(".wa-result h2").textContent()).toBe("Notes");
      expect(await visitor.locator(".wa-result strong").textContent()).toBe("clover");
      await visitor.screenshot({ path: `${ARTIFACTS}34-web-workflow-run.png` });
      expect(visitorErrors).toEqual([]);
      await visitor.close();
    });

    it("generates text on /completion/{code}, and More like this adds another answer from the same inputs", async () => {
      const app = await consoleCall("POST", "/apps", { name: "Bee Writer", mode: "completion" });
      const draft = await consoleCall("GET", `/apps/${app.id}/model-config`);
      await consoleCall("POST", `/apps/${app.id}/model-config`, {
        model_config: { ...draft.model_config, model: MODEL, pre_prompt: "Write about {{topic}}.", user_input_form: [{ "text-input": { variable: "topic", label: "Topic", required: true } }], more_like_this: { enabled: true } },
        hash: draft.hash,
      });
      await consoleCall("POST", `/apps/${app.id}/workflows/publish`, {});
      const site = await consoleCall("GET", `/apps/${app.id}/site`);
      expect(site.web_app_url).toMatch(/\/completion\/[A-Za-z0-9]{16}$/);
      const visitor = await browser.newPage({ viewport: { width: 1100, height: 760 } });
      const visitorErrors = watchErrors(visitor);
      await visitor.goto(site.web_app_url);
      await waitForOrExplain(visitor, visitor.getByLabel("Topic"), visitorErrors);
      await visitor.getByLabel("Topic").fill("clover");
      await visitor.getByRole("button", { name: "Run" }).click();
      await expect.poll(() => visitor.locator(".wa-result").getAttribute("data-status"), { timeout: 20_000 }).toBe("succeeded");
      expect(await visitor.locator(".wa-result > .wa-markdown").textContent()).toContain("Write about clover.");
      await visitor.getByRole("button", { name: "More like this" }).click();
      await expect.poll(() => visitor.locator(".wa-alternative").first().getAttribute("data-status"), { timeout: 20_000 }).toBe("succeeded");
      expect(await visitor.locator(".wa-alternative").first().textContent()).toContain("Write about clover.");
      // The model was asked again with the same prompt, more varied.
      const { requests } = (await (await fetch(`${inject("mockModelUrl")}/__requests`, { method: "POST" })).json()) as { requests: Array<{ body: { messages?: unknown; temperature?: number } }> };
      const asked = requests.filter((request) => JSON.stringify(request.body.messages ?? "").includes("Write about clover."));
      expect(asked.map((request) => request.body.temperature ?? null).slice(-2)).toEqual([null, 0.9]);
      await visitor.screenshot({ path: `${ARTIFACTS}72-web-completion-more-like-this.png` });
      expect(visitorErrors).toEqual([]);
      await visitor.close();
    });

    it("chats through the embed bubble on a plain HTML page of another site", async () => {
      await fetch(`${inject("mockModelUrl")}/__reset`, { method: "POST" });
      const html = `<!doctype html><html><head><title>Bee shop</title></head><body style="font-family:sans-serif"><h1>The Bee Shop</h1><p>Honey, wax and more.</p>${embedScript}</body></html>`;
      host = createServer((_, res) => {
        res.writeHead(200, { "Content-Type": "text/html" });
        res.end(html);
      });
      await new Promise<void>((resolve) => host!.listen(0, "127.0.0.1", resolve));
      const port = (host.address() as AddressInfo).port;
      const visitor = await browser.newPage({ viewport: { width: 1200, height: 820 } });
      const visitorErrors = watchErrors(visitor);
      await visitor.goto(`http://127.0.0.1:${port}/`);
      const bubble = visitor.locator("#dify-chatbot-bubble-button");
      await bubble.waitFor();
      await visitor.screenshot({ path: `${ARTIFACTS}35-embed-bubble-closed.png` });
      await bubble.click();
      const frame = visitor.frameLocator("#dify-chatbot-bubble-window");
      await frame.getByLabel("Message").waitFor();
      expect(await visitor.locator("#dify-chatbot-bubble-window").getAttribute("src")).toBe(`${base()}/chatbot/${chatCode}`);
      await frame.getByLabel("Message").fill("Hello from the shop");
      await frame.getByLabel("Message").press("Enter");
      await expect.poll(() => frame.locator(".wa-turn .wa-answer").first().textContent(), { timeout: 20_000 }).toContain("Hello from the shop");
      await visitor.screenshot({ path: `${ARTIFACTS}36-embed-bubble-chat.png` });
      await bubble.click();
      expect(await visitor.locator("#dify-chatbot-bubble-window").isVisible()).toBe(false);
      expect(visitorErrors).toEqual([]);
      await visitor.close();
      expect(errors).toEqual([]);
    });
  });
}
