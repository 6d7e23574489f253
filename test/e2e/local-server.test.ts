import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error plain ESM helper shared with the scripts
import { startWranglerDev } from "../../scripts/lib.mjs";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

// The other browser tests reach the Worker's own workerd (no port asked for); `npm start` asks for
// 8787, which the dev server's TCP forwarder serves. This covers that second way.
describe("the local server on a port of the caller's choosing (as npm start runs it)", () => {
  it("forwards requests and answers both ways through the forwarder", async () => {
    const port = await freePort();
    const persistTo = mkdtempSync(join(tmpdir(), "waggle-forwarder-"));
    let server: { url: string; stop: () => void; output: () => string } | undefined;
    try {
      // Its own deadline (which stops the server) comes before the test's.
      server = await startWranglerDev({ port, persistTo, timeoutMs: 60_000 });
      expect(server.url).toBe(`http://127.0.0.1:${port}`);
      expect(server.output()).toContain(`Ready on http://127.0.0.1:${port}`);
      const health = await fetch(`${server.url}/health`);
      expect(await health.json()).toEqual({ status: "ok" });
      // A body larger than one TCP segment goes up, and the Worker's error envelope comes back.
      const missing = await fetch(`${server.url}/console/api/nowhere`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ filler: "x".repeat(200_000) }) });
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ code: "not_found", status: 404, message: "No route for POST /console/api/nowhere." });
    } finally {
      server?.stop();
      try {
        rmSync(persistTo, { recursive: true, force: true, maxRetries: 10, retryDelay: 300 });
      } catch {
        // left for the OS to clean
      }
    }
  }, 90_000);
});
