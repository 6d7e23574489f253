import { sha256Hex } from "./encoding";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A random string over [A-Za-z0-9] without modulo bias. */
export function randomToken(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}

/** Dify-style service key: `app-` or `dataset-` followed by 24 characters. */
export function newApiKey(type: "app" | "dataset"): string {
  return `${type}-${randomToken(24)}`;
}

/** What a key list shows instead of the secret: `app-ab…wxyz`. */
export function apiKeyHint(token: string): string {
  const dash = token.indexOf("-");
  return `${token.slice(0, dash + 3)}…${token.slice(-4)}`;
}

/** Tokens (API keys, sessions, invitations) are stored only as their SHA-256. */
export const hashToken = sha256Hex;
