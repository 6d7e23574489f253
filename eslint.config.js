// Lint rules that keep the architecture honest (see docs/architecture.md):
// - core/ never imports Hono, drizzle, cloudflare:*, workers/, durable-objects/ or web/;
// - web/ imports nothing from core/ except core/dsl;
// - no eval / new Function anywhere;
// - outbound fetch only through the egress module (and the adapters that wrap bindings).
import tseslint from "typescript-eslint";

const coreForbidden = {
  patterns: [
    { group: ["hono", "hono/*", "@hono/*"], message: "core/ is runtime-agnostic: no Hono. Put HTTP code in workers/." },
    { group: ["drizzle-orm", "drizzle-orm/*", "drizzle-kit"], message: "core/ is runtime-agnostic: no drizzle. Put data access in workers/db/." },
    { regex: "^cloudflare:", message: "core/ is runtime-agnostic: no cloudflare:* modules. Use a port from core/ports.ts." },
    { regex: "(^|/)(workers|durable-objects|web)(/|$)", message: "core/ must not import from workers/, durable-objects/ or web/ (dependencies point into core)." },
  ],
};

const webForbidden = {
  patterns: [
    { regex: "(^|/)core/(?!dsl(/|$))", message: "web/ may import only types and schemas from core/dsl." },
    { regex: "(^|/)(workers|durable-objects)(/|$)", message: "web/ talks to the Worker over HTTP only." },
    { regex: "^cloudflare:", message: "web/ runs in the browser." },
  ],
};

export default tseslint.config(
  { ignores: ["node_modules/**", "web/dist/**", ".wrangler/**", "migrations/**", "test/artifacts/**", "coverage/**"] },
  {
    files: ["**/*.{ts,tsx,js,mjs}"],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 2023, sourceType: "module" },
    rules: {
      "no-eval": "error",
      "no-implied-eval": "error",
      "no-new-func": "error",
      "no-restricted-syntax": ["error", { selector: "NewExpression[callee.name='Function']", message: "No new Function: code runs only in the QuickJS sandbox." }],
    },
  },
  {
    files: ["core/**/*.{ts,tsx}", "workers/**/*.ts", "durable-objects/**/*.ts"],
    ignores: ["core/egress/**", "workers/adapters/**", "**/*.test.ts"],
    rules: {
      "no-restricted-globals": ["error", { name: "fetch", message: "Outbound HTTP goes through core/egress (SSRF guard) or a workers/adapters binding wrapper." }],
    },
  },
  { files: ["core/**/*.{ts,tsx}"], rules: { "no-restricted-imports": ["error", coreForbidden] } },
  { files: ["web/**/*.{ts,tsx}"], rules: { "no-restricted-imports": ["error", webForbidden] } },
);
