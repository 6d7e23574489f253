import { constantTimeEqual } from "../security";

export interface WebhookCredentials {
  /** `X-Webhook-Secret` or `Authorization: Bearer …`. */
  secretHeader?: string | null;
  /** `X-Webhook-Signature: sha256=<hex>`: HMAC-SHA256 of the raw body with the secret. */
  signature?: string | null;
}

function hex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * Whether a webhook call proves it knows the secret: the secret itself in a header, or an
 * HMAC-SHA256 signature of the exact body bytes (as GitHub and Stripe sign theirs). Comparisons
 * are constant-time.
 */
export async function verifyWebhookSecret(secret: string, body: ArrayBuffer, credentials: WebhookCredentials): Promise<boolean> {
  if (credentials.secretHeader && constantTimeEqual(credentials.secretHeader, secret)) return true;
  const signature = credentials.signature?.trim().toLowerCase();
  if (!signature?.startsWith("sha256=")) return false;
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const expected = hex(await crypto.subtle.sign("HMAC", key, body));
  return constantTimeEqual(signature.slice(7), expected);
}

/**
 * A webhook call's start inputs: the query string's parameters, then the body's fields (a JSON
 * object or a form) over them, keeping only the variables the start node declares.
 */
export function webhookInputs(declared: string[], query: Record<string, string>, body: Record<string, unknown>): Record<string, unknown> {
  const names = new Set(declared);
  const inputs: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(query)) if (names.has(name)) inputs[name] = value;
  for (const [name, value] of Object.entries(body)) if (names.has(name)) inputs[name] = value;
  return inputs;
}
