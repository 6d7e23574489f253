import { describe, expect, it } from "vitest";
import type { CredentialFormSchema } from "../../model-provider-api";
import { credentialsFrom, fieldsFromSchema, formProblem, initialValues, savedSummary } from "./credential-form";

const schema: CredentialFormSchema[] = [
  { variable: "api_key", label: { en_US: "API Key" }, type: "secret-input", required: false },
  { variable: "endpoint_url", label: { en_US: "API endpoint URL" }, type: "text-input", required: true, placeholder: { en_US: "https://api.openai.com/v1" } },
  {
    variable: "mode",
    label: { en_US: "Completion mode" },
    type: "select",
    required: false,
    default: "chat",
    options: [
      { value: "chat", label: { en_US: "Chat" } },
      { value: "completion", label: { en_US: "Completion" } },
    ],
  },
  { variable: "context_size", label: { en_US: "Model context size" }, type: "text-input", required: true, default: "4096" },
];

describe("credential form from a provider's schema", () => {
  const fields = fieldsFromSchema(schema);

  it("turns secrets into password fields, choices into selects and keeps labels, required marks and placeholders", () => {
    expect(fields.map((f) => [f.name, f.kind, f.required])).toEqual([
      ["api_key", "password", false],
      ["endpoint_url", "text", true],
      ["mode", "select", false],
      ["context_size", "text", true],
    ]);
    expect(fields[1]!.placeholder).toBe("https://api.openai.com/v1");
    expect(fields[2]!.options).toEqual([
      { value: "chat", label: "Chat" },
      { value: "completion", label: "Completion" },
    ]);
  });

  it("starts from the schema's defaults, or from saved values with secrets still masked", () => {
    expect(initialValues(fields, null)).toEqual({ api_key: "", endpoint_url: "", mode: "chat", context_size: "4096" });
    expect(initialValues(fields, { api_key: "sk-********abc", endpoint_url: "http://x/v1", context_size: 8192 })).toEqual({
      api_key: "sk-********abc",
      endpoint_url: "http://x/v1",
      mode: "chat",
      context_size: "8192",
    });
  });

  it("names the first required field left empty", () => {
    expect(formProblem(fields, { api_key: "", endpoint_url: "  ", mode: "chat", context_size: "4096" })).toBe("API endpoint URL is required.");
    expect(formProblem(fields, { endpoint_url: "http://x/v1", context_size: "4096" })).toBeNull();
  });

  it("sends trimmed values and leaves out empty optional fields", () => {
    expect(credentialsFrom(fields, { api_key: "", endpoint_url: " http://x/v1 ", mode: "chat", context_size: "4096" })).toEqual({
      endpoint_url: "http://x/v1",
      mode: "chat",
      context_size: "4096",
    });
  });

  it("summarises saved credentials with option labels and secrets flagged", () => {
    expect(savedSummary(fields, { api_key: "sk-****abc", endpoint_url: "http://x/v1", mode: "completion" })).toEqual([
      { label: "API Key", value: "sk-****abc", secret: true },
      { label: "API endpoint URL", value: "http://x/v1", secret: false },
      { label: "Completion mode", value: "Completion", secret: false },
    ]);
    expect(savedSummary(fields, null)).toEqual([]);
  });
});
