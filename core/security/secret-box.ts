import { fromBase64, randomBytes, toBase64 } from "./encoding";

/**
 * AES-256-GCM encryption for credentials at rest. The key is derived (SHA-256) from a Worker
 * secret so any long random string works as configuration. Ciphertext format: `v1:<iv>:<data>`.
 * @example
 * const box = await SecretBox.fromSecret(env.WAGGLE_SECRET_KEY);
 * const sealed = await box.seal(JSON.stringify({ api_key: "sk-..." }));
 */
export class SecretBox {
  private constructor(private readonly key: CryptoKey) {}

  static async fromSecret(secret: string): Promise<SecretBox> {
    if (!secret || secret.length < 16) throw new Error("WAGGLE_SECRET_KEY must be set to at least 16 characters.");
    const material = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(secret));
    const key = await crypto.subtle.importKey("raw", material, "AES-GCM", false, ["encrypt", "decrypt"]);
    return new SecretBox(key);
  }

  async seal(plaintext: string): Promise<string> {
    const iv = randomBytes(12);
    const data = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, this.key, new TextEncoder().encode(plaintext));
    return `v1:${toBase64(iv)}:${toBase64(new Uint8Array(data))}`;
  }

  async open(sealed: string): Promise<string> {
    const [version, ivText, dataText] = sealed.split(":");
    if (version !== "v1" || !ivText || !dataText) throw new Error("Unrecognised ciphertext format.");
    const data = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64(ivText) }, this.key, fromBase64(dataText));
    return new TextDecoder().decode(data);
  }
}

/** Masks a secret for display: keeps a short prefix and suffix. */
export function maskSecret(value: string): string {
  if (value.length <= 8) return "*".repeat(value.length);
  return `${value.slice(0, 3)}${"*".repeat(Math.min(12, value.length - 6))}${value.slice(-3)}`;
}
