/**
 * Code-node sandbox cost per execution: fresh QuickJS instance + runtime + context, the prelude,
 * a small Dify-style `main`, and output serialisation. Run with `npx tsx bench/code.ts`.
 * The last line is JSON for tooling.
 */
import { createQuickJsRunner } from "../core/sandbox";

const code = `
function main({ items, query }) {
  const hits = items.filter((item) => item.title.toLowerCase().includes(query));
  return { count: hits.length, titles: hits.map((h) => h.title), summary: "found " + hits.length };
}`;
const inputs = {
  query: "a",
  items: Array.from({ length: 50 }, (_, i) => ({ id: i, title: `Item ${i} alpha beta`, body: "x".repeat(200) })),
};

async function compiledWasm(): Promise<WebAssembly.Module> {
  const [fsName, moduleName] = ["node:fs", "node:module"];
  const { readFileSync } = (await import(fsName)) as { readFileSync(path: string): Uint8Array<ArrayBuffer> };
  const { createRequire } = (await import(moduleName)) as { createRequire(url: string): { resolve(id: string): string } };
  return WebAssembly.compile(readFileSync(createRequire(import.meta.url).resolve("@jitl/quickjs-wasmfile-release-sync/wasm")));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measure(label: string, runner: ReturnType<typeof createQuickJsRunner>, runs: number) {
  for (let i = 0; i < 10; i++) await runner.run({ code, inputs }); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const out = await runner.run({ code, inputs });
    times.push(performance.now() - started);
    if (!out.ok) throw new Error(`bench run failed: ${out.error}`);
  }
  times.sort((a, b) => a - b);
  const p50 = percentile(times, 50);
  const p95 = percentile(times, 95);
  console.log(`${label}: runs=${runs} p50=${p50.toFixed(2)} ms p95=${p95.toFixed(2)} ms max=${times.at(-1)!.toFixed(2)} ms`);
  return { p50, p95 };
}

const precompiled = await measure("precompiled WebAssembly.Module (workerd path)", createQuickJsRunner({ wasmModule: await compiledWasm() }), 300);
const fileLoaded = await measure("variant default loading (reads + compiles the .wasm each run)", createQuickJsRunner(), 50);
console.log(
  JSON.stringify({
    code_p50_ms: Number(precompiled.p50.toFixed(2)),
    code_p95_ms: Number(precompiled.p95.toFixed(2)),
    code_default_loading_p50_ms: Number(fileLoaded.p50.toFixed(2)),
  }),
);
