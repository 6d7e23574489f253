import { describe, expect, it } from "vitest";
import { acceptFor, chatUploadTypes, fileReference, fileTypeOf, fileUploadEnabled, inputFields, inputsToSend, missingInput, parseLocation, inputsFromQuery } from "./types";

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

describe("web app file inputs", () => {
  const [doc, photos] = inputFields([
    { file: { variable: "doc", label: "Document", required: true, default: "", allowed_file_types: ["document"], allowed_file_extensions: [], allowed_file_upload_methods: ["local_file"] } },
    { "file-list": { variable: "photos", label: "Photos", required: false, max_length: 2, allowed_file_types: ["image", "custom"], allowed_file_extensions: [".HEIC"] } },
  ]);

  it("reads file fields with their allowed types, and never a text default", () => {
    expect(doc).toMatchObject({ kind: "file", variable: "doc", fileTypes: ["document"], fileExtensions: [], defaultValue: undefined });
    expect(photos).toMatchObject({ kind: "file-list", maxLength: 2, fileTypes: ["image", "custom"], fileExtensions: [".HEIC"] });
  });

  it("limits the picker to Dify's extensions for the allowed types", () => {
    expect(acceptFor(doc!.fileTypes, doc!.fileExtensions).split(",")).toEqual(expect.arrayContaining([".txt", ".pdf", ".md", ".docx"]));
    expect(acceptFor(doc!.fileTypes).split(",")).not.toContain(".png");
    expect(acceptFor(photos!.fileTypes, photos!.fileExtensions).split(",")).toEqual([".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".heic"]);
    expect(acceptFor([], [])).toBe("");
  });

  it("refers to an upload as Dify's API wants, typed by extension, then MIME type, else custom", () => {
    expect(fileReference({ id: "u1", name: "notes.txt", mime_type: "text/plain" }, ["document"])).toEqual({ type: "document", transfer_method: "local_file", upload_file_id: "u1" });
    expect(fileReference({ id: "u2", name: "hive.PNG", mime_type: "application/octet-stream" }).type).toBe("image");
    expect(fileReference({ id: "u3", name: "clip", mime_type: "video/mp4" }).type).toBe("video");
    expect(fileReference({ id: "u4", name: "shot.heic", mime_type: "image/heic" }, ["image", "custom"]).type).toBe("image");
    expect(fileReference({ id: "u5", name: "data.parquet", mime_type: "application/octet-stream" }, ["custom"]).type).toBe("custom");
  });

  it("requires a required file field and sends file references untouched", () => {
    const fields = [doc!, photos!];
    expect(missingInput(fields, {})?.variable).toBe("doc");
    const reference = { type: "document", transfer_method: "local_file", upload_file_id: "u1" };
    expect(missingInput(fields, { doc: reference, photos: [] })).toBeUndefined();
    expect(inputsToSend(fields, { doc: reference, photos: [reference] })).toEqual({ doc: reference, photos: [reference] });
  });

  it("knows what a chat may attach: the file_upload types, or images only", () => {
    expect(chatUploadTypes({ file_upload: { enabled: true, allowed_file_types: ["document"], number_limits: 5 } } as never)).toEqual({ types: ["document"], extensions: [], limit: 5 });
    expect(chatUploadTypes({ file_upload: { image: { enabled: true, number_limits: 2 } } } as never)).toEqual({ types: ["image"], extensions: [], limit: 2 });
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
