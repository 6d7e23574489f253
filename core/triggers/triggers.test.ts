import { describe, expect, it } from "vitest";
import { nextRunAt, verifyWebhookSecret, webhookInputs } from ".";

const at = (iso: string) => Date.parse(iso) / 1000;

describe("schedules", () => {
  it("fire at the next matching minute in the schedule's time zone", () => {
    expect(nextRunAt({ cron: "*/15 * * * *", timezone: "UTC" }, at("2026-12-02T10:07:30Z"))).toBe(at("2026-12-02T10:15:00Z"));
    // 09:00 in Lisbon is 09:00 UTC in December; in Tokyo it is 00:00 UTC.
    expect(nextRunAt({ cron: "0 9 * * *", timezone: "Europe/Lisbon" }, at("2026-12-02T10:00:00Z"))).toBe(at("2026-12-03T09:00:00Z"));
    expect(nextRunAt({ cron: "0 9 * * *", timezone: "Asia/Tokyo" }, at("2026-12-02T10:00:00Z"))).toBe(at("2026-12-03T00:00:00Z"));
    expect(nextRunAt({ cron: "0 9 * * mon-fri", timezone: "UTC" }, at("2026-12-04T10:00:00Z"))).toBe(at("2026-12-07T09:00:00Z"));
  });

  it("refuse what is not a five-field cron expression or a time zone, saying what to write", () => {
    expect(() => nextRunAt({ cron: "* * * *", timezone: "UTC" }, 0)).toThrow(/five-field cron/);
    expect(() => nextRunAt({ cron: "0 0 9 * * *", timezone: "UTC" }, 0)).toThrow(/five-field cron/);
    expect(() => nextRunAt({ cron: "61 * * * *", timezone: "UTC" }, 0)).toThrow(/not a valid cron expression/);
    expect(() => nextRunAt({ cron: "* * * * *", timezone: "Mars/Olympus" }, 0)).toThrow(/IANA/);
  });
});

describe("webhook calls", () => {
  const body = new TextEncoder().encode('{"topic":"bees"}').buffer as ArrayBuffer;

  it("prove the secret by the secret itself or an HMAC-SHA256 signature of the body", async () => {
    expect(await verifyWebhookSecret("s3cret", body, { secretHeader: "s3cret" })).toBe(true);
    expect(await verifyWebhookSecret("s3cret", body, { secretHeader: "wrong" })).toBe(false);
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode("s3cret"), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const signature = [...new Uint8Array(await crypto.subtle.sign("HMAC", key, body))].map((b) => b.toString(16).padStart(2, "0")).join("");
    expect(await verifyWebhookSecret("s3cret", body, { signature: `sha256=${signature}` })).toBe(true);
    expect(await verifyWebhookSecret("s3cret", new TextEncoder().encode("{}").buffer as ArrayBuffer, { signature: `sha256=${signature}` })).toBe(false);
    expect(await verifyWebhookSecret("s3cret", body, {})).toBe(false);
  });

  it("map the query and the body onto declared start variables, the body winning", () => {
    expect(webhookInputs(["topic", "lines"], { topic: "q", other: "x" }, { topic: "bees", lines: 3, extra: true })).toEqual({ topic: "bees", lines: 3 });
  });
});
