// `npm test`: every test. Installs what is missing (dependencies; Debian's Chromium when running
// as root), checks the architecture rules and types, builds the web app, then runs the three
// vitest projects (core in Node and workers inside workerd together, then e2e in Chromium against
// wrangler dev) and ends with one line: "N passed, N failed".
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildWeb, ensureDependencies, root, run, wranglerEnv } from "./lib.mjs";

const CHROMIUM = "/usr/bin/chromium";

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot || !existsSync("/usr/bin/apt-get")) {
    console.error(`Browser tests need Debian's Chromium at ${CHROMIUM}. Install it with: sudo apt-get install -y chromium`);
    process.exit(1);
  }
  console.log("› Installing Debian's chromium for the browser tests…");
  run("apt-get", ["update", "-qq"]);
  run("apt-get", ["install", "-y", "-qq", "chromium"], { env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
}

ensureDependencies();
ensureChromium();
console.log("› Lint (architecture rules, no eval, egress choke point)…");
run(join(root, "node_modules", ".bin", "eslint"), ["."]);
console.log("› Type check…");
run(join(root, "node_modules", ".bin", "tsc"), ["--noEmit", "-p", "tsconfig.json"]);
buildWeb();

const artifacts = join(root, "test", "artifacts");
mkdirSync(artifacts, { recursive: true });
const extra = process.argv.slice(2);
// The browser tests run after the others, not beside them: on a small machine, two workerd
// processes, vitest's workers and Chromium at once starved the local server long enough for a
// page load to time out now and then. A run naming its own projects is left as asked.
const phases = extra.some((arg) => arg.startsWith("--project")) ? [extra] : [["--project", "core", "--project", "workers", ...extra], ["--project", "e2e", ...extra]];

let passed = 0;
let failed = 0;
let skipped = 0;
let status = 0;
phases.forEach((args, index) => {
  const report = join(artifacts, phases.length > 1 ? `vitest-report-${index + 1}.json` : "vitest-report.json");
  rmSync(report, { force: true });
  const result = spawnSync(join(root, "node_modules", ".bin", "vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...args], {
    cwd: root,
    stdio: "inherit",
    env: wranglerEnv,
  });
  if (result.status !== 0) status = 1;
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, "utf8"));
    passed += json.numPassedTests ?? 0;
    failed += (json.numFailedTests ?? 0) + (json.numFailedTestSuites ?? 0);
    skipped += (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
  } else {
    failed += 1;
  }
});
const summary = `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`;
writeFileSync(join(artifacts, "summary.txt"), `${summary}\n`);
console.log(summary);
process.exit(status === 0 && failed === 0 ? 0 : 1);
