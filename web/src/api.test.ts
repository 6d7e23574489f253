import { describe, expect, it } from "vitest";
import { ApiError, apiErrorFrom } from "./api";

describe("apiErrorFrom", () => {
  it("keeps Dify's envelope: the code and the message meant for people", () => {
    const error = apiErrorFrom(400, "Bad Request", { code: "credentials_validate_failed", message: "Credentials validation failed: 401", status: 400 });
    expect(error).toBeInstanceOf(ApiError);
    expect([error.code, error.message, error.status]).toEqual(["credentials_validate_failed", "Credentials validation failed: 401", 400]);
  });

  it("falls back to the status when the body is not an envelope", () => {
    expect(apiErrorFrom(502, "Bad Gateway", undefined).message).toBe("Bad Gateway");
    expect(apiErrorFrom(500, "", "oops")).toMatchObject({ code: "http_500", message: "Request failed (500)" });
  });
});
