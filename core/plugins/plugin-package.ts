import JSZip from "jszip";
import { parseManifest, type PluginManifest } from "./plugin-manifest";
import { PluginError } from "./plugin-error";
import { signatureFileSchema, SIGNATURE_FILE, type SignatureFile } from "./plugin-signature";

/** The largest package Waggle accepts, compressed (the upload) and uncompressed (all files). */
export const MAX_PACKAGE_BYTES = 5 * 1024 * 1024;
export const MAX_UNPACKED_BYTES = 10 * 1024 * 1024;
const MAX_FILES = 200;
/** Zip entries get this date, so packing the same files twice gives the same bytes. */
const FIXED_DATE = new Date("1980-01-01T00:00:00Z");

/** A package read and checked for shape (not yet for its signature: see `verifyPackage`). */
export interface PluginPackage {
  manifest: PluginManifest;
  /** Every file but `signature.json`, by path. */
  files: Map<string, Uint8Array>;
  /** `sha256  path` lines, sorted by path: what the digest covers. */
  listing: string;
  /** SHA-256 (hex) of `listing`: the package digest the signature signs. */
  digest: string;
  /** Absent when the package is unsigned. */
  signature?: SignatureFile;
}

export async function sha256Bytes(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** The listing of file hashes, sorted by path: one `hash  path` line each (as `sha256sum` prints). */
export function packageListing(hashes: Record<string, string>): string {
  return Object.keys(hashes)
    .sort()
    .map((path) => `${hashes[path]}  ${path}\n`)
    .join("");
}

/** Hashes of every file, and the digest over their listing. */
export async function digestFiles(files: Map<string, Uint8Array>): Promise<{ hashes: Record<string, string>; listing: string; digest: string }> {
  const hashes: Record<string, string> = {};
  for (const [path, bytes] of files) hashes[path] = await sha256Bytes(bytes);
  const listing = packageListing(hashes);
  return { hashes, listing, digest: await sha256Bytes(new TextEncoder().encode(listing)) };
}

function checkPath(path: string): void {
  // `__waggle…` names are the host's (the isolate's guest module).
  if (path.startsWith("__waggle")) throw new PluginError("plugin_package_invalid", `The package holds a file with a name reserved for Waggle: ${path}`);
  if (!/^[A-Za-z0-9_\-./]+$/.test(path) || path.startsWith("/") || path.split("/").some((part) => part === ".." || part === "." || part === "")) {
    throw new PluginError("plugin_package_invalid", `The package holds a file with a path Waggle does not accept: ${JSON.stringify(path.slice(0, 200))}`);
  }
}

/**
 * Reads a `.waggle-plugin` (a zip of `manifest.yaml`, ES modules and, when signed,
 * `signature.json`), checks its shape and computes its digest. Nothing in it runs.
 *
 * @example
 * const pkg = await readPackage(bytes);
 * pkg.manifest.id // "waggle/weather"
 */
export async function readPackage(bytes: Uint8Array): Promise<PluginPackage> {
  if (bytes.byteLength > MAX_PACKAGE_BYTES) throw new PluginError("plugin_package_invalid", `The package is ${bytes.byteLength} bytes; the limit is ${MAX_PACKAGE_BYTES}`);
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch (error) {
    throw new PluginError("plugin_package_invalid", `The file is not a .waggle-plugin package (a zip): ${(error as Error).message}`);
  }
  const entries = Object.values(zip.files).filter((entry) => !entry.dir);
  if (entries.length > MAX_FILES) throw new PluginError("plugin_package_invalid", `The package holds ${entries.length} files; the limit is ${MAX_FILES}`);
  let unpacked = 0;
  const files = new Map<string, Uint8Array>();
  let signatureBytes: Uint8Array | undefined;
  for (const entry of entries) {
    // JSZip strips `../` from names; the original is what another unzip tool would use.
    checkPath((entry as unknown as { unsafeOriginalName?: string }).unsafeOriginalName ?? entry.name);
    // Refuse a zip bomb before inflating it, when the header says how big the entry is.
    const declared = (entry as unknown as { _data?: { uncompressedSize?: number } })._data?.uncompressedSize ?? 0;
    if (unpacked + declared > MAX_UNPACKED_BYTES) throw new PluginError("plugin_package_invalid", `The package unpacks to more than ${MAX_UNPACKED_BYTES} bytes`);
    const content = await entry.async("uint8array");
    unpacked += content.byteLength;
    if (unpacked > MAX_UNPACKED_BYTES) throw new PluginError("plugin_package_invalid", `The package unpacks to more than ${MAX_UNPACKED_BYTES} bytes`);
    if (entry.name === SIGNATURE_FILE) signatureBytes = content;
    else files.set(entry.name, content);
  }
  const manifestBytes = files.get("manifest.yaml");
  if (!manifestBytes) throw new PluginError("plugin_package_invalid", "The package has no manifest.yaml");
  const manifest = parseManifest(new TextDecoder().decode(manifestBytes));
  if (!files.has(manifest.entry)) throw new PluginError("plugin_package_invalid", `The manifest's entry module ${manifest.entry} is not in the package`);
  const { listing, digest } = await digestFiles(files);
  let signature: SignatureFile | undefined;
  if (signatureBytes) {
    let raw: unknown;
    try {
      raw = JSON.parse(new TextDecoder().decode(signatureBytes));
    } catch {
      throw new PluginError("plugin_signature_invalid", `${SIGNATURE_FILE} is not JSON`);
    }
    const parsed = signatureFileSchema.safeParse(raw);
    if (!parsed.success) throw new PluginError("plugin_signature_invalid", `${SIGNATURE_FILE} is not a Waggle plugin signature: ${parsed.error.issues[0]?.message ?? "invalid"}`);
    signature = parsed.data;
  }
  return { manifest, files, listing, digest, signature };
}

/**
 * Zips files (and a signature, when given) into a `.waggle-plugin`. The same files give the same
 * bytes: entries are sorted and dated 1980-01-01.
 *
 * @example
 * const bytes = await writePackage(new Map([["manifest.yaml", manifest], ["main.js", code]]));
 */
export async function writePackage(files: Map<string, Uint8Array>, signature?: SignatureFile): Promise<Uint8Array> {
  const zip = new JSZip();
  for (const path of [...files.keys()].sort()) {
    checkPath(path);
    zip.file(path, files.get(path)!, { date: FIXED_DATE, createFolders: false });
  }
  if (signature) zip.file(SIGNATURE_FILE, `${JSON.stringify(signature, null, 2)}\n`, { date: FIXED_DATE, createFolders: false });
  return zip.generateAsync({ type: "uint8array", compression: "DEFLATE", compressionOptions: { level: 9 }, platform: "UNIX" });
}

/** The text of a module file, for the isolate. */
export function moduleTexts(pkg: Pick<PluginPackage, "files">): Record<string, string> {
  const modules: Record<string, string> = {};
  for (const [path, bytes] of pkg.files) if (/\.m?js$/.test(path)) modules[path] = new TextDecoder().decode(bytes);
  return modules;
}
