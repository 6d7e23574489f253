/**
 * Published web apps when the network misbehaves, and with file inputs, in a browser: the visitor
 * reaches the platform through a TCP relay the test can cut, so a chat answer and a text
 * generation lose their connection mid-stream, show "Reconnecting…" while the relay refuses
 * connections, and pick the answer up where it stopped once it lets them through again. Then
 * files: an image attached to a chat message reaches the model, and a workflow web app whose start
 * node has a file and a file-list input reads the text file and two images the visitor uploads.
 * Defined as a function and run from console.test.ts; it signs in on its own page.
 */
import { connect, createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ARTIFACTS, consoleCaller, launchBrowser, signInOwner, watchErrors } from "./browser";

const MODEL = { provider: "openai_api_compatible", name: "resilient-chat", mode: "chat", completion_params: {} };
const edge = (source: string, target: string) => ({ id: `${source}-${target}`, source, target, sourceHandle: "source", targetHandle: "target" });
const WORDS = Array.from({ length: 14 }, (_, index) => `w${index + 1}`).join(" ");
/** A one-pixel PNG. */
const PIXEL = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNk+M8AAQUBAScY42YAAAAASUVORK5CYII=", "base64");

/** A TCP relay to the platform whose connections can be cut, and new ones refused, like a network that drops. */
interface Relay {
  url: string;
  /** Cuts every open connection; while `refusing`, new connections are closed as they arrive. */
  drop(): void;
  /** Lets connections through again. */
  restore(): void;
  /** Connections refused since the last drop. */
  refused(): number;
  close(): Promise<void>;
}

async function startRelay(target: string): Promise<Relay> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  let refusing = false;
  let refusedCount = 0;
  const server: Server = createServer((client) => {
    if (refusing) {
      refusedCount++;
      client.destroy();
      return;
    }
    const upstream = connect(Number(port), hostname);
    sockets.add(client);
    sockets.add(upstream);
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", close).on("close", close);
    upstream.on("error", close).on("close", close);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    drop() {
      refusing = true;
      refusedCount = 0;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
    restore() {
      refusing = false;
    },
    refused: () => refusedCount,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Failed loads while the relay refuses connections are expected; anything else is not. */
const unexpected = (errors: string[]) => errors.filter((error) => !/net::ERR_|Failed to load resource|Failed to fetch/.test(error));

export function webAppResilienceSuite() {
  describe("published web apps: dropped connections and file inputs", () => {
    const base = () => inject("baseUrl");
    const mock = () => inject("mockModelUrl");
    let browser: Browser;
    let page: Page;
    let relay: Relay;
    let consoleCall: ReturnType<typeof consoleCaller>;

    /** Publishes an easy-mode app on the mock model and returns its web app link through the relay. */
    async function publishEasyApp(name: string, mode: "chat" | "completion", extra: Record<string, unknown>): Promise<string> {
      const app = await consoleCall("POST", "/apps", { name, mode });
      const draft = await consoleCall("GET", `/apps/${app.id}/model-config`);
      await consoleCall("POST", `/apps/${app.id}/model-config`, { model_config: { ...draft.model_config, model: MODEL, ...extra }, hash: draft.hash });
      await consoleCall("POST", `/apps/${app.id}/workflows/publish`, {});
      const site = await consoleCall("GET", `/apps/${app.id}/site`);
      return site.web_app_url.replace(base(), relay.url);
    }

    const scriptSlowAnswer = () => fetch(`${mock()}/__script`, { method: "POST", body: JSON.stringify({ replies: [{ text: WORDS, chunkDelayMs: 300 }] }) });

    /** Cuts the visitor's connection mid-answer, keeps it down until a reconnection was refused, then lets it back. */
    async function dropWhileStreaming(visitor: Page, streamed: () => Promise<string | null>, screenshot: string) {
      await expect.poll(streamed, { timeout: 20_000 }).toMatch(/w3/);
      relay.drop();
      const notice = visitor.getByRole("status").filter({ hasText: "Reconnecting…" });
      await notice.waitFor({ timeout: 15_000 });
      await expect.poll(() => relay.refused(), { timeout: 15_000 }).toBeGreaterThan(0);
      await visitor.screenshot({ path: `${ARTIFACTS}${screenshot}` });
      relay.restore();
      await notice.waitFor({ state: "detached", timeout: 20_000 });
    }

    beforeAll(async () => {
      browser = await launchBrowser();
      ({ page } = await signInOwner(browser, base()));
      consoleCall = consoleCaller(page);
      await consoleCall("POST", "/workspaces/current/model-providers/openai_api_compatible/models", {
        model: MODEL.name,
        model_type: "llm",
        credentials: { endpoint_url: `${mock()}/v1`, api_key: "sk-e2e-resilient", mode: "chat", context_size: "4096" },
      });
      relay = await startRelay(base());
    });

    afterAll(async () => {
      await relay?.close();
      await browser?.close();
    });

    it("picks a chat answer up again after the connection drops mid-stream, saying Reconnecting… meanwhile", async () => {
      const url = await publishEasyApp("Slow Bee", "chat", { pre_prompt: "Count." });
      const visitor = await browser.newPage({ viewport: { width: 1100, height: 760 } });
      const visitorErrors = watchErrors(visitor);
      await visitor.goto(url);
      await visitor.getByLabel("Message").waitFor();
      await scriptSlowAnswer();
      await visitor.getByLabel("Message").fill("Count for me");
      await visitor.keyboard.press("Enter");
      const answer = visitor.locator(".wa-turn .wa-answer").last();
      await dropWhileStreaming(visitor, () => answer.textContent(), "37-web-chat-reconnecting.png");

      // The answer ends as the model wrote it: every word, once, in order.
      await answer.locator(".wa-feedback").waitFor({ timeout: 30_000 });
      expect((await answer.textContent())?.replace(/👍|👎/g, "").trim()).toBe(WORDS);
      expect(await answer.locator(".wa-error").count()).toBe(0);
      await visitor.screenshot({ path: `${ARTIFACTS}38-web-chat-resumed.png` });
      // The platform kept the answer going while the visitor was away: the stored message is whole.
      await visitor.reload();
      await visitor.locator(".wa-conversations .wa-conversation").first().click();
      await expect.poll(() => visitor.locator(".wa-turn .wa-answer").last().textContent()).toContain(WORDS);
      expect(unexpected(visitorErrors)).toEqual([]);
      await visitor.close();
    });

    it("picks a text generation up again after the connection drops", async () => {
      const url = await publishEasyApp("Slow Writer", "completion", { pre_prompt: "Count {{topic}}.", user_input_form: [{ "text-input": { variable: "topic", label: "Topic", required: true } }] });
      expect(url).toMatch(/\/completion\/[A-Za-z0-9]{16}$/);
      const visitor = await browser.newPage({ viewport: { width: 1100, height: 760 } });
      const visitorErrors = watchErrors(visitor);
      await visitor.goto(url);
      await visitor.getByLabel("Topic").fill("bees");
      await scriptSlowAnswer();
      await visitor.getByRole("button", { name: "Run" }).click();
      const result = visitor.locator(".wa-result");
      await dropWhileStreaming(visitor, () => result.textContent(), "39-web-completion-reconnecting.png");
      await expect.poll(() => result.getAttribute("data-status"), { timeout: 30_000 }).toBe("succeeded");
      expect((await result.textContent())?.trim()).toBe(WORDS);
      expect(unexpected(visitorErrors)).toEqual([]);
      await visitor.close();
    });

    it("attaches an image to a chat message when the app allows uploads, and the model sees it", async () => {
      const url = await publishEasyApp("Photo Bee", "chat", {
        pre_prompt: "Describe pictures.",
        file_upload: {
          enabled: true,
          allowed_file_types: ["image"],
          allowed_file_extensions: [".JPG", ".JPEG", ".PNG", ".GIF", ".WEBP", ".SVG"],
          allowed_file_upload_methods: ["local_file", "remote_url"],
          number_limits: 2,
          image: { enabled: true, detail: "high", number_limits: 2, transfer_methods: ["local_file", "remote_url"] },
        },
      });
      const visitor = await browser.newPage({ viewport: { width: 1100, height: 760 } });
      const visitorErrors = watchErrors(visitor);
      await visitor.goto(url);
      const picker = visitor.locator(".wa-attach input[type=file]");
      expect(await picker.getAttribute("accept")).toBe(".jpg,.jpeg,.png,.gif,.webp,.svg");
      await picker.setInputFiles({ name: "comb.png", mimeType: "image/png", buffer: PIXEL });
      await visitor.locator(".wa-composer .wa-files").getByText("comb.png").waitFor();
      await fetch(`${mock()}/__reset`, { method: "POST" });
      await fetch(`${mock()}/__script`, { method: "POST", body: JSON.stringify({ replies: [{ text: "A honeycomb, one pixel wide." }] }) });
      await visitor.getByLabel("Message").fill("What is this?");
      await visitor.keyboard.press("Enter");
      const turn = visitor.locator(".wa-turn").last();
      await expect.poll(() => turn.locator(".wa-answer").textContent(), { timeout: 20_000 }).toContain("A honeycomb, one pixel wide.");
      expect(await turn.locator(".wa-question .wa-files").textContent()).toContain("comb.png");
      // The upload reached the model as an image part of the user's turn.
      const { requests } = (await (await fetch(`${mock()}/__requests`, { method: "POST" })).json()) as { requests: Array<{ path: string; body: { messages: Array<{ role: string; content: unknown }> } }> };
      const user = requests.find((request) => request.path === "/v1/chat/completions")!.body.messages.at(-1)!;
      expect(user.role).toBe("user");
      expect(JSON.stringify(user.content)).toContain("data:image/png;base64,");
      await visitor.screenshot({ path: `${ARTIFACTS}42-web-chat-image-attached.png` });
      expect(visitorErrors).toEqual([]);
      await visitor.close();
    });

    it("uploads a text file and images into a workflow's file inputs, and the run reads them", async () => {
      const app = await consoleCall("POST", "/apps", { name: "Hive Reader", mode: "workflow" });
      const draft = await consoleCall("GET", `/apps/${app.id}/workflows/draft`);
      const graph = {
        nodes: [
          {
            id: "start",
            type: "custom",
            position: { x: 0, y: 0 },
            data: {
              type: "start",
              title: "Start",
              variables: [
                { variable: "doc", label: "Notes", type: "file", required: true, allowed_file_types: ["document"], allowed_file_extensions: [], allowed_file_upload_methods: ["local_file"] },
                { variable: "photos", label: "Photos", type: "file-list", required: true, max_length: 3, allowed_file_types: ["image"], allowed_file_extensions: [], allowed_file_upload_methods: ["local_file"] },
              ],
            },
          },
          { id: "read", type: "custom", position: { x: 300, y: 0 }, data: { type: "document-extractor", title: "Read notes", variable_selector: ["start", "doc"] } },
          {
            id: "tpl",
            type: "custom",
            position: { x: 600, y: 0 },
            data: {
              type: "template-transform",
              title: "Summarise",
              variables: [
                { variable: "text", value_selector: ["read", "text"] },
                { variable: "photos", value_selector: ["start", "photos"] },
              ],
              template: "Notes say: {{ text | trim }}. Photos: {% for p in photos %}{{ p.filename }} ({{ p.type }}){% if not loop.last %}, {% endif %}{% endfor %}.",
            },
          },
          { id: "end", type: "custom", position: { x: 900, y: 0 }, data: { type: "end", title: "End", outputs: [{ variable: "summary", value_selector: ["tpl", "output"] }] } },
        ],
        edges: [edge("start", "read"), edge("read", "tpl"), edge("tpl", "end")],
      };
      await consoleCall("POST", `/apps/${app.id}/workflows/draft`, { graph, hash: draft.hash });
      await consoleCall("POST", `/apps/${app.id}/workflows/publish`, {});
      const site = await consoleCall("GET", `/apps/${app.id}/site`);
      const visitor = await browser.newPage({ viewport: { width: 1100, height: 760 } });
      const visitorErrors = watchErrors(visitor);
      await visitor.goto(site.web_app_url);

      const notes = visitor.getByLabel("Notes", { exact: true });
      expect(await notes.getAttribute("accept")).toContain(".txt");
      await notes.setInputFiles({ name: "hive-notes.txt", mimeType: "text/plain", buffer: Buffer.from("The clover is in bloom\n") });
      await visitor.getByRole("list", { name: "Notes files" }).getByText("hive-notes.txt").waitFor();
      // The one-pixel PNG, twice, under two names.
      await visitor.getByLabel("Photos", { exact: true }).setInputFiles([
        { name: "frame-1.png", mimeType: "image/png", buffer: PIXEL },
        { name: "frame-2.png", mimeType: "image/png", buffer: PIXEL },
      ]);
      const photos = visitor.getByRole("list", { name: "Photos files" });
      await expect.poll(() => photos.locator("li").count(), { timeout: 15_000 }).toBe(2);
      await visitor.screenshot({ path: `${ARTIFACTS}40-web-workflow-files-chosen.png` });

      await visitor.getByRole("button", { name: "Run" }).click();
      const result = visitor.locator(".wa-result");
      await expect.poll(() => result.getAttribute("data-status"), { timeout: 30_000 }).toBe("succeeded");
      expect((await result.textContent())?.trim()).toContain("Notes say: The clover is in bloom. Photos: frame-1.png (image), frame-2.png (image).");
      await visitor.screenshot({ path: `${ARTIFACTS}41-web-workflow-files-result.png` });

      // Removing a photo takes it out of the next run.
      await photos.getByRole("button", { name: "Remove frame-2.png" }).click();
      await visitor.getByRole("button", { name: "Run" }).click();
      await expect.poll(() => result.textContent(), { timeout: 30_000 }).toContain("Photos: frame-1.png (image).");
      expect(visitorErrors).toEqual([]);
      await visitor.close();
    });
  });
}
