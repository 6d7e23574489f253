// Runs the platform locally the way `wrangler dev` does — the same wrangler.toml, local D1,
// Durable Objects, Queues, R2 and static assets in workerd — through wrangler's own
// `unstable_startWorker` (what `wrangler dev` calls), but with its DevTools inspector off unless
// asked for. With the inspector on, wrangler subscribes to the runtime's network events and hands
// every one of them (four per D1 query, DO call or fetch) to its Node process, which formats it and
// appends it to a debug log file under ~/.config/.wrangler/logs: about 10 ms of CPU for a console
// API request that costs 2–4 ms without it, on every request (docs/architecture.md, "Local server").
// Without DevTools, wrangler's proxy in front of the Worker is replaced too (ForwardingProxy below),
// and when nothing is watched and no port asked for, nothing ever reloads and there is nothing to
// hold requests for: the Worker's own workerd answers on a port it picks, printed as "Ready on <url>".
//
// Usage (by scripts/start.mjs and scripts/lib.mjs's startWranglerDev):
//   node scripts/dev-server.mjs '{"port":8787,"persistTo":"…","vars":{…},"testScheduled":true,"watch":true,"inspectorPort":9229,"logLevel":"info","logRequests":true}'
// SIGINT or SIGTERM stops it.
import { unstable_DevEnv } from "wrangler";
import { createServer, connect } from "node:net";
import { join } from "node:path";
import { root } from "./lib.mjs";

const options = JSON.parse(process.argv[2] ?? "{}");
const direct = options.port === undefined && !options.watch && !options.inspectorPort;
const port = Number(options.port ?? 8787);
const hostname = options.hostname ?? "127.0.0.1";
const bindings = Object.fromEntries(Object.entries(options.vars ?? {}).map(([name, value]) => [name, { type: "plain_text", value: String(value) }]));
// Without wrangler's proxy (below) nothing logs requests; the Worker does it instead.
if (options.logRequests && !options.inspectorPort) bindings.WAGGLE_LOG_REQUESTS = { type: "plain_text", value: "true" };

/**
 * Stands in for wrangler's ProxyController when DevTools are off. wrangler puts a second workerd
 * (its "ProxyWorker") in front of the Worker's own, so that requests made while the Worker
 * reloads wait instead of failing; every request and every streamed chunk then crosses two HTTP
 * servers (`GET /health`: 3.2–3.7 ms through it, 1.4–1.8 ms to the Worker's workerd directly).
 * This one pipes TCP connections from the public port straight to the Worker's workerd, holding
 * new connections while a reload is under way. Headers are untouched, so the Worker sees the
 * same URL and Host as before.
 */
class ForwardingProxy {
  ready = deferred();
  runtimeMessageMutex = { drained: async () => undefined };
  #direct;
  #target;
  #reloaded = deferred();
  #servers = [];

  /** `direct`: announce the Worker's own address instead of listening on `port`. */
  constructor({ direct = false } = {}) {
    this.#direct = direct;
  }

  onConfigUpdate() {}
  onBundleStart() {
    this.#pause();
  }
  onReloadStart() {
    this.#pause();
  }
  onReloadComplete(event) {
    const { hostname: host, port: targetPort } = event.proxyData.userWorkerUrl;
    this.#target = { host, port: Number(targetPort) };
    this.#reloaded.resolve();
    if (this.#direct) {
      if (this.ready.settled) return;
      const url = new URL(`http://${host}:${targetPort}`);
      this.ready.resolve({ url });
      console.log(`Ready on ${url.origin}`);
    } else if (!this.#servers.length) this.#listen();
  }
  onPreviewTokenExpired() {}
  async teardown() {
    for (const server of this.#servers) server.close();
  }

  #pause() {
    if (this.#reloaded.settled) this.#reloaded = deferred();
  }

  #connect(client) {
    client.setNoDelay(true);
    client.pause();
    client.on("error", () => client.destroy());
    void this.#reloaded.promise.then(() => {
      if (client.destroyed) return;
      const upstream = connect(this.#target.port, this.#target.host);
      upstream.setNoDelay(true);
      upstream.on("error", () => client.destroy());
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
      client.pipe(upstream).pipe(client);
      client.resume();
    });
  }

  #listen() {
    // "localhost" (npm start) answers on both loopback addresses, as wrangler dev does.
    const hosts = hostname === "localhost" ? ["127.0.0.1", "::1"] : [hostname];
    for (const [index, host] of hosts.entries()) {
      const server = createServer((client) => this.#connect(client));
      this.#servers.push(server);
      server.on("error", (error) => {
        if (index === 0) this.ready.reject(error);
        else server.close(); // no IPv6 loopback here
      });
      server.listen(port, host, () => {
        if (index > 0) return;
        this.ready.resolve({ url: new URL(`http://${hostname}:${port}`) });
        console.log(`Ready on http://${hostname}:${port}`);
      });
    }
  }
}

function deferred() {
  const result = { settled: false };
  result.promise = new Promise((resolve, reject) => {
    result.resolve = (value) => {
      result.settled = true;
      resolve(value);
    };
    result.reject = (error) => {
      result.settled = true;
      reject(error);
    };
  });
  return result;
}

// With DevTools on, wrangler's own proxy stays: its inspector proxy lives next to it.
const devEnv = options.inspectorPort ? new unstable_DevEnv() : new unstable_DevEnv({ proxyFactory: () => new ForwardingProxy({ direct }) });
const worker = await devEnv.startWorker({
  config: join(root, "wrangler.toml"),
  bindings,
  dev: {
    server: { hostname, port: direct ? 0 : port },
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
