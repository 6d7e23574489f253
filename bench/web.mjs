// `npm run bench:web`: gzip sizes of what the browser loads first, from the built web app
// (`web/dist`, built if missing): the console's first screen and the published web app, each
// with the modules its HTML preloads; the workflow editor's screen; and the largest chunks.
// Then the time to interactive of the canvas with a 100-node workflow in headless Chromium
// against the local dev server (target ≤ 1 s): from navigation start until all 100 nodes are on
// the canvas and a click on one of them, sent as soon as they are shown, has opened its settings
// panel (and, for comparison, with Playwright's checked click). Each load is a new browser
// context, so nothing comes from the HTTP cache. Three drafts: the 100-node one as imported (Dify's
// node sizes), then as the editor saves it (the sizes its canvas measured; the headline figure),
// and for scale a 5-node draft.
// Usage: npm run bench:web [-- --loads 5] (`--loads 0` prints the sizes only)
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { buildWeb, root } from "../scripts/lib.mjs";
import { hundredNodeGraph } from "./hundred-node-graph.mjs";
import { json, option, startPlatform } from "./http.mjs";

const loads = option("loads", 5);
const NODES = 100;
/** The small draft timed for scale (the graph generator makes at least 5 nodes). */
const SMALL = 5;
const dist = join(root, "web", "dist");
// The canvas figure runs against the served build, so it must be the current one.
if (loads > 0 || !existsSync(join(dist, "index.html"))) buildWeb();

const gz = (path) => gzipSync(readFileSync(join(dist, path))).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;

function firstLoad(html) {
  const text = readFileSync(join(dist, html), "utf8");
  const assets = [...text.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1].slice(1));
  const js = assets.filter((a) => a.endsWith(".js")).reduce((sum, a) => sum + gz(a), 0);
  const css = assets.filter((a) => a.endsWith(".css")).reduce((sum, a) => sum + gz(a), 0);
  return { js, css, files: assets.length };
}

const figures = {};
for (const [label, html] of [["console first screen (index.html)", "index.html"], ["published web app (webapp.html)", "webapp.html"]]) {
  const { js, css, files } = firstLoad(html);
  figures[`${html.replace(".html", "")}_js_gzip_kb`] = +(js / 1024).toFixed(1);
  console.log(`${label}: JS ${kb(js)} gzip, CSS ${kb(css)} gzip, ${files} files   target JS ≤ 250 kB: ${js <= 250 * 1024 ? "met" : "NOT met"}`);
}
// Opening a workflow adds the editor's chunk (the canvas); CodeMirror and its languages load later, when a code field opens.
{
  const { js } = firstLoad("index.html");
  const editor = readdirSync(join(dist, "assets")).filter((f) => /^workflow-editor-.*\.js$/.test(f)).reduce((sum, f) => sum + gz(join("assets", f)), 0);
  const total = js + editor;
  console.log(`workflow editor screen (first screen + canvas chunk): JS ${kb(total)} gzip   target ≤ 250 kB: ${total <= 250 * 1024 ? "met" : "NOT met"}`);
  figures.editor_js_gzip_kb = +(total / 1024).toFixed(1);
}
const lazy = readdirSync(join(dist, "assets"))
  .filter((f) => f.endsWith(".js"))
  .map((f) => [f, gz(join("assets", f))])
  .sort((a, b) => b[1] - a[1])
  .slice(0, 6);
console.log("largest chunks (any load):");
for (const [file, size] of lazy) console.log(`  ${kb(size).padStart(9)}  ${file}`);

if (loads > 0) Object.assign(figures, await canvasTimeToInteractive(loads));
console.log(JSON.stringify(figures));

/** The owner's console session (set up on the fresh local state). */
async function ownerSession(base) {
  const headers = { "Content-Type": "application/json", Origin: base };
  await json(`${base}/console/api/setup`, { method: "POST", headers, body: JSON.stringify({ email: "bench@example.com", name: "Bench", password: "bench-pass-1" }) });
  const login = await json(`${base}/console/api/login`, { method: "POST", headers, body: JSON.stringify({ email: "bench@example.com", password: "bench-pass-1" }) });
  return { token: login.data.access_token, auth: { ...headers, Authorization: `Bearer ${login.data.access_token}` } };
}

/** A workflow app whose draft is the `size`-node graph (published, so it is known valid), and the node the benchmark clicks. */
async function workflowApp(base, auth, size) {
  const app = await json(`${base}/console/api/apps`, { method: "POST", headers: auth, body: JSON.stringify({ name: `${size} nodes`, mode: "workflow" }) });
  const draft = await json(`${base}/console/api/apps/${app.id}/workflows/draft`, { headers: auth });
  const graph = hundredNodeGraph(size);
  await json(`${base}/console/api/apps/${app.id}/workflows/draft`, { method: "POST", headers: auth, body: JSON.stringify({ graph, hash: draft.hash }) });
  await json(`${base}/console/api/apps/${app.id}/workflows/publish`, { method: "POST", headers: auth, body: "{}" });
  return { appId: app.id, size, clickId: graph.nodes[Math.floor(size / 2)].id };
}

/**
 * Marks, in page time (ms since navigation start), when all `count` canvas nodes are shown and when
 * a node's settings panel appears. Runs in the page before its own scripts.
 */
function markCanvas(count) {
  const marks = (window.__canvasMarks = {});
  const nodes = document.getElementsByClassName("react-flow__node");
  const panels = document.getElementsByClassName("wf-panel");
  const shown = () => {
    if (nodes.length < count) return false;
    for (const node of nodes) if (node.style.visibility === "hidden") return false;
    return true;
  };
  new MutationObserver(() => {
    if (!marks.nodes && shown()) marks.nodes = performance.now();
    if (marks.nodes && !marks.panel && panels.length) marks.panel = performance.now();
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["style"] });
}

async function canvasTimeToInteractive(loads) {
  const { chromium } = await import("playwright-core");
  const platform = await startPlatform();
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const { token, auth } = await ownerSession(platform.url);
    const big = await workflowApp(platform.url, auth, NODES);
    const small = await workflowApp(platform.url, auth, SMALL);
    const openPage = async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      // What a sign-in leaves in the browser: the session, and the hint the console reads.
      await context.addCookies([
        { name: "waggle_session", value: token, url: platform.url },
        { name: "waggle_signed_in", value: "1", url: platform.url },
      ]);
      return { context, page: await context.newPage() };
    };
    const median = (list) => [...list].sort((a, b) => a - b)[Math.floor((list.length - 1) / 2)];

    /**
     * `loads` timed loads of the app's draft as it is saved now: p50 of nodes shown and of the panel
     * open. The click is a real pointer click (mouse events through the browser's input pipeline)
     * at the node's centre: `direct`, sent as soon as the nodes are shown, as a person would;
     * `checked`, Playwright's `locator.click()`, which first makes sure over several protocol round
     * trips that the node is visible, still for two frames and hit by the pointer (about 150–300 ms
     * more on this machine; the figure earlier versions of this benchmark printed).
     */
    const timedLoads = async (label, { appId, size, clickId }, click = "direct") => {
      const rendered = [];
      const interactive = [];
      console.log(`${label}:`);
      for (let load = 0; load < loads; load += 1) {
        const { context, page } = await openPage();
        const errors = [];
        page.on("pageerror", (error) => errors.push(String(error)));
        page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
        await page.addInitScript(markCanvas, size);
        await page.goto(`${platform.url}/app/${appId}/draft`, { waitUntil: "commit" });
        // Where the node to click is, once all the nodes are shown.
        const shown = await page
          .waitForFunction(
            (id) => {
              if (!window.__canvasMarks.nodes) return false;
              const box = document.querySelector(`.react-flow__node[data-id="${id}"]`).getBoundingClientRect();
              return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
            },
            clickId,
            { polling: "raf", timeout: 60_000 },
          )
          .catch(async (error) => {
            const seen = await page.evaluate(() => ({ nodes: document.getElementsByClassName("react-flow__node").length, text: document.body.innerText.slice(0, 300) })).catch(() => null);
            throw new Error(`the canvas did not show its ${size} nodes (${JSON.stringify(seen)}; errors: ${errors.join("; ") || "none"})`, { cause: error });
          });
        if (click === "direct") {
          const { x, y } = await shown.jsonValue();
          await page.mouse.click(x, y);
        } else await page.locator(`.react-flow__node[data-id="${clickId}"]`).click({ timeout: 30_000 });
        await page.waitForFunction(() => window.__canvasMarks.panel, undefined, { polling: "raf", timeout: 30_000 });
        const marks = await page.evaluate(() => window.__canvasMarks);
        const opened = await page.locator(".wf-panel").getAttribute("data-node-id");
        if (opened !== clickId) throw new Error(`the click opened ${opened}'s panel, not ${clickId}'s`);
        if (errors.length) throw new Error(`the editor logged errors: ${errors.join("; ")}`);
        rendered.push(marks.nodes);
        interactive.push(marks.panel);
        console.log(`  load ${load + 1}: ${size} nodes shown at ${Math.round(marks.nodes)} ms, node panel open at ${Math.round(marks.panel)} ms`);
        await context.close();
      }
      return { shown: Math.round(median(rendered)), tti: Math.round(median(interactive)) };
    };

    // First as imported: the graph carries Dify's node sizes (244 × 90), which are not the sizes
    // Waggle's nodes have, so React Flow reports every node's measured size as a change and the
    // editor hands the graph back to it once more.
    const imported = await timedLoads("draft as imported (Dify's node sizes)", big);
    // Then as the editor saves a draft: every save writes the sizes the canvas measured.
    await saveMeasuredSizes(platform.url, big, auth, openPage);
    const saved = await timedLoads("draft as the editor saves it (the sizes the canvas measured)", big);
    const savedChecked = await timedLoads("the same, clicked with Playwright's checked click", big, "checked");
    // For scale: the same page with a graph of a few nodes, which is what opening the editor costs
    // before the canvas has much to draw.
    await saveMeasuredSizes(platform.url, small, auth, openPage);
    const floor = await timedLoads(`for scale, a ${SMALL}-node draft saved by the editor`, small);
    console.log(`canvas with ${NODES} nodes, time to interactive p50 over ${loads} loads:`);
    console.log(`  draft saved by the editor:   ${saved.tti} ms (nodes shown ${saved.shown} ms)   target ≤ 1000 ms: ${saved.tti <= 1000 ? "met" : "NOT met"}`);
    console.log(`    with Playwright's checked click: ${savedChecked.tti} ms (nodes shown ${savedChecked.shown} ms)`);
    console.log(`  draft as imported from Dify: ${imported.tti} ms (nodes shown ${imported.shown} ms)   target ≤ 1000 ms: ${imported.tti <= 1000 ? "met" : "NOT met"}`);
    console.log(`  for scale, ${SMALL} nodes:           ${floor.tti} ms (nodes shown ${floor.shown} ms)`);
    return {
      canvas_nodes: NODES,
      canvas_nodes_shown_p50_ms: saved.shown,
      canvas_tti_p50_ms: saved.tti,
      canvas_tti_checked_click_p50_ms: savedChecked.tti,
      canvas_imported_nodes_shown_p50_ms: imported.shown,
      canvas_imported_tti_p50_ms: imported.tti,
      canvas_small_nodes: SMALL,
      canvas_small_tti_p50_ms: floor.tti,
    };
  } finally {
    await browser.close();
    platform.stop();
  }
}

/**
 * Saves the draft as the editor would after an edit: each node's `width`/`height` as the canvas
 * measured it (`toDify` writes `measured`). Opens the draft once, untimed, to measure.
 */
async function saveMeasuredSizes(base, { appId, size }, auth, openPage) {
  const { context, page } = await openPage();
  await page.goto(`${base}/app/${appId}/draft`);
  await page.waitForFunction((count) => document.querySelectorAll(".react-flow__node").length >= count && document.querySelectorAll(".react-flow__edge").length > 0, size, { timeout: 60_000 });
  const sizes = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll(".react-flow__node")].map((node) => [node.dataset.id, [node.offsetWidth, node.offsetHeight]])));
  await context.close();
  const draft = await json(`${base}/console/api/apps/${appId}/workflows/draft`, { headers: auth });
  for (const node of draft.graph.nodes) [node.width, node.height] = sizes[node.id];
  await json(`${base}/console/api/apps/${appId}/workflows/draft`, { method: "POST", headers: auth, body: JSON.stringify({ graph: draft.graph, hash: draft.hash }) });
}
