// Runs the platform locally the way `wrangler dev` does — the same wrangler.toml, local D1,
// Durable Objects, Queues, R2 and static assets in workerd — through wrangler's own
// `unstable_startWorker` (what `wrangler dev` calls), but with its DevTools inspector off unless
// asked for. With the inspector on, wrangler subscribes to the runtime's network events and hands
// every one of them (four per D1 query, DO call or fetch) to its Node process, which formats it and
// appends it to a debug log file under ~/.config/.wrangler/logs: about 10 ms of CPU for a console
// API request that costs 2–4 ms without it, on every request (docs/architecture.md, "Local server").
//
// Usage (by scripts/start.mjs and scripts/lib.mjs's startWranglerDev):
//   node scripts/dev-server.mjs '{"port":8787,"persistTo":"…","vars":{…},"testScheduled":true,"watch":true,"inspectorPort":9229,"logLevel":"info"}'
// SIGINT or SIGTERM stops it.
import { unstable_startWorker } from "wrangler";
import { join } from "node:path";
import { root } from "./lib.mjs";

const options = JSON.parse(process.argv[2] ?? "{}");
const port = Number(options.port ?? 8787);
const bindings = Object.fromEntries(Object.entries(options.vars ?? {}).map(([name, value]) => [name, { type: "plain_text", value: String(value) }]));

const worker = await unstable_startWorker({
  config: join(root, "wrangler.toml"),
  bindings,
  dev: {
    server: { hostname: options.hostname ?? "127.0.0.1", port },
    inspector: options.inspectorPort ? { hostname: "127.0.0.1", port: Number(options.inspectorPort) } : false,
    ...(options.persistTo ? { persist: options.persistTo } : {}),
    watch: Boolean(options.watch),
    testScheduled: Boolean(options.testScheduled),
    logLevel: options.logLevel ?? "warn",
  },
});
await worker.ready;

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await worker.dispose().catch(() => undefined);
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
