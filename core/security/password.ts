import { constantTimeEqual, fromBase64, randomBytes, toBase64 } from "./encoding";

/** The Workers runtime caps PBKDF2 at 100,000 iterations; use all of them. */
export const PASSWORD_ITERATIONS = 100_000;
const ALGORITHM = "pbkdf2-sha256";

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256);
  return new Uint8Array(bits);
}

/**
 * Hashes a password with PBKDF2-SHA256 and a fresh 16-byte salt.
 * @example
 * const stored = await hashPassword("correct horse 1"); // "pbkdf2-sha256$100000$<salt>$<hash>"
 */
export async function hashPassword(password: string, iterations = PASSWORD_ITERATIONS): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, iterations);
  return `${ALGORITHM}$${iterations}$${toBase64(salt)}$${toBase64(hash)}`;
}

/** Checks a password against a stored hash; false for any malformed stored value. */
export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  if (!stored) return false;
  const [algorithm, iterationsText, saltText, hashText] = stored.split("$");
  const iterations = Number(iterationsText);
  if (algorithm !== ALGORITHM || !Number.isInteger(iterations) || iterations < 1 || !saltText || !hashText) return false;
  const hash = await derive(password, fromBase64(saltText), iterations);
  return constantTimeEqual(toBase64(hash), hashText);
}

/** Dify's console rule: at least 8 characters with letters and digits. Returns a problem or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < 8) return "Password must be at least 8 characters long.";
  if (password.length > 256) return "Password must be at most 256 characters long.";
  if (!/[A-Za-z]/.test(password) || !/[0-9]/.test(password)) return "Password must contain both letters and digits.";
  return null;
}
