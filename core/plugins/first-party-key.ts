import type { TrustedKey } from "./plugin-signature";

/**
 * Waggle's own plugin-signing key, trusted by every workspace without being added. This is a
 * placeholder until a release key exists: its private half was never kept, so nothing is signed
 * with it. Release signing replaces it with the real key's public half. The example plugins are
 * signed with the development key (`plugins/dev-key.json`), which a workspace must add.
 */
export const FIRST_PARTY_KEY: TrustedKey = {
  key_id: "77c80069da5fab5f",
  public_key: "WDtAkInAx9SaCiQB/GxhbroD7KJH8j5qAO9Le5yR7q8=",
  name: "Waggle (first party)",
  first_party: true,
};
