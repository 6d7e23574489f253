import { constantTimeEqual, toBase64 } from "./encoding";

/**
 * Small signed tokens (HMAC-SHA-256 under a key derived from the platform secret and a purpose),
 * for credentials the server hands out and later reads back without storing them — e.g. the
 * passport of a published web app. Format: `base64url(json).base64url(mac)`.
 *
 * @example
 * const signer = await TokenSigner.create(secret, "web-passport");
 * const token = await signer.sign({ c: "code", u: "user" });
 * await signer.verify(token); // → { c: "code", u: "user" }, or undefined if anything was changed
 */
export class TokenSigner {
  private constructor(private readonly key: CryptoKey) {}

  static async create(secret: string, purpose: string): Promise<TokenSigner> {
    if (!secret) throw new Error("A secret is required to sign tokens.");
    const encoder = new TextEncoder();
    const master = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    // One key per purpose, so a token made for one use is never accepted for another.
    const derived = await crypto.subtle.sign("HMAC", master, encoder.encode(`waggle token signer: ${purpose}`));
    const key = await crypto.subtle.importKey("raw", derived, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    return new TokenSigner(key);
  }

  async sign(payload: Record<string, unknown>): Promise<string> {
    const body = base64Url(new TextEncoder().encode(JSON.stringify(payload)));
    return `${body}.${await this.mac(body)}`;
  }

  /** The payload of a token this signer made, or undefined for anything else. */
  async verify(token: string): Promise<Record<string, unknown> | undefined> {
    if (token.length > 4096) return undefined;
    const [body, mac, extra] = token.split(".");
    if (!body || !mac || extra !== undefined) return undefined;
    if (!constantTimeEqual(mac, await this.mac(body))) return undefined;
    try {
      const payload: unknown = JSON.parse(new TextDecoder().decode(fromBase64Url(body)));
      return payload && typeof payload === "object" && !Array.isArray(payload) ? (payload as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }

  private async mac(body: string): Promise<string> {
    return base64Url(new Uint8Array(await crypto.subtle.sign("HMAC", this.key, new TextEncoder().encode(body))));
  }
}

function base64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("not base64url");
  const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
  const binary = atob(padded);
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}
