import { z } from "zod";
import { fromBase64, toBase64 } from "../security/encoding";
import { PluginError } from "./plugin-error";

export { fromBase64, toBase64 };

/** The file in a package that carries its signature; the digest covers every other file. */
export const SIGNATURE_FILE = "signature.json";
const FORMAT = "waggle-plugin-signature/1";

export const signatureFileSchema = z.object({
  format: z.literal(FORMAT),
  algorithm: z.literal("Ed25519"),
  /** First 16 hex characters of the SHA-256 of the raw public key. */
  key_id: z.string().regex(/^[0-9a-f]{16}$/),
  /** The raw 32-byte Ed25519 public key, base64. Informational: trust comes from the workspace's list, by key id. */
  public_key: z.string().max(100),
  /** The package digest that was signed. */
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  /** The SHA-256 of every file at signing time, so a verifier can say which file changed. */
  files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
  /** Ed25519 over `waggle-plugin-signature/1\n<digest>\n`, base64. */
  signature: z.string().max(200),
});
export type SignatureFile = z.infer<typeof signatureFileSchema>;

/** A public key a workspace trusts to sign plugins. */
export interface TrustedKey {
  key_id: string;
  /** Raw 32-byte Ed25519 public key, base64. */
  public_key: string;
  name: string;
  /** Waggle's own release key (built in, cannot be removed). */
  first_party?: boolean;
}

/** What a package's signature says, before deciding whether to install it. One union on `status`. */
export type SignatureCheck =
  | { status: "valid"; key_id: string; key_name: string; first_party: boolean; message: string }
  | { status: "unsigned"; message: string }
  | { status: "untrusted"; key_id: string; message: string }
  | { status: "tampered"; key_id?: string; changed: string[]; message: string };

const encoder = new TextEncoder();

function signedMessage(digest: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(`${FORMAT}\n${digest}\n`);
}

/**
 * The id of a raw Ed25519 public key: the first 16 hex characters of its SHA-256.
 *
 * @example
 * await keyIdOf(publicKeyBase64) // "3f2a9c0d81b4e6f7"
 */
export async function keyIdOf(publicKey: string): Promise<string> {
  const bytes = fromBase64(publicKey);
  if (bytes.byteLength !== 32) throw new PluginError("plugin_signature_invalid", "An Ed25519 public key is 32 bytes (base64 of the raw key)");
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...hash.slice(0, 8)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** A new Ed25519 key pair: the public key raw (base64), the private key PKCS#8 (base64). */
export async function generateSigningKey(): Promise<{ key_id: string; public_key: string; private_key: string }> {
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const publicKey = toBase64(new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer));
  const privateKey = toBase64(new Uint8Array((await crypto.subtle.exportKey("pkcs8", pair.privateKey)) as ArrayBuffer));
  return { key_id: await keyIdOf(publicKey), public_key: publicKey, private_key: privateKey };
}

/**
 * Signs a package digest with an Ed25519 private key (PKCS#8, base64) and returns the
 * `signature.json` contents.
 *
 * @example
 * const { hashes, digest } = await digestFiles(files);
 * const signature = await signDigest({ digest, files: hashes }, devKey);
 */
export async function signDigest(content: { digest: string; files: Record<string, string> }, key: { public_key: string; private_key: string }): Promise<SignatureFile> {
  const privateKey = await crypto.subtle.importKey("pkcs8", fromBase64(key.private_key), { name: "Ed25519" }, false, ["sign"]);
  const signature = new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, privateKey, signedMessage(content.digest)));
  return {
    format: FORMAT,
    algorithm: "Ed25519",
    key_id: await keyIdOf(key.public_key),
    public_key: key.public_key,
    digest: content.digest,
    files: content.files,
    signature: toBase64(signature),
  };
}

async function ed25519Verify(publicKey: string, signature: string, digest: string): Promise<boolean> {
  try {
    const key = await crypto.subtle.importKey("raw", fromBase64(publicKey), { name: "Ed25519" }, false, ["verify"]);
    return await crypto.subtle.verify({ name: "Ed25519" }, key, fromBase64(signature), signedMessage(digest));
  } catch {
    return false;
  }
}

/** Files added, removed or changed since signing, by comparing the recorded hashes with the package's. */
function changedFiles(recorded: Record<string, string>, actual: Record<string, string>): string[] {
  const paths = new Set([...Object.keys(recorded), ...Object.keys(actual)]);
  return [...paths].filter((path) => recorded[path] !== actual[path]).sort();
}

/**
 * Checks a package's signature against the workspace's trusted keys. Never throws: the outcome is
 * data, shown before install and enforced by `assertInstallable`.
 * - `tampered`: a file differs from what was signed (named), or the signature does not verify;
 * - `untrusted`: intact and signed, but by a key the workspace does not trust;
 * - `unsigned`: no `signature.json`.
 *
 * @example
 * const check = await checkSignature({ digest, hashes, signature }, trustedKeys);
 * if (check.status !== "valid") console.log(check.message);
 */
export async function checkSignature(
  pkg: { digest: string; hashes: Record<string, string>; signature?: SignatureFile },
  trusted: readonly TrustedKey[],
): Promise<SignatureCheck> {
  const signature = pkg.signature;
  if (!signature) return { status: "unsigned", message: "The package is not signed." };
  const changed = changedFiles(signature.files, pkg.hashes);
  if (changed.length) {
    return { status: "tampered", key_id: signature.key_id, changed, message: `The package was changed after it was signed: ${changed.join(", ")} ${changed.length === 1 ? "differs" : "differ"} from the signed contents.` };
  }
  if (signature.digest !== pkg.digest) {
    return { status: "tampered", key_id: signature.key_id, changed: [], message: "The package was changed after it was signed: its digest differs from the signed digest." };
  }
  const key = trusted.find((candidate) => candidate.key_id === signature.key_id);
  if (!key) {
    const valid = await ed25519Verify(signature.public_key, signature.signature, pkg.digest);
    if (!valid) return { status: "tampered", key_id: signature.key_id, changed: [], message: "The package's signature does not match its contents." };
    return { status: "untrusted", key_id: signature.key_id, message: `The package is signed by key ${signature.key_id}, which this workspace does not trust. An admin can add the key to the workspace's trusted plugin keys.` };
  }
  // Verify with the key the workspace holds, never with the one the package carries.
  if (!(await ed25519Verify(key.public_key, signature.signature, pkg.digest))) {
    return { status: "tampered", key_id: signature.key_id, changed: [], message: `The package's signature does not verify with the trusted key ${key.key_id} (${key.name}): it was changed after signing or signed by another key.` };
  }
  return { status: "valid", key_id: key.key_id, key_name: key.name, first_party: key.first_party === true, message: `Signed by ${key.name} (${key.key_id}).` };
}

/**
 * Refuses what must not be installed: tampered and untrusted packages always, unsigned ones
 * unless the workspace owner allowed unsigned plugins.
 */
export function assertInstallable(check: SignatureCheck, options: { allowUnsigned: boolean }): void {
  switch (check.status) {
    case "valid":
      return;
    case "unsigned":
      if (options.allowUnsigned) return;
      throw new PluginError("plugin_unsigned", "The package is not signed, and this workspace only installs signed plugins. Sign it (npm run plugin -- sign) or ask the workspace owner to allow unsigned plugins.");
    case "untrusted":
      throw new PluginError("plugin_untrusted", check.message);
    case "tampered":
      throw new PluginError("plugin_tampered", check.message);
  }
}
