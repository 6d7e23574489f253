import { describe, expect, it } from "vitest";
import { uuidV7 } from "./ports";

describe("uuidV7", () => {
  it("is a version-7 UUID whose order follows time", () => {
    const early = uuidV7(1_700_000_000_000);
    const late = uuidV7(1_700_000_000_001);
    expect(early).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(early < late).toBe(true);
    expect(early.slice(0, 13)).toBe("018bcfe5-6800");
  });
});
