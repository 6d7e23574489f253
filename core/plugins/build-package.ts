import { digestFiles, readPackage, writePackage, type PluginPackage } from "./plugin-package";
import { checkSignature, signDigest, type SignatureCheck, type TrustedKey } from "./plugin-signature";

/**
 * Packs files into a `.waggle-plugin`, signed when a key is given.
 *
 * @example
 * const bytes = await buildPackage(files, { public_key, private_key });
 */
export async function buildPackage(files: Map<string, Uint8Array>, key?: { public_key: string; private_key: string }): Promise<Uint8Array> {
  if (!key) return writePackage(files);
  const { hashes, digest } = await digestFiles(files);
  return writePackage(files, await signDigest({ digest, files: hashes }, key));
}

/**
 * Reads a package and checks its signature against trusted keys: what the console shows before
 * install (manifest, permissions, signature) and what install enforces.
 *
 * @example
 * const { pkg, signature } = await inspectPackage(bytes, [FIRST_PARTY_KEY, ...workspaceKeys]);
 */
export async function inspectPackage(bytes: Uint8Array, trusted: readonly TrustedKey[]): Promise<{ pkg: PluginPackage; signature: SignatureCheck }> {
  const pkg = await readPackage(bytes);
  const { hashes } = await digestFiles(pkg.files);
  return { pkg, signature: await checkSignature({ digest: pkg.digest, hashes, signature: pkg.signature }, trusted) };
}
