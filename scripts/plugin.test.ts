import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { FIRST_PARTY_KEY, inspectPackage } from "../core/plugins";

const run = promisify(execFile);
const root = new URL("..", import.meta.url).pathname;
const cli = (...args: string[]) => run(join(root, "node_modules/.bin/tsx"), [join(root, "scripts/plugin.ts"), ...args], { cwd: root });

describe("npm run plugin", () => {
  let dir: string;
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("scaffolds, makes a key, signs and verifies; a key file in the folder is never packed", async () => {
    dir = await mkdtemp(join(tmpdir(), "waggle-plugin-cli-"));
    const plugin = join(dir, "hello");
    expect((await cli("init", plugin, "--id", "acme/hello")).stdout).toContain("created acme/hello");
    await cli("keygen", "--out", join(dir, "key.json"), "--name", "Acme");
    const key = JSON.parse(await readFile(join(dir, "key.json"), "utf8"));
    const out = join(dir, "hello.waggle-plugin");
    expect((await cli("sign", plugin, "--key", join(dir, "key.json"), "--out", out)).stdout).toContain(`key ${key.key_id}`);
    const verified = await cli("verify", out, "--trust", join(dir, "key.json"));
    expect(verified.stdout).toContain("signature valid: Signed by Acme");
    expect(verified.stdout).toContain("hosts     (no network)");
    const { pkg, signature } = await inspectPackage(new Uint8Array(await readFile(out)), [FIRST_PARTY_KEY]);
    expect([...pkg.files.keys()].sort()).toEqual(["main.js", "manifest.yaml"]);
    expect(signature.status).toBe("untrusted");
    await expect(cli("verify", out)).rejects.toMatchObject({ stdout: expect.stringContaining("signature untrusted") });

    await writeFile(join(plugin, "key.json"), await readFile(join(dir, "key.json")));
    await expect(cli("pack", plugin)).rejects.toMatchObject({ stderr: expect.stringContaining("holds a private key") });
  });
});
