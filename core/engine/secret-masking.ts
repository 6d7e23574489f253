import type { EnvironmentVariable } from "../dsl";

/**
 * Dify's `obfuscated_token`: what a secret environment variable looks like in logs — the first six
 * and last two characters around twelve stars, or twenty stars when it is eight characters or less.
 *
 * @example
 * obfuscateSecret("sk-abcdefghijkl") // "sk-abc************kl"
 */
export function obfuscateSecret(secret: string): string {
  if (!secret) return secret;
  if (secret.length <= 8) return "*".repeat(20);
  return `${secret.slice(0, 6)}${"*".repeat(12)}${secret.slice(-2)}`;
}

// Shorter secrets would mask ordinary text wherever it contains them; they are masked only where
// a whole string equals them.
const MIN_SUBSTRING_LENGTH = 4;

export type SecretMasker = <T>(value: T) => T;

/**
 * Builds the function that masks the run's secret environment variables (`value_type: "secret"`)
 * wherever they appear in what a run shows — events, the run's outputs and error, and so what is
 * recorded from them — while the variable pool, and so every node, keeps the real values. Returns
 * undefined when there is nothing to mask, so runs without secrets pay nothing.
 *
 * Strings are searched for each secret (longest first) and matches replaced by
 * {@link obfuscateSecret}; objects and arrays are copied only where something changed.
 *
 * @example
 * const mask = createSecretMasker([{ name: "key", value: "sk-abcdefghijkl", value_type: "secret" }]);
 * mask!({ header: "Bearer sk-abcdefghijkl" }) // { header: "Bearer sk-abc************kl" }
 */
export function createSecretMasker(variables: readonly EnvironmentVariable[] | undefined): SecretMasker | undefined {
  const secrets = [...new Set((variables ?? []).filter((v) => v.value_type === "secret" && typeof v.value === "string" && v.value !== "").map((v) => v.value as string))].sort(
    (a, b) => b.length - a.length,
  );
  if (!secrets.length) return undefined;
  const exact = new Map(secrets.map((secret) => [secret, obfuscateSecret(secret)]));
  const searched = secrets.filter((secret) => secret.length >= MIN_SUBSTRING_LENGTH);

  const maskString = (text: string): string => {
    const whole = exact.get(text);
    if (whole !== undefined) return whole;
    let out = text;
    for (const secret of searched) if (out.includes(secret)) out = out.split(secret).join(exact.get(secret)!);
    return out;
  };

  const mask = (value: unknown, depth: number): unknown => {
    if (typeof value === "string") return maskString(value);
    if (value === null || typeof value !== "object" || depth > 64) return value;
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const next = mask(value[i], depth + 1);
        if (next !== value[i]) {
          copy ??= value.slice();
          copy[i] = next;
        }
      }
      return copy ?? value;
    }
    let copy: Record<string, unknown> | undefined;
    const record = value as Record<string, unknown>;
    for (const key in record) {
      const next = mask(record[key], depth + 1);
      const maskedKey = maskString(key);
      if (next !== record[key] || maskedKey !== key) {
        copy ??= { ...record };
        if (maskedKey !== key) delete copy[key];
        copy[maskedKey] = next;
      }
    }
    return copy ?? value;
  };
  return <T>(value: T) => mask(value, 0) as T;
}
