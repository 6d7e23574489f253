import { describe, expect, it } from "vitest";
import { canonicalProvider } from "./provider-catalog";
import { addUsage, buildUsage, priceOf } from "./usage";

describe("usage and price", () => {
  it("computes tokens × unit price × unit exactly, rounded half up to 7 places", () => {
    expect(priceOf(1, "2.50", "0.000001")).toBe("0.0000025");
    expect(priceOf(3, "0.15", "0.000001")).toBe("0.0000005"); // 0.00000045 rounds up
    expect(priceOf(1_000_000, "10.00", "0.000001")).toBe("10.0000000");
  });

  it("builds Dify's usage object and sums usages", () => {
    const price = { input: "1", output: "2", unit: "0.001", currency: "USD" };
    const usage = buildUsage({ promptTokens: 10, completionTokens: 5, price, latencyMs: 1234 });
    expect(usage).toMatchObject({ prompt_price: "0.0100000", completion_price: "0.0100000", total_price: "0.0200000", total_tokens: 15, latency: 1.234 });
    expect(addUsage(usage, usage)).toMatchObject({ total_tokens: 30, total_price: "0.0400000" });
  });

  it("accepts Dify's provider ids in every spelling", () => {
    expect(canonicalProvider("langgenius/openai/openai")).toBe("openai");
    expect(canonicalProvider("langgenius/openai_api_compatible/openai_api_compatible")).toBe("openai_api_compatible");
    expect(canonicalProvider("google")).toBe("gemini");
    expect(canonicalProvider("langgenius/gemini/google")).toBe("gemini");
  });
});
