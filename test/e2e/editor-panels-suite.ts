/**
 * The workflow editor's code editors and a chatflow's features panel, in Chromium: code typed into
 * CodeMirror is highlighted, undone and redone from the toolbar, and saved with the draft; a Jinja
 * template is highlighted; an opening statement, suggested questions and switches set in the
 * Features panel are saved in Dify's shape, greet the user in the Preview tab and reach
 * `/v1/parameters` once published.
 * Defined as a function and run from console.test.ts, after the console test has set the platform
 * up (suites in one file run in order); it signs in on its own page.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ARTIFACTS, launchBrowser, watchErrors } from "./browser";

// The same owner as the console's browser test: whichever suite runs first sets the platform up.
const owner = { email: "owner@example.com", name: "Olive Owner", password: "first-pass-1", workspace_name: "Acme Labs" };

const CODE = "function main({ arg1 }) {\n  return { result: 'Hi ' + arg1 };\n}\n";
const TEMPLATE = "Dear {{ name | title }},{% if vip %} welcome back{% endif %}!";

export function editorPanelsSuite() {
  describe("editor panels: CodeMirror and features", () => {
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

    beforeAll(async () => {
      const status = await (await fetch(`${base()}/console/api/setup`)).json();
      if (status.step === "not_started") {
        const response = await fetch(`${base()}/console/api/setup`, { method: "POST", headers: { "Content-Type": "application/json", Origin: base() }, body: JSON.stringify(owner) });
        expect(response.ok).toBe(true);
      }
      const login = await fetch(`${base()}/console/api/login`, { method: "POST", headers: { "Content-Type": "application/json", Origin: base() }, body: JSON.stringify({ email: owner.email, password: owner.password }) });
      token = (await login.json()).data.access_token;
      browser = await launchBrowser();
      page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      errors = watchErrors(page);
      // A step that cannot happen fails on its own locator, well inside the test timeout.
      page.setDefaultTimeout(15_000);
      await page.goto(`${base()}/signin`);
      await page.getByTestId("login-email").fill(owner.email);
      await page.getByTestId("login-password").fill(owner.password);
      await page.getByTestId("login-submit").click();
      await page.getByTestId("create-app").waitFor();
    });

    afterAll(async () => {
      await browser?.close();
    });

    it("types code into CodeMirror, highlights it, undoes and redoes it and saves it with the draft", async () => {
      const app = await consoleApi("/apps", { name: "Code editing", mode: "workflow" });
      const draft = await consoleApi(`/apps/${app.id}/workflows/draft`);
      const graph = {
        nodes: [
          { id: "start", type: "custom", position: { x: 40, y: 200 }, data: { type: "start", title: "Start", variables: [{ variable: "name", label: "name", type: "text-input", required: true }] } },
          { id: "code", type: "custom", position: { x: 340, y: 120 }, data: { type: "code", title: "Greet", code_language: "javascript", code: CODE, variables: [{ variable: "arg1", value_selector: ["start", "name"] }], outputs: { result: { type: "string", children: null } } } },
          { id: "template", type: "custom", position: { x: 340, y: 300 }, data: { type: "template-transform", title: "Letter", template: TEMPLATE, variables: [{ variable: "name", value_selector: ["start", "name"] }] } },
          { id: "end", type: "custom", position: { x: 640, y: 200 }, data: { type: "end", title: "End", outputs: [{ variable: "greeting", value_selector: ["code", "result"] }] } },
        ],
        edges: [
          { id: "start-source-code-target", source: "start", sourceHandle: "source", target: "code", targetHandle: "target", type: "custom", data: { sourceType: "start", targetType: "code" } },
          { id: "start-source-template-target", source: "start", sourceHandle: "source", target: "template", targetHandle: "target", type: "custom", data: { sourceType: "start", targetType: "template-transform" } },
          { id: "code-source-end-target", source: "code", sourceHandle: "source", target: "end", targetHandle: "target", type: "custom", data: { sourceType: "code", targetType: "end" } },
        ],
        viewport: { x: 0, y: 0, zoom: 1 },
      };
      await consoleApi(`/apps/${app.id}/workflows/draft`, { graph, hash: draft.hash });

      await page.goto(`${base()}/app/${app.id}/draft`);
      await page.locator('.react-flow__node[data-id="code"]').click();
      const editor = page.locator('[data-testid="code-text"][data-ready="true"]');
      await editor.waitFor();
      expect(await editor.getAttribute("data-language")).toBe("javascript");
      // JavaScript's parser arrives as its own chunk; then keywords and strings carry classes.
      await expect.poll(() => editor.locator(".tok-keyword").count()).toBeGreaterThan(0);
      expect(await editor.locator(".tok-keyword").first().textContent()).toBe("function");
      expect(await editor.locator(".tok-string").first().textContent()).toBe("'Hi '");

      // Type at the end, as a person would: Enter, then a comment.
      await editor.locator(".cm-content").click();
      await page.keyboard.press("Control+End");
      await page.keyboard.type("// greet politely");
      await expect.poll(() => editor.locator(".tok-comment").textContent()).toBe("// greet politely");
      await page.screenshot({ path: `${ARTIFACTS}30-editor-codemirror.png` });

      // The toolbar's undo restores the node's earlier code into the open editor, redo brings it back.
      await page.getByTestId("undo").click();
      await expect.poll(() => editor.locator(".tok-comment").count()).toBe(0);
      await page.getByTestId("redo").click();
      await expect.poll(() => editor.locator(".tok-comment").count()).toBe(1);

      // Autosave: the draft on the server holds the typed code.
      await expect.poll(() => page.getByTestId("save-state").textContent(), { timeout: 10_000 }).toBe("All changes saved");
      const saved = await consoleApi(`/apps/${app.id}/workflows/draft`);
      const code = saved.graph.nodes.find((n: { id: string }) => n.id === "code").data.code as string;
      expect(code).toBe(`${CODE}// greet politely`);

      // Switching the language switches the highlighting.
      await page.getByTestId("code-language").selectOption("python3");
      await expect.poll(() => page.getByTestId("code-text").getAttribute("data-language")).toBe("python3");

      // The template-transform node's Jinja: tags, keywords and filters are told apart.
      await page.getByTestId("node-panel-close").click();
      await page.locator('.react-flow__node[data-id="template"]').click();
      const template = page.locator('[data-testid="template-text"][data-ready="true"]');
      await template.waitFor();
      expect(await template.locator(".tok-meta").allTextContents()).toEqual(["{{", "}}", "{%", "%}", "{%", "%}"]);
      expect(await template.locator(".tok-keyword").allTextContents()).toEqual(["if", "endif"]);
      await page.screenshot({ path: `${ARTIFACTS}31-editor-jinja.png` });
    });

    it("completes a variable reference in an HTTP request's JSON body and checks the JSON around it", async () => {
      await page.getByTestId("node-panel-close").click();
      await page.getByTestId("palette-http-request").click();
      await page.getByTestId("http-body-type").selectOption("json");
      const body = page.locator('[data-testid="http-body"][data-ready="true"]');
      await body.locator(".cm-content").click();
      await page.keyboard.type("{{#sys.us");
      const completion = page.locator(".cm-tooltip-autocomplete");
      await completion.waitFor();
      // Picked with the mouse: CodeMirror ignores Enter for a moment after the list opens, so a
      // quick Enter still makes a new line.
      await completion.getByText("sys.user_id", { exact: true }).click();
      await expect.poll(() => body.locator(".cm-reference").textContent()).toBe("{{#sys.user_id#}}");
      // A reference stands for a value: alone it is valid JSON; with a stray character after it, not.
      expect(await page.getByTestId("http-body-error").count()).toBe(0);
      // The cursor is after the reference: what is typed next follows it.
      await page.keyboard.type("x");
      await expect.poll(() => body.locator(".cm-content").textContent()).toBe("{{#sys.user_id#}}x");
      await page.getByTestId("http-body-error").waitFor();
      expect(await page.getByTestId("http-body-error").textContent()).toContain("line 1, column 18");
      await page.getByTestId("http-body-error").scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${ARTIFACTS}37-editor-http-body.png` });
      await page.keyboard.press("Backspace");
      await page.getByTestId("http-body-error").waitFor({ state: "detached" });
    });

    it("switches an LLM prompt to Jinja and shows an invalid JSON schema's problem next to its editor", async () => {
      await page.getByTestId("node-panel-close").click();
      await page.getByTestId("palette-llm").click();
      const llmId = (await page.getByTestId("node-panel").getAttribute("data-node-id"))!;

      // A Jinja prompt: brackets close themselves and step over what they closed.
      await page.getByTestId("prompt-edition").selectOption("jinja2");
      const prompt = page.locator('[data-testid="prompt-jinja"][data-ready="true"]');
      await prompt.locator(".cm-content").click();
      await page.keyboard.type("Tell me about {{ topic }}");
      // (Bracket matching may split a tag's span around the cursor, so the text is joined.)
      await expect.poll(async () => (await prompt.locator(".tok-meta").allTextContents()).join("")).toBe("{{}}");
      await page.getByTestId("jinja-variables-add").waitFor();
      await expect.poll(() => page.getByTestId("save-state").textContent(), { timeout: 10_000 }).toBe("All changes saved");
      const appId = page.url().split("/")[4];
      const saved = await consoleApi(`/apps/${appId}/workflows/draft`);
      expect(saved.graph.nodes.find((n: { id: string }) => n.id === llmId).data.prompt_template).toEqual([{ role: "system", text: "", edition_type: "jinja2", jinja2_text: "Tell me about {{ topic }}" }]);

      await page.getByTestId("structured-output-enabled").check();
      const schema = page.locator('[data-testid="structured-output-schema"][data-ready="true"]');
      await schema.waitFor();
      await schema.locator(".cm-content").click();
      await page.keyboard.press("Control+End");
      await page.keyboard.type(",");
      await page.getByTestId("structured-output-schema-error").waitFor();
      expect(await page.getByTestId("structured-output-schema-error").textContent()).toMatch(/Invalid JSON at line/);
      expect(await schema.getAttribute("class")).toContain("invalid");
      await page.screenshot({ path: `${ARTIFACTS}35-editor-json-problem.png` });
      await page.keyboard.press("Backspace");
      await page.getByTestId("structured-output-schema-error").waitFor({ state: "detached" });

      // The JSON view of the whole draft is CodeMirror too, highlighted as JSON.
      await page.getByTestId("view-json").click();
      const graph = page.locator('[data-testid="draft-graph"][data-ready="true"]');
      await graph.waitFor();
      await expect.poll(() => graph.locator(".tok-propertyName").count()).toBeGreaterThan(0);
      await page.screenshot({ path: `${ARTIFACTS}36-draft-json-view.png` });
    });

    it("sets an opening statement, suggested questions and switches in the features panel, saved in Dify's shape", async () => {
      const app = await consoleApi("/apps", { name: "Greeting bot", mode: "advanced-chat" });
      await page.goto(`${base()}/app/${app.id}/draft`);
      await page.getByTestId("features-open").click();
      const panel = page.getByTestId("features-panel");
      await panel.getByTestId("features-opening-statement").fill("Hello! I answer questions about bees.");
      await panel.getByTestId("features-suggested-questions-add").click();
      await panel.getByTestId("features-suggested-question").nth(0).fill("How do bees make honey?");
      await panel.getByTestId("features-suggested-questions-add").click();
      await panel.getByTestId("features-suggested-question").nth(1).fill("Why do bees dance?");
      await page.screenshot({ path: `${ARTIFACTS}32-editor-features.png` });
      await panel.getByTestId("feature-retriever_resource-toggle").check();
      await panel.getByTestId("feature-file-upload-toggle").check();
      await panel.getByTestId("file-type-document").check();
      await panel.getByTestId("file-method-remote_url").uncheck();
      await panel.getByTestId("file-number-limit").fill("5");
      await page.screenshot({ path: `${ARTIFACTS}33-editor-features-file-upload.png` });
      // Text to speech: a language and auto-play; with no Text-to-Speech model set, the voice says what to do.
      await panel.getByTestId("feature-text_to_speech-toggle").check();
      expect(await panel.getByTestId("speech-voice-problem").textContent()).toContain("Settings → Model providers");
      await panel.getByTestId("speech-language").selectOption("ja-JP");
      await panel.getByTestId("speech-autoplay").check();

      await expect.poll(() => page.getByTestId("save-state").textContent(), { timeout: 10_000 }).toBe("All changes saved");
      const draft = await consoleApi(`/apps/${app.id}/workflows/draft`);
      expect(draft.features).toEqual({
        opening_statement: "Hello! I answer questions about bees.",
        suggested_questions: ["How do bees make honey?", "Why do bees dance?"],
        retriever_resource: { enabled: true },
        file_upload: {
          enabled: true,
          allowed_file_types: ["image", "document"],
          allowed_file_extensions: [],
          allowed_file_upload_methods: ["local_file"],
          number_limits: 5,
          image: { enabled: true, number_limits: 5, transfer_methods: ["local_file"] },
        },
        text_to_speech: { enabled: true, language: "ja-JP", voice: "", autoPlay: "enabled" },
      });

      // Reopened, the panel shows what was saved.
      await page.reload();
      await page.getByTestId("features-open").click();
      expect(await page.getByTestId("features-opening-statement").inputValue()).toBe("Hello! I answer questions about bees.");
      expect(await page.getByTestId("feature-retriever_resource").getAttribute("data-enabled")).toBe("true");
      expect(await page.getByTestId("feature-speech_to_text").getAttribute("data-enabled")).toBe("false");

      // The Preview tab opens the conversation with them.
      await page.goto(`${base()}/app/${app.id}/preview`);
      await page.getByTestId("preview-opening").waitFor();
      expect(await page.getByTestId("preview-opening").textContent()).toBe("Hello! I answer questions about bees.");
      expect(await page.getByTestId("preview-suggested-question").allTextContents()).toEqual(["How do bees make honey?", "Why do bees dance?"]);
      await page.screenshot({ path: `${ARTIFACTS}34-preview-opening.png` });

      // Published, they are what Dify clients read from /v1/parameters.
      await consoleApi(`/apps/${app.id}/workflows/publish`, {});
      const key = (await consoleApi(`/apps/${app.id}/api-keys`, {})).token;
      const parameters = await (await fetch(`${base()}/v1/parameters`, { headers: { Authorization: `Bearer ${key}` } })).json();
      expect(parameters).toMatchObject({
        opening_statement: "Hello! I answer questions about bees.",
        suggested_questions: ["How do bees make honey?", "Why do bees dance?"],
        retriever_resource: { enabled: true },
        speech_to_text: { enabled: false },
        file_upload: { enabled: true, allowed_file_types: ["image", "document"], number_limits: 5 },
      });
    });

    it("moderates a chatflow from its features panel: the run panel shows the preset reply for a flagged message and a flagged answer", async () => {
      const app = await consoleApi("/apps", { name: "Moderated echo", mode: "advanced-chat" });
      await page.goto(`${base()}/app/${app.id}/draft`);
      await page.getByTestId("features-open").click();
      const panel = page.getByTestId("features-panel");
      await panel.getByTestId("feature-moderation-toggle").check();
      await panel.getByTestId("moderation-keywords").fill("hornet");
      await panel.getByTestId("moderation-inputs-reply").fill("Let's talk about bees instead.");
      await panel.getByTestId("moderation-outputs").check();
      await panel.getByTestId("moderation-outputs-reply").fill("[answer removed]");
      await expect.poll(() => page.getByTestId("save-state").textContent(), { timeout: 10_000 }).toBe("All changes saved");
      await panel.getByTestId("features-close").click();

      // The draft echoes the message: checked on the way in, it never runs.
      await page.getByTestId("run-open").click();
      await page.getByTestId("run-query").fill("A hornet!");
      await page.getByTestId("run-start").click();
      await page.locator('[data-testid="run-result"][data-status="succeeded"]').waitFor();
      expect(await page.getByTestId("run-text").textContent()).toBe("Let's talk about bees instead.");
      expect(await page.getByTestId("trace-row").count()).toBe(0);

      // With only the answer checked, the echo runs and its answer is replaced.
      await page.getByTestId("run-close").click();
      await page.getByTestId("features-open").click();
      await page.getByTestId("features-panel").getByTestId("moderation-inputs").uncheck();
      await expect.poll(() => page.getByTestId("save-state").textContent(), { timeout: 10_000 }).toBe("All changes saved");
      await page.getByTestId("features-close").click();
      await page.getByTestId("run-open").click();
      await page.getByTestId("run-query").fill("Another hornet");
      await page.getByTestId("run-start").click();
      await page.locator('[data-testid="run-result"][data-status="succeeded"]').last().waitFor();
      await expect.poll(() => page.getByTestId("run-text").textContent()).toBe("[answer removed]");
      await expect.poll(() => page.getByTestId("trace-row").count()).toBe(2);
    });

    it("picks an LLM's and a parameter extractor's model from the workspace's configured models", async () => {
      // Two chat models on the mock server; an imported node names one the Dify way.
      for (const model of ["picker-chat-a", "picker-chat-b"]) {
        await consoleApi("/workspaces/current/model-providers/openai_api_compatible/models", {
          model,
          model_type: "llm",
          credentials: { endpoint_url: `${inject("mockModelUrl")}/v1`, api_key: "sk-picker", mode: "chat", context_size: "4096" },
        });
      }
      const app = await consoleApi("/apps", { name: "Model picking", mode: "workflow" });
      const draft = await consoleApi(`/apps/${app.id}/workflows/draft`);
      const model = (provider: string, name: string) => ({ provider, name, mode: "chat", completion_params: {} });
      const graph = {
        nodes: [
          { id: "start", type: "custom", position: { x: 40, y: 200 }, data: { type: "start", title: "Start", variables: [{ variable: "q", label: "q", type: "paragraph", required: true }] } },
          { id: "llm", type: "custom", position: { x: 340, y: 100 }, data: { type: "llm", title: "LLM", model: model("langgenius/openai_api_compatible/openai_api_compatible", "picker-chat-a"), prompt_template: [{ role: "user", text: "{{#start.q#}}" }] } },
          { id: "extract", type: "custom", position: { x: 340, y: 320 }, data: { type: "parameter-extractor", title: "Extract", model: model("openai", "gpt-unconfigured"), query: ["start", "q"], parameters: [{ name: "city", type: "string", description: "The city", required: true }], reasoning_mode: "prompt" } },
        ],
        edges: [
          { id: "start-source-llm-target", source: "start", sourceHandle: "source", target: "llm", targetHandle: "target", type: "custom", data: { sourceType: "start", targetType: "llm" } },
          { id: "start-source-extract-target", source: "start", sourceHandle: "source", target: "extract", targetHandle: "target", type: "custom", data: { sourceType: "start", targetType: "parameter-extractor" } },
        ],
        viewport: { x: 0, y: 0, zoom: 1 },
      };
      await consoleApi(`/apps/${app.id}/workflows/draft`, { graph, hash: draft.hash });

      await page.goto(`${base()}/app/${app.id}/draft`);
      await page.locator('.react-flow__node[data-id="llm"]').click();
      const picker = page.getByTestId("model-picker");
      await picker.waitFor();
      // The Dify-style provider id is the same provider: the configured model is selected.
      expect(await picker.locator("option:checked").textContent()).toBe("picker-chat-a");
      expect(await picker.locator("optgroup option").allTextContents()).toEqual(expect.arrayContaining(["picker-chat-a", "picker-chat-b"]));
      await picker.selectOption({ label: "picker-chat-b" });
      // The prompt's references are highlighted; one that resolves nowhere in red.
      const marks = page.getByTestId("node-panel").locator(".wf-template-backdrop mark");
      expect(await marks.allTextContents()).toEqual(["{{#start.q#}}"]);
      await page.getByTestId("prompt-text").fill("Answer {{#start.q#}} without {{#gone.x#}}");
      expect(await marks.allTextContents()).toEqual(["{{#start.q#}}", "{{#gone.x#}}"]);
      expect(await marks.evaluateAll((list) => list.map((mark) => mark.className))).toEqual(["", "missing"]);
      await page.screenshot({ path: `${ARTIFACTS}45-editor-model-picker.png` });

      // The extractor's model is not configured here: it stays, and the panel says so.
      await page.getByTestId("node-panel-close").click();
      await page.locator('.react-flow__node[data-id="extract"]').click();
      expect(await page.getByTestId("model-picker").locator("option:checked").textContent()).toBe("openai / gpt-unconfigured (not configured in this workspace)");
      expect(await page.getByTestId("model-picker-hint").textContent()).toContain("Settings → Model providers");
      await page.getByTestId("model-picker").selectOption({ label: "picker-chat-a" });
      await page.getByTestId("extractor-parameters").getByRole("button", { name: "Add parameter" }).click();
      await page.getByTestId("extractor-parameters").getByPlaceholder("name").last().fill("date");
      await page.screenshot({ path: `${ARTIFACTS}46-editor-extractor.png` });

      await expect.poll(() => page.getByTestId("save-state").textContent(), { timeout: 10_000 }).toBe("All changes saved");
      const saved = await consoleApi(`/apps/${app.id}/workflows/draft`);
      const node = (id: string) => saved.graph.nodes.find((n: { id: string }) => n.id === id).data;
      expect(node("llm").model).toMatchObject({ provider: "openai_api_compatible", name: "picker-chat-b", mode: "chat" });
      expect(node("extract").model).toMatchObject({ provider: "openai_api_compatible", name: "picker-chat-a" });
      expect(node("extract").parameters.map((p: { name: string }) => p.name)).toEqual(["city", "date"]);
      expect(node("extract").reasoning_mode).toBe("prompt");
    });

    it("turns on an LLM's and a classifier's memory with a window in a chatflow, saved in Dify's shape; a workflow's LLM has none", async () => {
      const app = await consoleApi("/apps", { name: "Memory bot", mode: "advanced-chat" });
      const draft = await consoleApi(`/apps/${app.id}/workflows/draft`);
      const model = { provider: "openai", name: "gpt-4o-mini", mode: "chat", completion_params: {} };
      const edge = (source: string, target: string, sourceHandle = "source") => ({ id: `${source}-${sourceHandle}-${target}-target`, source, sourceHandle, target, targetHandle: "target", type: "custom", data: {} });
      const graph = {
        nodes: [
          { id: "start", type: "custom", position: { x: 40, y: 200 }, data: { type: "start", title: "Start", variables: [] } },
          { id: "classify", type: "custom", position: { x: 300, y: 200 }, data: { type: "question-classifier", title: "Classify", model, query_variable_selector: ["sys", "query"], classes: [{ id: "1", name: "bees" }] } },
          { id: "llm", type: "custom", position: { x: 560, y: 200 }, data: { type: "llm", title: "LLM", model, prompt_template: [{ role: "system", text: "You are helpful." }] } },
          { id: "answer", type: "custom", position: { x: 820, y: 200 }, data: { type: "answer", title: "Answer", answer: "{{#llm.text#}}" } },
        ],
        edges: [edge("start", "classify"), edge("classify", "llm", "1"), edge("llm", "answer")],
        viewport: { x: 0, y: 0, zoom: 1 },
      };
      await consoleApi(`/apps/${app.id}/workflows/draft`, { graph, hash: draft.hash });
      await page.goto(`${base()}/app/${app.id}/draft`);
      await page.locator('.react-flow__node[data-id="llm"]').click();
      expect(await page.getByTestId("memory-window-enabled").count()).toBe(0);
      await page.getByTestId("memory-enabled").check();
      expect(await page.getByTestId("memory-window-size").isDisabled()).toBe(true);
      await page.getByTestId("memory-window-enabled").check();
      await page.getByTestId("memory-window-size").fill("8");
      expect(await page.getByTestId("memory-query").inputValue()).toBe("{{#sys.query#}}");
      await page.getByTestId("memory-enabled").scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${ARTIFACTS}68-editor-llm-memory.png` });
      await page.getByTestId("node-panel-close").click();
      await page.locator('.react-flow__node[data-id="classify"]').click();
      await page.getByTestId("memory-enabled").check();
      // A classifier's memory has no user message of its own.
      expect(await page.getByTestId("memory-query").count()).toBe(0);
      await expect.poll(() => page.getByTestId("save-state").textContent(), { timeout: 10_000 }).toBe("All changes saved");
      const saved = await consoleApi(`/apps/${app.id}/workflows/draft`);
      const node = (id: string) => saved.graph.nodes.find((n: { id: string }) => n.id === id).data;
      expect(node("llm").memory).toEqual({ window: { enabled: true, size: 8 }, query_prompt_template: "{{#sys.query#}}" });
      expect(node("classify").memory).toEqual({ window: { enabled: false, size: 50 } });

      // Turned off again, the node has no memory.
      await page.getByTestId("memory-enabled").uncheck();
      await expect.poll(async () => (await consoleApi(`/apps/${app.id}/workflows/draft`)).graph.nodes.find((n: { id: string }) => n.id === "classify").data.memory, { timeout: 10_000 }).toBeNull();

      // A workflow has no conversation to remember.
      const workflow = await consoleApi("/apps", { name: "No memory", mode: "workflow" });
      const workflowDraft = await consoleApi(`/apps/${workflow.id}/workflows/draft`);
      await consoleApi(`/apps/${workflow.id}/workflows/draft`, { graph: { ...workflowDraft.graph, nodes: [...workflowDraft.graph.nodes, { id: "llm", type: "custom", position: { x: 300, y: 400 }, data: { type: "llm", title: "LLM", model, prompt_template: [] } }] }, hash: workflowDraft.hash });
      await page.goto(`${base()}/app/${workflow.id}/draft`);
      await page.locator('.react-flow__node[data-id="llm"]').click();
      await page.getByTestId("model-picker").waitFor();
      expect(await page.getByTestId("memory-enabled").count()).toBe(0);
    });

    it("configures an agent node in its form — strategy, model, a tool with a fixed input, instruction, query — and runs it", async () => {
      // Uses the mock-server models the test above configured; the mock echoes the last user message.
      const app = await consoleApi("/apps", { name: "Agent node", mode: "workflow" });
      const draft = await consoleApi(`/apps/${app.id}/workflows/draft`);
      const graph = {
        nodes: [
          { id: "start", type: "custom", position: { x: 40, y: 200 }, data: { type: "start", title: "Start", variables: [{ variable: "q", label: "q", type: "paragraph", required: true }] } },
          { id: "agent", type: "custom", position: { x: 340, y: 200 }, data: { type: "agent", title: "Agent", agent_strategy_provider_name: "langgenius/agent/agent", agent_strategy_name: "function_calling", agent_parameters: {} } },
          { id: "end", type: "custom", position: { x: 640, y: 200 }, data: { type: "end", title: "End", outputs: [{ variable: "answer", value_selector: ["agent", "text"] }] } },
        ],
        edges: [
          { id: "start-source-agent-target", source: "start", sourceHandle: "source", target: "agent", targetHandle: "target", type: "custom", data: { sourceType: "start", targetType: "agent" } },
          { id: "agent-source-end-target", source: "agent", sourceHandle: "source", target: "end", targetHandle: "target", type: "custom", data: { sourceType: "agent", targetType: "end" } },
        ],
        viewport: { x: 0, y: 0, zoom: 1 },
      };
      await consoleApi(`/apps/${app.id}/workflows/draft`, { graph, hash: draft.hash });
      await page.goto(`${base()}/app/${app.id}/draft`);
      await page.locator('.react-flow__node[data-id="agent"]').click();
      await page.getByTestId("agent-strategy").selectOption("ReAct");
      await page.getByTestId("model-picker").selectOption({ label: "picker-chat-a" });
      const add = page.getByTestId("agent-tool-add");
      await add.getByTestId("tool-picker").selectOption({ label: "Current Time" });
      const tool = page.getByTestId("agent-tool");
      await tool.getByTestId("tool-input-timezone").fill("Asia/Tokyo");
      await page.getByTestId("agent-instruction").fill("You tell the time.");
      await page.getByTestId("agent-query").fill("What time is it? {{#start.q#}}");
      await page.getByTestId("agent-max-iterations").fill("3");
      await page.screenshot({ path: `${ARTIFACTS}54-editor-agent-form.png` });
      await expect.poll(() => page.getByTestId("save-state").textContent(), { timeout: 10_000 }).toBe("All changes saved");
      const saved = await consoleApi(`/apps/${app.id}/workflows/draft`);
      const agent = saved.graph.nodes.find((n: { id: string }) => n.id === "agent").data;
      expect(agent).toMatchObject({ agent_strategy_name: "ReAct", agent_strategy_provider_name: "langgenius/agent/agent" });
      expect(agent.agent_parameters).toMatchObject({
        model: { type: "constant", value: { provider: "openai_api_compatible", model: "picker-chat-a", mode: "chat" } },
        tools: { type: "constant", value: [{ enabled: true, type: "builtin", tool_name: "current_time", parameters: { timezone: { auto: 0, value: "Asia/Tokyo" } } }] },
        instruction: { type: "constant", value: "You tell the time." },
        query: { type: "mixed", value: "What time is it? {{#start.q#}}" },
        maximum_iterations: { type: "constant", value: 3 },
      });

      // The run's answer is the mock's echo of the query, rendered with the input.
      await page.getByTestId("node-panel-close").click();
      await page.getByTestId("run-open").click();
      await page.getByTestId("run-input-q").fill("In Kyoto");
      await page.getByTestId("run-start").click();
      await page.locator('[data-testid="run-result"][data-status="succeeded"]').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId("run-outputs").textContent()).toContain("In Kyoto");
    });

    it("adds a chatflow's conversation variables in the Variables panel, typed, and offers them to its nodes", async () => {
      const app = await consoleApi("/apps", { name: "Remembering bot", mode: "advanced-chat" });
      const draft = await consoleApi(`/apps/${app.id}/workflows/draft`);
      const graph = {
        nodes: [
          { id: "start", type: "custom", position: { x: 40, y: 200 }, data: { type: "start", title: "Start", variables: [] } },
          { id: "answer", type: "custom", position: { x: 340, y: 200 }, data: { type: "answer", title: "Answer", answer: "Noted." } },
        ],
        edges: [{ id: "start-source-answer-target", source: "start", sourceHandle: "source", target: "answer", targetHandle: "target", type: "custom", data: { sourceType: "start", targetType: "answer" } }],
        viewport: { x: 0, y: 0, zoom: 1 },
      };
      await consoleApi(`/apps/${app.id}/workflows/draft`, { graph, hash: draft.hash });
      await page.goto(`${base()}/app/${app.id}/draft`);
      await page.getByTestId("env-open").click();
      const list = page.getByTestId("conversation-variables");
      await page.getByTestId("conversation-variables-add").click();
      await list.getByTestId("conversation-name").fill("topics");
      await list.getByTestId("conversation-type").selectOption("array[string]");
      const json = list.getByTestId("conversation-default-json");
      await json.fill('["bees", 3]');
      expect(await list.getByRole("alert").textContent()).toContain("Every item must be a string");
      await json.fill('["bees"]');
      expect(await list.getByRole("alert").count()).toBe(0);
      await page.getByTestId("conversation-variables-add").click();
      await list.getByTestId("conversation-name").nth(1).fill("visits");
      await list.getByTestId("conversation-type").nth(1).selectOption("number");
      await list.getByTestId("conversation-default-json").nth(1).fill("2");
      await page.screenshot({ path: `${ARTIFACTS}55-editor-conversation-variables.png` });
      await expect.poll(() => page.getByTestId("save-state").textContent(), { timeout: 10_000 }).toBe("All changes saved");
      const saved = await consoleApi(`/apps/${app.id}/workflows/draft`);
      expect(saved.conversation_variables).toEqual([
        expect.objectContaining({ name: "topics", value_type: "array[string]", value: ["bees"] }),
        expect.objectContaining({ name: "visits", value_type: "number", value: 2 }),
      ]);
      // The answer node's variable picker offers them.
      await page.getByTestId("env-close").click();
      await page.locator('.react-flow__node[data-id="answer"]').click();
      const offered = await page.getByTestId("answer-text-insert").locator("option").evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
      expect(offered).toEqual(expect.arrayContaining(["conversation.topics", "conversation.visits"]));
    });

    it("shows an imported Dify note's text and adds, writes, colours and saves a new note", async () => {
      const difyText = JSON.stringify({ root: { type: "root", children: [{ type: "paragraph", children: [{ type: "text", text: "Imported " }, { type: "text", format: 1, text: "note" }] }, { type: "list", children: [{ type: "listitem", children: [{ type: "text", text: "with a list" }] }] }] } });
      const app = await consoleApi("/apps", { name: "Notes", mode: "workflow" });
      const draft = await consoleApi(`/apps/${app.id}/workflows/draft`);
      const graph = {
        nodes: [
          { id: "start", type: "custom", position: { x: 40, y: 200 }, data: { type: "start", title: "Start", variables: [] } },
          { id: "end", type: "custom", position: { x: 340, y: 200 }, data: { type: "end", title: "End", outputs: [] } },
          { id: "1718000000000", type: "custom-note", position: { x: 40, y: 40 }, width: 300, height: 110, data: { type: "", title: "", desc: "", text: difyText, theme: "green", author: "Dify user", showAuthor: true, width: 300, height: 110 } },
        ],
        edges: [{ id: "start-source-end-target", source: "start", sourceHandle: "source", target: "end", targetHandle: "target", type: "custom", data: { sourceType: "start", targetType: "end" } }],
        viewport: { x: 0, y: 0, zoom: 1 },
      };
      await consoleApi(`/apps/${app.id}/workflows/draft`, { graph, hash: draft.hash });
      await page.goto(`${base()}/app/${app.id}/draft`);
      const imported = page.locator('.react-flow__node[data-id="1718000000000"]');
      expect(await imported.getByTestId("canvas-note-text").inputValue()).toBe("Imported note\nwith a list");
      expect(await imported.textContent()).toContain("Dify user");
      expect(Math.round((await imported.boundingBox())!.width)).toBe(300);

      await page.getByTestId("note-add").click();
      const note = page.locator('.react-flow__node-custom-note:not([data-id="1718000000000"])');
      // It is in view and ready to type in.
      await expect.poll(() => note.getByTestId("canvas-note-text").evaluate((area) => area === document.activeElement)).toBe(true);
      await expect
        .poll(async () => {
          const [n, pane] = [await note.boundingBox(), await page.locator(".react-flow").boundingBox()];
          return Boolean(n && pane && n.x >= pane.x && n.y >= pane.y && n.x + n.width <= pane.x + pane.width && n.y + n.height <= pane.y + pane.height);
        })
        .toBe(true);
      await note.getByTestId("canvas-note-text").fill("Remember: the start node takes no inputs yet.\nAsk the team.");
      await note.getByRole("button", { name: "yellow" }).click();
      // A note has no settings panel.
      expect(await page.locator(".wf-panel").count()).toBe(0);
      await page.screenshot({ path: `${ARTIFACTS}56-editor-notes.png` });
      await expect.poll(() => page.getByTestId("save-state").textContent(), { timeout: 10_000 }).toBe("All changes saved");
      const saved = await consoleApi(`/apps/${app.id}/workflows/draft`);
      const notes = saved.graph.nodes.filter((n: { type: string }) => n.type === "custom-note");
      expect(notes).toHaveLength(2);
      expect(notes.find((n: { id: string }) => n.id === "1718000000000").data.text).toBe(difyText);
      const added = notes.find((n: { id: string }) => n.id !== "1718000000000");
      expect(added).toMatchObject({ width: 240, height: 88, data: { type: "", theme: "yellow", author: "Olive Owner", showAuthor: true } });
      const paragraphs = JSON.parse(added.data.text).root.children.map((p: { children: { text: string }[] }) => p.children.map((c) => c.text).join(""));
      expect(paragraphs).toEqual(["Remember: the start node takes no inputs yet.", "Ask the team."]);
      // Notes run nothing: the draft still has no problems.
      expect(await page.getByTestId("problem-count").textContent()).toBe("✓ No problems");

      await page.reload();
      expect(await page.locator(`.react-flow__node[data-id="${added.id}"]`).getByTestId("canvas-note-text").inputValue()).toBe("Remember: the start node takes no inputs yet.\nAsk the team.");
    });

    it("picks a knowledge retrieval node's query, knowledge base, top K, ranking weights and a metadata filter in its form, and runs it", async () => {
      const dataset = await consoleApi("/datasets", { name: "Bee facts", indexing_technique: "high_quality" });
      const created = await consoleApi(`/datasets/${dataset.id}/document/create-by-text`, {
        name: "bees.txt",
        text: "Honey bees dance to show where flowers are.\n\nWasps do not make honey.",
        indexing_technique: "high_quality",
        process_rule: { mode: "custom", rules: { pre_processing_rules: [], segmentation: { separator: "\n\n", max_tokens: 100, chunk_overlap: 0 } } },
      });
      await expect
        .poll(async () => (await consoleApi(`/datasets/${dataset.id}/documents/${created.batch}/indexing-status`)).data[0].indexing_status, { timeout: 30_000 })
        .toBe("completed");
      const app = await consoleApi("/apps", { name: "Bee search", mode: "workflow" });
      const draft = await consoleApi(`/apps/${app.id}/workflows/draft`);
      const edge = (source: string, target: string) => ({ id: `${source}-source-${target}-target`, source, sourceHandle: "source", target, targetHandle: "target", type: "custom", data: {} });
      const graph = {
        nodes: [
          { id: "start", type: "custom", position: { x: 40, y: 200 }, data: { type: "start", title: "Start", variables: [{ variable: "q", label: "q", type: "text-input", required: true }] } },
          { id: "kr", type: "custom", position: { x: 340, y: 200 }, data: { type: "knowledge-retrieval", title: "Knowledge", dataset_ids: [], retrieval_mode: "multiple", multiple_retrieval_config: { top_k: 4 } } },
          { id: "end", type: "custom", position: { x: 640, y: 200 }, data: { type: "end", title: "End", outputs: [{ variable: "result", value_selector: ["kr", "result"] }] } },
        ],
        edges: [edge("start", "kr"), edge("kr", "end")],
        viewport: { x: 0, y: 0, zoom: 1 },
      };
      await consoleApi(`/apps/${app.id}/workflows/draft`, { graph, hash: draft.hash });
      await page.goto(`${base()}/app/${app.id}/draft`);
      await page.locator('.react-flow__node[data-id="kr"]').click();
      await page.getByTestId("knowledge-query").selectOption("start.q");
      await page.getByTestId("knowledge-dataset-add").selectOption({ label: "Bee facts" });
      expect(await page.getByTestId("knowledge-dataset").allTextContents()).toEqual([expect.stringContaining("Bee facts")]);
      await page.getByTestId("knowledge-top-k").fill("1");
      // Ranked by weights, and only documents named bees.txt.
      await page.getByTestId("knowledge-ranking").selectOption("reranking_model");
      await page.getByTestId("knowledge-rerank-model").waitFor();
      await page.getByTestId("knowledge-ranking").selectOption("weighted_score");
      await page.getByTestId("knowledge-vector-weight").fill("0.6");
      expect(await page.getByTestId("knowledge-keyword-weight").textContent()).toBe("keyword 0.4");
      await page.getByTestId("knowledge-filter-mode").selectOption("manual");
      await page.getByTestId("knowledge-filter-conditions-add").click();
      await page.getByTestId("knowledge-filter-field").fill("document_name");
      await page.getByTestId("knowledge-filter-operator").selectOption("is");
      await page.getByTestId("knowledge-filter-value").fill("bees.txt");
      await page.getByTestId("knowledge-filter-mode").scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${ARTIFACTS}65-editor-knowledge-form.png` });
      await expect.poll(() => page.getByTestId("save-state").textContent(), { timeout: 10_000 }).toBe("All changes saved");
      const saved = await consoleApi(`/apps/${app.id}/workflows/draft`);
      expect(saved.graph.nodes.find((n: { id: string }) => n.id === "kr").data).toMatchObject({
        query_variable_selector: ["start", "q"],
        dataset_ids: [dataset.id],
        retrieval_mode: "multiple",
        multiple_retrieval_config: { top_k: 1, reranking_mode: "weighted_score", weights: { vector_setting: { vector_weight: 0.6 }, keyword_setting: { keyword_weight: 0.4 } } },
        metadata_filtering_mode: "manual",
        metadata_filtering_conditions: { logical_operator: "and", conditions: [{ name: "document_name", comparison_operator: "is", value: "bees.txt" }] },
      });
      await page.getByTestId("node-panel-close").click();
      await page.getByTestId("run-open").click();
      await page.getByTestId("run-input-q").fill("Why do bees dance?");
      await page.getByTestId("run-start").click();
      await page.locator('[data-testid="run-result"][data-status="succeeded"]').waitFor({ timeout: 30_000 });
      const outputs = (await page.getByTestId("run-outputs").textContent()) ?? "";
      expect(outputs).toContain("Honey bees dance");
      expect(outputs).not.toContain("Wasps");
    });

    it("sets a variable assigner's assignments to a chatflow's conversation variable in its form, and the run applies them", async () => {
      const app = await consoleApi("/apps", { name: "Counting bot", mode: "advanced-chat" });
      const draft = await consoleApi(`/apps/${app.id}/workflows/draft`);
      const edge = (source: string, target: string) => ({ id: `${source}-source-${target}-target`, source, sourceHandle: "source", target, targetHandle: "target", type: "custom", data: {} });
      const graph = {
        nodes: [
          { id: "start", type: "custom", position: { x: 40, y: 200 }, data: { type: "start", title: "Start", variables: [] } },
          { id: "assign", type: "custom", position: { x: 340, y: 200 }, data: { type: "assigner", title: "Assign", version: "2", items: [] } },
          { id: "answer", type: "custom", position: { x: 640, y: 200 }, data: { type: "answer", title: "Answer", answer: "count={{#conversation.count#}} last={{#conversation.last#}}" } },
        ],
        edges: [edge("start", "assign"), edge("assign", "answer")],
        viewport: { x: 0, y: 0, zoom: 1 },
      };
      const conversation_variables = [
        { id: "c1", name: "count", value_type: "number", value: 1, description: "" },
        { id: "c2", name: "last", value_type: "string", value: "", description: "" },
      ];
      await consoleApi(`/apps/${app.id}/workflows/draft`, { graph, hash: draft.hash, conversation_variables });
      await page.goto(`${base()}/app/${app.id}/draft`);
      await page.locator('.react-flow__node[data-id="assign"]').click();
      const items = page.getByTestId("assigner-items");
      await page.getByTestId("assigner-items-add").click();
      await items.getByTestId("assigner-target").selectOption("conversation.count");
      expect(await items.getByTestId("assigner-operation").locator("option").allTextContents()).toEqual(["overwrite with", "clear", "set to", "add", "subtract", "multiply by", "divide by"]);
      await items.getByTestId("assigner-operation").selectOption("+=");
      await items.getByTestId("assigner-source").selectOption("constant");
      await items.getByTestId("assigner-value").fill("2");
      await page.getByTestId("assigner-items-add").click();
      await items.getByTestId("assigner-target").nth(1).selectOption("conversation.last");
      await items.getByTestId("assigner-value-variable").selectOption("sys.query");
      await page.screenshot({ path: `${ARTIFACTS}66-editor-assigner.png` });
      await expect.poll(() => page.getByTestId("save-state").textContent(), { timeout: 10_000 }).toBe("All changes saved");
      const saved = await consoleApi(`/apps/${app.id}/workflows/draft`);
      expect(saved.graph.nodes.find((n: { id: string }) => n.id === "assign").data).toMatchObject({
        version: "2",
        items: [
          { variable_selector: ["conversation", "count"], operation: "+=", input_type: "constant", value: 2 },
          { variable_selector: ["conversation", "last"], operation: "over-write", input_type: "variable", value: ["sys", "query"] },
        ],
      });
      await page.getByTestId("node-panel-close").click();
      await page.getByTestId("run-open").click();
      await page.getByTestId("run-query").fill("hello bees");
      await page.getByTestId("run-start").click();
      await page.locator('[data-testid="run-result"][data-status="succeeded"]').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId("run-text").textContent()).toBe("count=3 last=hello bees");
      // The next message is a turn of the same conversation: its variables carry over.
      await page.getByTestId("run-query").fill("more bees");
      await page.getByTestId("run-start").click();
      await expect.poll(() => page.getByTestId("run-text").textContent(), { timeout: 30_000 }).toBe("count=5 last=more bees");
      expect(await page.getByTestId("run-turn").allTextContents()).toEqual(["hello beescount=3 last=hello bees"]);
      await page.screenshot({ path: `${ARTIFACTS}70-editor-chatflow-conversation.png` });
      // A new conversation starts from the variables' defaults.
      await page.getByTestId("run-new-conversation").click();
      expect(await page.getByTestId("run-turn").count()).toBe(0);
      await page.getByTestId("run-query").fill("again");
      await page.getByTestId("run-start").click();
      await expect.poll(() => page.getByTestId("run-text").textContent(), { timeout: 30_000 }).toBe("count=3 last=again");
    });

    it("edits and runs an assigner from an earlier Dify (v1) in its own form, and converts it to a list of assignments", async () => {
      const app = await consoleApi("/apps", { name: "Legacy assigner", mode: "advanced-chat" });
      const draft = await consoleApi(`/apps/${app.id}/workflows/draft`);
      const edge = (source: string, target: string) => ({ id: `${source}-source-${target}-target`, source, sourceHandle: "source", target, targetHandle: "target", type: "custom", data: {} });
      const graph = {
        nodes: [
          { id: "start", type: "custom", position: { x: 40, y: 200 }, data: { type: "start", title: "Start", variables: [] } },
          { id: "assign", type: "custom", position: { x: 340, y: 200 }, data: { type: "assigner", title: "Assign", assigned_variable_selector: ["conversation", "last"], write_mode: "clear", input_variable_selector: [] } },
          { id: "answer", type: "custom", position: { x: 640, y: 200 }, data: { type: "answer", title: "Answer", answer: "last={{#conversation.last#}}" } },
        ],
        edges: [edge("start", "assign"), edge("assign", "answer")],
        viewport: { x: 0, y: 0, zoom: 1 },
      };
      const conversation_variables = [{ id: "c1", name: "last", value_type: "string", value: "", description: "" }];
      await consoleApi(`/apps/${app.id}/workflows/draft`, { graph, hash: draft.hash, conversation_variables });
      await page.goto(`${base()}/app/${app.id}/draft`);
      await page.locator('.react-flow__node[data-id="assign"]').click();
      expect(await page.getByTestId("assigner-v1-target").inputValue()).toBe("conversation.last");
      expect(await page.getByTestId("assigner-v1-source").count()).toBe(0);
      await page.getByTestId("assigner-v1-mode").selectOption("over-write");
      await page.getByTestId("assigner-v1-source").selectOption("sys.query");
      await expect.poll(() => page.getByTestId("save-state").textContent(), { timeout: 10_000 }).toBe("All changes saved");
      const saved = await consoleApi(`/apps/${app.id}/workflows/draft`);
      expect(saved.graph.nodes.find((n: { id: string }) => n.id === "assign").data).toMatchObject({ assigned_variable_selector: ["conversation", "last"], write_mode: "over-write", input_variable_selector: ["sys", "query"] });
      await page.getByTestId("node-panel-close").click();
      await page.getByTestId("run-open").click();
      await page.getByTestId("run-query").fill("hello hive");
      await page.getByTestId("run-start").click();
      await page.locator('[data-testid="run-result"][data-status="succeeded"]').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId("run-text").textContent()).toBe("last=hello hive");

      await page.getByTestId("run-close").click();
      await page.locator('.react-flow__node[data-id="assign"]').click();
      await page.getByTestId("assigner-v1-convert").click();
      expect(await page.getByTestId("assigner-target").inputValue()).toBe("conversation.last");
      expect(await page.getByTestId("assigner-value-variable").inputValue()).toBe("sys.query");
      await expect.poll(() => page.getByTestId("save-state").textContent(), { timeout: 10_000 }).toBe("All changes saved");
      const converted = (await consoleApi(`/apps/${app.id}/workflows/draft`)).graph.nodes.find((n: { id: string }) => n.id === "assign").data;
      expect(converted).toMatchObject({ version: "2", items: [{ variable_selector: ["conversation", "last"], input_type: "variable", operation: "over-write", value: ["sys", "query"] }] });
      expect(converted).not.toHaveProperty("write_mode");
    });

    it("filters, sorts and limits a list in the list operator's form, and runs it", async () => {
      const app = await consoleApi("/apps", { name: "List steps", mode: "workflow" });
      const draft = await consoleApi(`/apps/${app.id}/workflows/draft`);
      const edge = (source: string, target: string) => ({ id: `${source}-source-${target}-target`, source, sourceHandle: "source", target, targetHandle: "target", type: "custom", data: {} });
      const graph = {
        nodes: [
          { id: "start", type: "custom", position: { x: 40, y: 200 }, data: { type: "start", title: "Start", variables: [] } },
          { id: "nums", type: "custom", position: { x: 300, y: 200 }, data: { type: "code", title: "Numbers", code_language: "javascript", code: "function main() {\n  return { nums: [5, 3, 8, 1] };\n}\n", variables: [], outputs: { nums: { type: "array[number]", children: null } } } },
          { id: "list", type: "custom", position: { x: 560, y: 200 }, data: { type: "list-operator", title: "List", variable: [] } },
          { id: "end", type: "custom", position: { x: 820, y: 200 }, data: { type: "end", title: "End", outputs: [{ variable: "top", value_selector: ["list", "result"] }] } },
        ],
        edges: [edge("start", "nums"), edge("nums", "list"), edge("list", "end")],
        viewport: { x: 0, y: 0, zoom: 1 },
      };
      await consoleApi(`/apps/${app.id}/workflows/draft`, { graph, hash: draft.hash });
      await page.goto(`${base()}/app/${app.id}/draft`);
      // Opened on a draft saved without its list, the node shows at once what would stop it from publishing.
      await expect.poll(() => page.locator('.react-flow__node[data-id="list"]').getByTestId("node-problem").count()).toBe(1);
      await page.locator('.react-flow__node[data-id="list"]').click();
      // And still after the next save.
      await page.getByTestId("list-filter-on").check();
      await expect.poll(() => page.getByTestId("save-state").textContent(), { timeout: 10_000 }).toBe("All changes saved");
      await expect.poll(() => page.locator('.react-flow__node[data-id="list"]').getByTestId("node-problem").count()).toBe(1);
      expect(await page.locator('.react-flow__node[data-id="list"]').getByTestId("node-problem").textContent()).toMatch(/ is required$/);
      expect(await page.getByTestId("problem-count").textContent()).toMatch(/problem/);
      await page.getByTestId("list-variable").selectOption("nums.nums");
      await expect.poll(() => page.locator('.react-flow__node[data-id="list"]').getByTestId("node-problem").count()).toBe(0);
      await page.getByTestId("list-conditions-add").click();
      await page.getByTestId("list-condition-operator").selectOption(">");
      await page.getByTestId("list-condition-value").fill("2");
      await page.getByTestId("list-order-on").check();
      await page.getByTestId("list-order-direction").selectOption("desc");
      await page.getByTestId("list-limit-on").check();
      await page.getByTestId("list-limit-size").fill("2");
      await page.screenshot({ path: `${ARTIFACTS}67-editor-list-operator.png` });
      await expect.poll(() => page.getByTestId("save-state").textContent(), { timeout: 10_000 }).toBe("All changes saved");
      const saved = await consoleApi(`/apps/${app.id}/workflows/draft`);
      expect(saved.graph.nodes.find((n: { id: string }) => n.id === "list").data).toMatchObject({
        variable: ["nums", "nums"],
        filter_by: { enabled: true, conditions: [{ key: "", comparison_operator: ">", value: "2" }] },
        order_by: { enabled: true, value: "desc" },
        limit: { enabled: true, size: 2 },
      });
      await page.getByTestId("node-panel-close").click();
      await page.getByTestId("run-open").click();
      await page.getByTestId("run-start").click();
      await page.locator('[data-testid="run-result"][data-status="succeeded"]').waitFor({ timeout: 30_000 });
      expect((await page.getByTestId("run-outputs").textContent())!.replace(/\s/g, "")).toContain('"top":[8,5]');
    });

    it("draws a saved draft's edges with its nodes, from where each handle is on the page", async () => {
      // Every kind of handle layout: plain, start (no target), end (no source), IF/ELIF/ELSE rows,
      // classifier rows (one name too long for its row), fail-branch rows, and an iteration whose
      // start node and child sit inside it. Node ids without "-", so an edge's id splits into its ends.
      const app = await consoleApi("/apps", { name: "Handles", mode: "workflow" });
      const draft = await consoleApi(`/apps/${app.id}/workflows/draft`);
      const model = { provider: "openai", name: "gpt-4o-mini", mode: "chat", completion_params: {} };
      const custom = (id: string, x: number, y: number, data: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ id, type: "custom", position: { x, y }, data: { title: id, ...data }, ...extra });
      const nodes = [
        custom("start", 0, 200, { type: "start", variables: [{ variable: "q", label: "q", type: "text-input", required: true }] }),
        custom("branch", 300, 200, { type: "if-else", cases: [{ case_id: "yes", logical_operator: "and", conditions: [] }, { case_id: "maybe", logical_operator: "and", conditions: [] }] }),
        custom("sort", 600, 0, { type: "question-classifier", model, query_variable_selector: ["start", "q"], classes: [{ id: "c1", name: "Billing" }, { id: "c2", name: "A class whose name is far too long to fit on its row" }, { id: "c3", name: "" }] }),
        custom("fetch", 600, 260, { type: "http-request", method: "get", url: "https://example.com", error_strategy: "fail-branch" }),
        custom("loop", 600, 420, { type: "iteration", iterator_selector: ["start", "q"], output_selector: ["inner", "output"], start_node_id: "loopstart" }, { width: 420, height: 200 }),
        custom("loopstart", 24, 68, { type: "iteration-start", isInIteration: true }, { type: "custom-iteration-start", parentId: "loop" }),
        custom("inner", 120, 60, { type: "template-transform", template: "x", variables: [], isInIteration: true, iteration_id: "loop" }, { parentId: "loop" }),
        custom("join", 1100, 200, { type: "template-transform", template: "done", variables: [] }),
        custom("end", 1400, 200, { type: "end", outputs: [] }),
      ];
      const link = (source: string, handle: string, target: string) => ({ id: `${source}-${handle}-${target}-target`, type: "custom", source, sourceHandle: handle, target, targetHandle: "target", data: {} });
      const edges = [
        link("start", "source", "branch"),
        link("branch", "yes", "sort"),
        link("branch", "maybe", "fetch"),
        link("branch", "false", "loop"),
        link("sort", "c1", "join"),
        link("sort", "c2", "join"),
        link("sort", "c3", "join"),
        link("fetch", "success-branch", "join"),
        link("fetch", "fail-branch", "end"),
        link("loopstart", "source", "inner"),
        link("loop", "source", "join"),
        link("join", "source", "end"),
      ];
      await consoleApi(`/apps/${app.id}/workflows/draft`, { graph: { nodes, edges }, hash: draft.hash });

      // Opened once to learn the nodes' sizes, which the editor saves with every draft.
      const url = `${base()}/app/${app.id}/draft`;
      await page.goto(url);
      await expect.poll(() => page.locator(".react-flow__edge").count()).toBe(edges.length);
      const sizes: Record<string, [number, number]> = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll<HTMLElement>(".react-flow__node")].map((n) => [n.dataset.id, [n.offsetWidth, n.offsetHeight]])));
      const sized = await consoleApi(`/apps/${app.id}/workflows/draft`);
      for (const node of sized.graph.nodes) if (node.data.type !== "iteration") [node.width, node.height] = sizes[node.id];
      await consoleApi(`/apps/${app.id}/workflows/draft`, { graph: sized.graph, hash: sized.hash });

      // Reopened: the edges between nodes of known size are there, where they end up, in the
      // first frame that shows the nodes (a container's handles are still measured first).
      await page.addInitScript(() => {
        const seen = document.getElementsByClassName("react-flow__node");
        const observer = new MutationObserver(() => {
          if (seen.length < 9 || [...seen].some((n) => (n as HTMLElement).style.visibility === "hidden")) return;
          const w = window as unknown as { firstPaths: Record<string, string> };
          w.firstPaths = Object.fromEntries([...document.querySelectorAll(".react-flow__edge")].map((e) => [e.getAttribute("data-testid"), e.querySelector("path")!.getAttribute("d")]));
          observer.disconnect();
        });
        observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["style"] });
      });
      await page.goto(url);
      await expect.poll(() => page.locator(".react-flow__edge").count()).toBe(edges.length);
      /** Each edge's path, its path when the nodes were first shown, and how far its ends are from the handles they join. */
      const drawnEdges = () =>
        page.evaluate(() => {
          const viewport = new DOMMatrixReadOnly(getComputedStyle(document.querySelector(".react-flow__viewport")!).transform);
          const pane = document.querySelector(".react-flow")!.getBoundingClientRect();
          const x = (px: number) => (px - pane.left - viewport.e) / viewport.a;
          const y = (px: number) => (px - pane.top - viewport.f) / viewport.d;
          const handle = (node: string, id: string, kind: string) => {
            const box = document.querySelector(`.react-flow__handle.${kind}[data-nodeid="${node}"][data-handleid="${id}"]`)?.getBoundingClientRect();
            return box ? { left: x(box.left), right: x(box.right), middle: (y(box.top) + y(box.bottom)) / 2 } : { left: NaN, right: NaN, middle: NaN };
          };
          return [...document.querySelectorAll(".react-flow__edge")].map((edge) => {
            const id = edge.getAttribute("data-testid")!;
            const parts = id.replace("rf__edge-", "").split("-");
            const [source, sourceHandle, target] = [parts[0], parts.slice(1, -2).join("-"), parts.at(-2)!];
            const d = edge.querySelector("path")!.getAttribute("d")!;
            const points = d.match(/-?[\d.]+/g)!.map(Number);
            const from = handle(source, sourceHandle, "source");
            const to = handle(target, "target", "target");
            // A line leaves its source handle's right edge and enters its target's left edge, at their middles.
            const off = Math.max(Math.abs(points[0] - from.right), Math.abs(points[1] - from.middle), Math.abs(points.at(-2)! - to.left), Math.abs(points.at(-1)! - to.middle));
            // (NaN when a handle is missing: reported as off.)
            return { id, source, target, d, off, first: (window as unknown as { firstPaths?: Record<string, string> }).firstPaths?.[id] };
          });
        });
      const expectEdgesOnTheirHandles = () => expect.poll(async () => (await drawnEdges()).filter((edge) => !(edge.off <= 0.5)).map((edge) => `${edge.id} is ${edge.off.toFixed(1)} px off`)).toEqual([]);
      // Settled: React Flow measured what it was not given.
      await expectEdgesOnTheirHandles();
      for (const edge of await drawnEdges()) if (edge.source !== "loop" && edge.target !== "loop") expect({ id: edge.id, path: edge.first }).toEqual({ id: edge.id, path: edge.d });
      // The long class name is cut short on its row rather than wrapping it.
      expect(await page.locator('.react-flow__node[data-id="sort"] .wf-branch').evaluateAll((rows) => rows.map((row) => (row as HTMLElement).offsetHeight))).toEqual([20, 20, 20]);
      await page.screenshot({ path: `${ARTIFACTS}68-editor-handles.png` });

      // An edit that moves handles: a new ELIF row pushes ELSE down, and the line from ELSE follows.
      await page.locator('.react-flow__node[data-id="branch"]').click();
      await page.getByTestId("if-else-cases-add").click();
      await expect.poll(() => page.locator('.react-flow__node[data-id="branch"] .react-flow__handle.source').count()).toBe(4);
      await expectEdgesOnTheirHandles();
      await page.getByTestId("undo").click();
      await expect.poll(() => page.locator('.react-flow__node[data-id="branch"] .react-flow__handle.source').count()).toBe(3);
      await expectEdgesOnTheirHandles();
      await page.getByTestId("node-panel-close").click();
    });

    it("ran without console errors", () => {
      expect(errors).toEqual([]);
    });
  });
}
