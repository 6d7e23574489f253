import { WaggleError } from "../errors";

/** Why a package was refused or a plugin call failed; each is a stable `code` in Dify's error envelope. */
export type PluginErrorCode =
  | "plugin_package_invalid"
  | "plugin_manifest_invalid"
  | "plugin_unsigned"
  | "plugin_untrusted"
  | "plugin_tampered"
  | "plugin_signature_invalid";

const statusOf: Record<PluginErrorCode, number> = {
  plugin_package_invalid: 400,
  plugin_manifest_invalid: 400,
  plugin_unsigned: 403,
  plugin_untrusted: 403,
  plugin_tampered: 400,
  plugin_signature_invalid: 400,
};

/**
 * A package Waggle will not install (malformed, unsigned, signed by an untrusted key, changed after
 * signing). The Worker's error handler turns it into `{code, message, status}`.
 *
 * @example
 * throw new PluginError("plugin_tampered", "The package was changed after it was signed: main.js differs");
 */
export class PluginError extends WaggleError {
  override name = "PluginError";
  constructor(
    readonly pluginCode: PluginErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(pluginCode, message, statusOf[pluginCode], options);
  }
}
