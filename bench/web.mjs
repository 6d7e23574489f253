// `npm run bench:web`: gzip sizes of what the browser loads first, from the built web app
// (`web/dist`, built if missing): the console's first screen and the published web app, each
// with the modules its HTML preloads; the workflow editor's screen; and the largest chunks.
// (The second figure, time to interactive of a 100-node canvas, is not measured yet.)
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { buildWeb, root } from "../scripts/lib.mjs";

const dist = join(root, "web", "dist");
if (!existsSync(join(dist, "index.html"))) buildWeb();

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
console.log(JSON.stringify(figures));
