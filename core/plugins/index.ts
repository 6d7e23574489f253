export { PluginError, type PluginErrorCode } from "./plugin-error";
export {
  credentialFields,
  credentialFieldSchema,
  isDeclaredHost,
  parseManifest,
  pluginIdPattern,
  pluginManifestSchema,
  type CredentialField,
  type PluginManifest,
  type PluginModelProvider,
  type PluginPermissions,
  type PluginTool,
} from "./plugin-manifest";
export { digestFiles, MAX_PACKAGE_BYTES, moduleTexts, packageListing, readPackage, sha256Bytes, writePackage, type PluginPackage } from "./plugin-package";
export {
  assertInstallable,
  checkSignature,
  fromBase64,
  generateSigningKey,
  keyIdOf,
  SIGNATURE_FILE,
  signatureFileSchema,
  signDigest,
  toBase64,
  type SignatureCheck,
  type SignatureFile,
  type TrustedKey,
} from "./plugin-signature";
export { FIRST_PARTY_KEY } from "./first-party-key";
export { buildPackage, inspectPackage } from "./build-package";
