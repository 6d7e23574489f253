import { describe, expect, it } from "vitest";
import { matchPath } from "./match-path";

describe("matchPath", () => {
  it("captures parameters, including an optional last one", () => {
    expect(matchPath("/app/:id/:tab?", "/app/42")).toEqual({ id: "42" });
    expect(matchPath("/app/:id/:tab?", "/app/42/api")).toEqual({ id: "42", tab: "api" });
    expect(matchPath("/apps", "/apps/")).toEqual({});
  });

  it("rejects other paths, extra segments and malformed escapes", () => {
    expect(matchPath("/apps", "/members")).toBeNull();
    expect(matchPath("/app/:id", "/app")).toBeNull();
    expect(matchPath("/app/:id", "/app/42/api/extra")).toBeNull();
    expect(matchPath("/app/:id", "/app/%E0")).toBeNull();
  });

  it("decodes parameters", () => {
    expect(matchPath("/app/:id", "/app/a%20b")).toEqual({ id: "a b" });
  });
});
