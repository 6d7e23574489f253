import { hundredNodeGraph } from "./hundred-node-graph.mjs";
import { json, startPlatform } from "./http.mjs";
const NODES = 100;
function markCanvas(count) {
  const marks = (window.__canvasMarks = {});
  const nodes = document.getElementsByClassName("react-flow__node");
  const panels = document.getElementsByClassName("wf-panel");
  const shown = () => { if (nodes.length < count) return false; for (const node of nodes) if (node.style.visibility === "hidden") return false; return true; };
  new MutationObserver(() => {
    if (!marks.firstNode && nodes.length) marks.firstNode = performance.now();
    if (!marks.nodes && shown()) marks.nodes = performance.now();
    if (marks.nodes && !marks.panel && panels.length) marks.panel = performance.now();
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["style"] });
  window.__longtasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longtasks.push([Math.round(e.startTime), Math.round(e.duration)]); }).observe({ type: "longtask", buffered: true });
}
const { chromium } = await import("playwright-core");
const platform = await startPlatform();
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
try {
  const base = platform.url;
  const headers = { "Content-Type": "application/json", Origin: base };
  await json(`${base}/console/api/setup`, { method: "POST", headers, body: JSON.stringify({ email: "bench@example.com", name: "Bench", password: "bench-pass-1" }) });
  const login = await json(`${base}/console/api/login`, { method: "POST", headers, body: JSON.stringify({ email: "bench@example.com", password: "bench-pass-1" }) });
  const auth = { ...headers, Authorization: `Bearer ${login.data.access_token}` };
  const app = await json(`${base}/console/api/apps`, { method: "POST", headers: auth, body: JSON.stringify({ name: "Hundred nodes", mode: "workflow" }) });
  const draft = await json(`${base}/console/api/apps/${app.id}/workflows/draft`, { headers: auth });
  const graph = hundredNodeGraph(NODES);
  await json(`${base}/console/api/apps/${app.id}/workflows/draft`, { method: "POST", headers: auth, body: JSON.stringify({ graph, hash: draft.hash }) });
  const clickId = graph.nodes[50].id;
  for (let load = 0; load < 4; load++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addCookies([{ name: "waggle_session", value: login.data.access_token, url: base }]);
    const page = await context.newPage();
    await page.addInitScript(markCanvas, NODES);
    await page.goto(`${base}/app/${app.id}/draft`, { waitUntil: "commit" });
    await page.waitForFunction(() => window.__canvasMarks.nodes, undefined, { polling: "raf", timeout: 60_000 });
    await page.locator(`.react-flow__node[data-id="${clickId}"]`).click();
    await page.waitForFunction(() => window.__canvasMarks.panel, undefined, { polling: "raf" });
    const info = await page.evaluate(() => ({
      marks: window.__canvasMarks,
      long: window.__longtasks,
      nav: (({ responseStart, responseEnd, domInteractive, domContentLoadedEventEnd }) => ({ responseStart, responseEnd, domInteractive, domContentLoadedEventEnd }))(performance.getEntriesByType("navigation")[0]),
      res: performance.getEntriesByType("resource").map((e) => [e.name.replace(location.origin, "").slice(0, 60), Math.round(e.startTime), Math.round(e.responseEnd)]),
    }));
    console.log(`load ${load}: first node ${Math.round(info.marks.firstNode)} nodes ${Math.round(info.marks.nodes)} panel ${Math.round(info.marks.panel)}`);
    console.log("  nav", JSON.stringify(info.nav, (k, v) => (typeof v === "number" ? Math.round(v) : v)));
    console.log("  long", JSON.stringify(info.long));
    for (const r of info.res) console.log("  ", r.join(" "));
    await context.close();
  }
} finally {
  await browser.close();
  platform.stop();
}
