import { defineConfig, type Plugin } from "vite";
import preact from "@preact/preset-vite";
import { fileURLToPath } from "node:url";
import { SIGNED_IN_COOKIE } from "./src/signed-in-cookie.ts";

// Paths are absolute so the build works from the repository root:
//   npx vite build --config web/vite.config.ts
const webRoot = fileURLToPath(new URL(".", import.meta.url));
const apiTarget = process.env.WAGGLE_API_URL ?? "http://127.0.0.1:8787";

/**
 * A page opened straight on a draft (`/app/{id}/draft`, a reload or a shared link) would wait for
 * the main script to run before it asked for anything. This small script in the page's head starts,
 * while the HTML is still parsing, the console GETs the editor is about to make (the session, the
 * workspace, the app and its draft; `adoptBootGets` in `src/api.ts` takes them) and the download of
 * the canvas's code, whose file names only the build knows. The draft is asked for alongside the app
 * rather than after it: waiting for the app's mode cost a round-trip plus however long the main
 * script kept the page busy. It is asked for with `if_workflow=true`, so an easy-mode app answers
 * 204 (not an error in the browser's console) and the answer is dropped. The GETs go first: over
 * HTTP/1.1 (local `wrangler dev`) a browser opens six connections per host, so requests issued
 * after a dozen file downloads would queue behind them. Nothing is asked for without the
 * signed-in cookie (`mayBeSignedIn` in `src/session.ts`): the visitor is sent to sign-in.
 * The style preloads are CORS requests (`crossorigin`) like the stylesheet links Vite's loader adds
 * later, or the browser would not match them and would download each file twice.
 */
function bootPrefetch(): Plugin {
  return {
    name: "waggle-boot-prefetch",
    apply: "build",
    transformIndexHtml: {
      order: "post",
      handler(html, context) {
        if (!context.filename.endsWith("index.html") || !context.bundle) return html;
        const bundle = context.bundle;
        const editor = Object.values(bundle).find((chunk) => chunk.type === "chunk" && chunk.facadeModuleId?.endsWith("/editor/workflow-editor.tsx"));
        const scripts = new Set<string>();
        const styles = new Set<string>();
        const visit = (fileName: string) => {
          const chunk = bundle[fileName];
          if (!chunk || chunk.type !== "chunk" || scripts.has(fileName)) return;
          scripts.add(fileName);
          for (const css of (chunk as { viteMetadata?: { importedCss?: Set<string> } }).viteMetadata?.importedCss ?? []) styles.add(css);
          for (const imported of chunk.imports) visit(imported);
        };
        if (editor) visit(editor.fileName);
        const files = JSON.stringify({ js: [...scripts].map((f) => `/${f}`), css: [...styles].map((f) => `/${f}`) });
        const script = `<script>(function(){var m=new RegExp("^/app/([^/]+)/draft/?$").exec(location.pathname);if(!m||("; "+document.cookie).indexOf("; ${SIGNED_IN_COOKIE}=")<0)return;var app="/apps/"+m[1];var get=function(path,query){return fetch("/console/api"+path+(query||""),{credentials:"same-origin",headers:{Accept:"application/json"}}).then(function(r){return r.status===204?null:r.text().then(function(body){return{status:r.status,statusText:r.statusText,body:body}})})};var gets={};["/account/profile","/workspaces/current",app].forEach(function(path){gets[path]=get(path)});gets[app+"/workflows/draft"]=get(app+"/workflows/draft","?if_workflow=true");window.__waggleBootGets={at:Date.now(),gets:gets};var files=${files};var head=document.head;files.js.forEach(function(href){var l=document.createElement("link");l.rel="modulepreload";l.href=href;head.appendChild(l)});files.css.forEach(function(href){var l=document.createElement("link");l.rel="preload";l.as="style";l.crossOrigin="";l.href=href;head.appendChild(l)})})()</script>`;
        return html.replace("</title>", `</title>\n    ${script}`);
      },
    },
  };
}

export default defineConfig({
  root: webRoot,
  plugins: [preact(), bootPrefetch()],
  build: {
    outDir: fileURLToPath(new URL("./dist", import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: {
      // The console, and the published web app (`/chat/{code}` and the rest), which loads none of the console's code.
      input: {
        index: fileURLToPath(new URL("./index.html", import.meta.url)),
        webapp: fileURLToPath(new URL("./webapp.html", import.meta.url)),
      },
    },
  },
  server: {
    proxy: {
      "/console/api": { target: apiTarget, changeOrigin: false },
      "/v1": { target: apiTarget, changeOrigin: false },
      "/api": { target: apiTarget, changeOrigin: false },
    },
  },
});
