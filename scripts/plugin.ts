/**
 * The plugin CLI: `npm run plugin -- <command>`.
 *
 *   init <dir> [--id author/name]       scaffold a plugin from plugins/templates/basic
 *   pack <dir> [--out file]             zip manifest.yaml and the modules into an unsigned .waggle-plugin
 *   sign <dir|file> --key key.json [--out file]
 *                                       pack (or re-read) and sign with an Ed25519 key
 *   verify <file> [--trust key.json]... check shape, digest and signature; print permissions
 *   keygen --out key.json               make a signing key (keep the file secret)
 *   dev <dir> --token <console token> [--url http://localhost:8787] [--key key.json]
 *                                       install the folder into the token's workspace, reinstall on
 *                                       every save, and print the plugin's log lines as they come
 */
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildPackage, FIRST_PARTY_KEY, generateSigningKey, inspectPackage, keyIdOf, parseManifest, readPackage, type TrustedKey } from "../core/plugins";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** Files a package may carry; everything else in the folder (tests, node_modules, dotfiles) stays out. */
const PACKED = /^(manifest\.yaml|README\.md|.*\.m?js|.*\.json)$/;

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

function options(args: string[], name: string): string[] {
  return args.flatMap((arg, index) => (arg === name && args[index + 1] ? [args[index + 1]!] : []));
}

async function collect(dir: string, base = dir): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) for (const [name, bytes] of await collect(path, base)) files.set(name, bytes);
    else if (PACKED.test(entry.name)) {
      const bytes = new Uint8Array(await readFile(path));
      // Never pack a signing key that was left in the folder.
      if (entry.name.endsWith(".json") && new TextDecoder().decode(bytes).includes('"private_key"')) throw new Error(`${path} holds a private key; move it out of the plugin folder`);
      files.set(relative(base, path).split("\\").join("/"), bytes);
    }
  }
  return files;
}

/** The files of a plugin folder, or of an existing package (its signature dropped). */
export async function pluginFiles(source: string): Promise<Map<string, Uint8Array>> {
  if ((await stat(source)).isDirectory()) {
    const files = await collect(source);
    const manifest = files.get("manifest.yaml");
    if (!manifest) throw new Error(`${source} has no manifest.yaml`);
    const parsed = parseManifest(new TextDecoder().decode(manifest));
    if (!files.has(parsed.entry)) throw new Error(`${source} has no ${parsed.entry} (the manifest's entry)`);
    return files;
  }
  return (await readPackage(new Uint8Array(await readFile(source)))).files;
}

async function readKey(path: string): Promise<{ public_key: string; private_key?: string; name?: string }> {
  const key = JSON.parse(await readFile(path, "utf8")) as { public_key?: string; private_key?: string; name?: string };
  if (!key.public_key) throw new Error(`${path} has no public_key`);
  return key as { public_key: string; private_key?: string; name?: string };
}

function outputFor(source: string, manifestId: string, version: string, out?: string): string {
  if (out) return out;
  const dir = source.endsWith(".waggle-plugin") ? dirname(source) : source;
  return join(dir, `${manifestId.replace("/", "-")}-${version}.waggle-plugin`);
}

async function pack(args: string[], signed: boolean): Promise<void> {
  const source = args[0];
  if (!source) throw new Error(`usage: ${signed ? "sign <dir|file> --key key.json" : "pack <dir>"} [--out file]`);
  const files = await pluginFiles(source);
  const manifest = parseManifest(new TextDecoder().decode(files.get("manifest.yaml")!));
  let key: { public_key: string; private_key: string } | undefined;
  if (signed) {
    const keyPath = option(args, "--key");
    if (!keyPath) throw new Error("sign needs --key key.json (make one with keygen)");
    const read = await readKey(keyPath);
    if (!read.private_key) throw new Error(`${keyPath} has no private_key`);
    key = { public_key: read.public_key, private_key: read.private_key };
  }
  const bytes = await buildPackage(files, key);
  const out = outputFor(source, manifest.id, manifest.version, option(args, "--out"));
  await writeFile(out, bytes);
  console.log(`${signed ? "signed" : "packed (unsigned)"} ${manifest.id} ${manifest.version} → ${out} (${bytes.byteLength} bytes${key ? `, key ${await keyIdOf(key.public_key)}` : ""})`);
}

async function verify(args: string[]): Promise<void> {
  const file = args[0];
  if (!file) throw new Error("usage: verify <file> [--trust key.json]...");
  const trusted: TrustedKey[] = [FIRST_PARTY_KEY];
  for (const path of options(args, "--trust")) {
    const key = await readKey(path);
    trusted.push({ key_id: await keyIdOf(key.public_key), public_key: key.public_key, name: key.name ?? basename(path) });
  }
  const { pkg, signature } = await inspectPackage(new Uint8Array(await readFile(file)), trusted);
  const m = pkg.manifest;
  console.log(`${m.id} ${m.version} by ${m.author}: ${m.name}`);
  console.log(`digest    ${pkg.digest}`);
  console.log(`signature ${signature.status}: ${signature.message}`);
  console.log(`hosts     ${m.permissions.hosts.join(", ") || "(no network)"}`);
  console.log(`storage   ${m.permissions.storage ? "yes" : "no"}; models ${m.permissions.models ? "yes" : "no"}; tools ${m.permissions.tools ? "yes" : "no"}`);
  console.log(`provides  ${m.tools.length} tool(s), ${m.model_providers.length} model provider(s), ${m.endpoints.length} endpoint(s)`);
  if (signature.status !== "valid") process.exitCode = 1;
}

async function init(args: string[]): Promise<void> {
  const dir = args[0];
  if (!dir) throw new Error("usage: init <dir> [--id author/name]");
  const id = option(args, "--id") ?? `me/${basename(resolve(dir)).toLowerCase().replace(/[^a-z0-9_-]/g, "-")}`;
  await mkdir(dir, { recursive: true });
  const template = join(root, "plugins/templates/basic");
  for (const name of await readdir(template)) {
    const target = join(dir, name);
    if (await stat(target).then(() => true, () => false)) throw new Error(`${target} already exists`);
    const text = (await readFile(join(template, name), "utf8")).replaceAll("{{id}}", id).replaceAll("{{name}}", id.split("/")[1]!).replaceAll("{{author}}", id.split("/")[0]!);
    await writeFile(target, text);
  }
  parseManifest(await readFile(join(dir, "manifest.yaml"), "utf8"));
  console.log(`created ${id} in ${dir}: edit manifest.yaml and main.js, then npm run plugin -- sign ${dir} --key key.json`);
}

async function keygen(args: string[]): Promise<void> {
  const out = option(args, "--out");
  if (!out) throw new Error("usage: keygen --out key.json");
  const key = await generateSigningKey();
  await writeFile(out, `${JSON.stringify({ name: option(args, "--name") ?? "plugin signing key", ...key }, null, 2)}\n`, { mode: 0o600 });
  console.log(`key ${key.key_id} → ${out} (keep it secret; give admins the public_key to trust)`);
}

/** Paths, sizes and modification times of the files a package would hold. */
async function folderFingerprint(dir: string, base = dir): Promise<string> {
  const parts: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) parts.push(await folderFingerprint(path, base));
    else if (PACKED.test(entry.name)) {
      const info = await stat(path);
      parts.push(`${relative(base, path)}:${info.size}:${info.mtimeMs}`);
    }
  }
  return parts.join("|");
}

/**
 * The debug runtime: packs the folder (signed with --key, else unsigned, which the workspace must
 * allow), installs or upgrades it in the workspace of the console token, repeats on every save,
 * and polls the plugin's log lines (`GET …/plugins/{id}/logs`). An upgrade changes the package
 * digest, so the next call runs the new code in a fresh isolate.
 */
async function dev(args: string[]): Promise<void> {
  const dir = args[0];
  const token = option(args, "--token") ?? process.env.WAGGLE_TOKEN;
  if (!dir || !token) throw new Error("usage: dev <dir> --token <console access token> [--url http://localhost:8787] [--key key.json]");
  const base = `${(option(args, "--url") ?? "http://localhost:8787").replace(/\/+$/, "")}/console/api/workspaces/current`;
  const keyPath = option(args, "--key");
  const key = keyPath ? await readKey(keyPath) : undefined;
  if (key && !key.private_key) throw new Error(`${keyPath} has no private_key`);
  const api = (path: string, init: RequestInit = {}) => fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string> | undefined) } });
  const stamp = () => new Date().toISOString().slice(11, 19);
  let installationId: string | undefined;
  let after = 0;
  let busy = false;
  let again = false;

  async function push(): Promise<void> {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      const files = await pluginFiles(dir!);
      const manifest = parseManifest(new TextDecoder().decode(files.get("manifest.yaml")!));
      const bytes = await buildPackage(files, key?.private_key ? { public_key: key.public_key, private_key: key.private_key } : undefined);
      const listed = (await (await api("/plugins")).json()) as { plugins?: Array<{ id: string; plugin_id: string }>; message?: string };
      if (!listed.plugins) throw new Error(`cannot list plugins: ${listed.message ?? "unknown error"}`);
      const existing = listed.plugins.find((plugin) => plugin.plugin_id === manifest.id);
      const form = new FormData();
      form.append("pkg", new Blob([bytes as Uint8Array<ArrayBuffer>]), "dev.waggle-plugin");
      const res = await api(existing ? `/plugins/${existing.id}/upgrade` : "/plugins/install", { method: "POST", body: form });
      const body = (await res.json()) as { id?: string; code?: string; message?: string; digest?: string };
      if (!res.ok) {
        console.error(`${stamp()} ✗ ${body.code}: ${body.message}`);
        return;
      }
      if (installationId !== body.id) {
        // Start from the server's newest line: earlier sessions' lines are not this one's.
        const seen = await api(`/plugins/${body.id}/logs`).then((logs) => (logs.ok ? (logs.json() as Promise<{ last: number }>) : { last: 0 }));
        after = seen.last;
      }
      installationId = body.id;
      console.log(`${stamp()} ✓ loaded ${manifest.id} ${manifest.version} (digest ${body.digest?.slice(0, 12)})`);
    } catch (error) {
      console.error(`${stamp()} ✗ ${(error as Error).message}`);
    } finally {
      busy = false;
      if (again) {
        again = false;
        void push();
      }
    }
  }

  await push();
  // Polled rather than fs.watch: editors that save by renaming a new file over the old one make
  // Linux watchers lose the file, and a poll of the packed files' times and sizes is cheap.
  let fingerprint = await folderFingerprint(dir);
  setInterval(() => {
    folderFingerprint(dir!)
      .then((next) => {
        if (next === fingerprint) return;
        fingerprint = next;
        void push();
      })
      .catch(() => {});
  }, 500);
  let polling = false;
  setInterval(() => {
    if (!installationId || polling) return;
    polling = true;
    api(`/plugins/${installationId}/logs?after=${after}`)
      .then(async (res) => {
        if (!res.ok) return;
        const { lines, last } = (await res.json()) as { lines: Array<{ seq: number; text: string }>; last: number };
        // The server restarted (its buffer is empty again): start over.
        if (last < after) after = 0;
        for (const line of lines) console.log(`${stamp()} │ ${line.text}`);
        after = Math.max(after, ...lines.map((line) => line.seq));
      })
      .catch(() => {})
      .finally(() => {
        polling = false;
      });
  }, 1000);
  console.log(`watching ${dir}; Ctrl-C to stop`);
  await new Promise(() => {});
}

const commands: Record<string, (args: string[]) => Promise<void>> = {
  dev,
  init,
  pack: (args) => pack(args, false),
  sign: (args) => pack(args, true),
  verify,
  keygen,
};

const [command, ...rest] = process.argv.slice(2);
const run = command ? commands[command] : undefined;
if (!run) {
  console.error("usage: npm run plugin -- <init|pack|sign|verify|keygen|dev> ...");
  process.exit(2);
}
run(rest).catch((error: Error) => {
  console.error(`plugin ${command}: ${error.message}`);
  process.exit(1);
});
