// `npm start`: install what is missing, create local secrets, build the web app, apply D1
// migrations and run the platform under wrangler's local dev server (scripts/dev-server.mjs:
// `wrangler dev` without its DevTools inspector). Data persists in .wrangler/state.
// Port: WAGGLE_PORT=9000 npm start, or npm start -- --port 9000.
// DevTools for the Worker: WAGGLE_INSPECTOR_PORT=9229 npm start, then open chrome://inspect.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { applyMigrations, buildWeb, ensureDependencies, ensureDevVars, root, wranglerEnv } from "./lib.mjs";

const flag = process.argv.indexOf("--port");
const port = Number(flag >= 0 ? process.argv[flag + 1] : (process.env.WAGGLE_PORT ?? 8787));
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`Invalid port "${flag >= 0 ? process.argv[flag + 1] : process.env.WAGGLE_PORT}". Use a number between 1 and 65535.`);
  process.exit(1);
}

ensureDependencies();
ensureDevVars();
buildWeb();
applyMigrations();
console.log(`› Starting Waggle on http://localhost:${port}`);
// `testScheduled` lets this script fire the Worker's cron (workflow schedules, housekeeping)
// every minute, as Cloudflare does in production; wrangler's dev server does not run crons by itself.
// `hostname` is wrangler dev's default; `watch` rebuilds the Worker when its code changes.
const inspectorPort = process.env.WAGGLE_INSPECTOR_PORT ? Number(process.env.WAGGLE_INSPECTOR_PORT) : undefined;
if (inspectorPort !== undefined && !(Number.isInteger(inspectorPort) && inspectorPort > 0 && inspectorPort <= 65535)) {
  console.error(`Invalid WAGGLE_INSPECTOR_PORT "${process.env.WAGGLE_INSPECTOR_PORT}". Use a number between 1 and 65535.`);
  process.exit(1);
}
const options = { port, hostname: "localhost", testScheduled: true, watch: true, logLevel: "log", logRequests: true, inspectorPort };
const child = spawn(process.execPath, [join(root, "scripts", "dev-server.mjs"), JSON.stringify(options)], { cwd: root, env: wranglerEnv, stdio: "inherit" });
const fire = (cron) => fetch(`http://127.0.0.1:${port}/__scheduled?cron=${encodeURIComponent(cron)}`).catch(() => undefined);
const tick = () => {
  void fire("* * * * *");
  if (new Date().getUTCMinutes() % 15 === 0) void fire("*/15 * * * *");
};
const untilNextMinute = 60_000 - (Date.now() % 60_000);
let everyMinute;
const firstTick = setTimeout(() => {
  void tick();
  everyMinute = setInterval(tick, 60_000);
}, untilNextMinute);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => {
  clearTimeout(firstTick);
  clearInterval(everyMinute);
  process.exit(code ?? 0);
});
