import { describe, expect, it } from "vitest";
import { formatBytes, formatRelative, passwordProblem } from "./format";

describe("passwordProblem", () => {
  it("matches the server's rule: 8+ characters with a letter and a digit", () => {
    expect(passwordProblem("password123")).toBeNull();
    expect(passwordProblem("short1")).toMatch(/8 characters/);
    expect(passwordProblem("onlyletters")).toMatch(/letter and a digit/);
    expect(passwordProblem("12345678")).toMatch(/letter and a digit/);
  });
});

describe("formatRelative", () => {
  const now = Date.UTC(2026, 0, 10, 12, 0, 0);
  const seconds = now / 1000;
  it("speaks in minutes, hours and days, then dates", () => {
    expect(formatRelative(seconds - 10, now)).toBe("just now");
    expect(formatRelative(seconds - 300, now)).toBe("5 minutes ago");
    expect(formatRelative(seconds - 7200, now)).toBe("2 hours ago");
    expect(formatRelative(seconds - 3 * 86400, now)).toBe("3 days ago");
    expect(formatRelative(null, now)).toBe("—");
  });
});

describe("formatBytes", () => {
  it("shows bytes, then kilobytes and megabytes with one decimal", () => {
    expect(formatBytes(820)).toBe("820 B");
    expect(formatBytes(14_540)).toBe("14.2 KB");
    expect(formatBytes(3_250_586)).toBe("3.1 MB");
  });
});
