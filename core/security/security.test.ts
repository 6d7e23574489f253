import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { SecretBox, apiKeyHint, hashPassword, newApiKey, passwordProblem, verifyPassword } from "./index";

describe("passwords", () => {
  it("verifies the right password and rejects others", async () => {
    const stored = await hashPassword("hunter22a", 1000);
    expect(stored.startsWith("pbkdf2-sha256$1000$")).toBe(true);
    expect(await verifyPassword("hunter22a", stored)).toBe(true);
    expect(await verifyPassword("hunter22b", stored)).toBe(false);
  });

  it("uses a fresh salt per hash", async () => {
    expect(await hashPassword("same-pass-1", 1000)).not.toBe(await hashPassword("same-pass-1", 1000));
  });

  it("rejects malformed stored values instead of throwing", async () => {
    for (const stored of [null, "", "plain", "pbkdf2-sha256$x$y$z", "md5$1$a$b"]) {
      expect(await verifyPassword("anything1", stored)).toBe(false);
    }
  });

  it("explains weak passwords", () => {
    expect(passwordProblem("short1")).toMatch(/8 characters/);
    expect(passwordProblem("onlyletters")).toMatch(/letters and digits/);
    expect(passwordProblem("good-pass-1")).toBeNull();
  });
});

describe("api keys", () => {
  it("look like Dify keys and hide their secret part", () => {
    const key = newApiKey("app");
    expect(key).toMatch(/^app-[A-Za-z0-9]{24}$/);
    expect(newApiKey("dataset")).toMatch(/^dataset-[A-Za-z0-9]{24}$/);
    const hint = apiKeyHint(key);
    expect(hint.startsWith("app-")).toBe(true);
    expect(hint).not.toContain(key.slice(6, 20));
  });
});

describe("secret box", () => {
  it("round-trips any text and fails on tampering or a different key", async () => {
    const box = await SecretBox.fromSecret("a-test-secret-of-enough-length");
    const other = await SecretBox.fromSecret("another-secret-of-enough-length");
    await fc.assert(
      fc.asyncProperty(fc.string(), async (text) => {
        const sealed = await box.seal(text);
        expect(sealed).not.toContain(text.length > 3 ? text : "\u0000never");
        expect(await box.open(sealed)).toBe(text);
      }),
      { numRuns: 30 },
    );
    const sealed = await box.seal("sk-secret");
    await expect(other.open(sealed)).rejects.toThrow();
    const tampered = sealed.slice(0, -2) + (sealed.endsWith("A") ? "B" : "A") + sealed.slice(-1);
    await expect(box.open(tampered)).rejects.toThrow();
  });

  it("refuses a missing or short key", async () => {
    await expect(SecretBox.fromSecret("")).rejects.toThrow(/WAGGLE_SECRET_KEY/);
  });
});
