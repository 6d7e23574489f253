import { describe, expect, it } from "vitest";
import { fileTypeOf, fileUploadEnabled, inputFields, inputsToSend, missingInput, parseLocation, inputsFromQuery } from "./types";

describe("web app input forms", () => {
  const fields = inputFields([
    { "text-input": { variable: "name", label: "Name", required: true, max_length: 48 } },
    { number: { variable: "count", label: "", required: false } },
    { select: { variable: "tone", label: "Tone", options: ["calm", "loud"] } },
    { paragraph: { label: "no variable" } },
    {},
  ]);

  it("reads Dify's user_input_form", () => {
    expect(fields.map((f) => [f.kind, f.variable, f.label, f.required])).toEqual([
      ["text-input", "name", "Name", true],
      ["number", "count", "count", false],
      ["select", "tone", "Tone", true],
    ]);
    expect(fields[0]!.maxLength).toBe(48);
    expect(fields[2]!.options).toEqual(["calm", "loud"]);
  });

  it("names the first missing required field and sends typed values", () => {
    expect(missingInput(fields, { name: "", tone: "calm" })?.variable).toBe("name");
    expect(missingInput(fields, { name: "Ada", tone: "calm" })).toBeUndefined();
    expect(inputsToSend(fields, { name: "Ada", count: "3", tone: "", other: "x" })).toEqual({ name: "Ada", count: 3 });
  });

  it("knows when files may be attached and what type a file is", () => {
    expect(fileUploadEnabled({ file_upload: { image: { enabled: true } } } as never)).toBe(true);
    expect(fileUploadEnabled({ file_upload: { enabled: true } } as never)).toBe(true);
    expect(fileUploadEnabled({ file_upload: { image: { enabled: false } } } as never)).toBe(false);
    expect([fileTypeOf("image/png"), fileTypeOf("audio/mpeg"), fileTypeOf("video/mp4"), fileTypeOf("application/pdf")]).toEqual(["image", "audio", "video", "document"]);
  });
});

describe("web app links", () => {
  it("reads the page kind and share code", () => {
    expect(parseLocation("/chat/AbC123")).toEqual({ kind: "chat", code: "AbC123" });
    expect(parseLocation("/chatbot/AbC123/")).toEqual({ kind: "chatbot", code: "AbC123" });
    expect(parseLocation("/workflow/x")).toEqual({ kind: "workflow", code: "x" });
    expect(parseLocation("/chat/")).toBeUndefined();
    expect(parseLocation("/chat/a/b")).toBeUndefined();
    expect(parseLocation("/chat/%2e%2e")).toBeUndefined();
    expect(inputsFromQuery(inputFields([{ "text-input": { variable: "name" } }]), "?name=Ada&other=1")).toEqual({ name: "Ada" });
  });
});
