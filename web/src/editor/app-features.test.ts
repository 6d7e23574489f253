import { describe, expect, it } from "vitest";
import { isEnabled, openingStatement, parseExtensions, readFileUpload, readModerationForm, readSpeech, setEnabled, setOpeningStatement, setSuggestedQuestions, suggestedQuestions, toggleIn, writeFileUpload, writeModeration, writeSpeech } from "./app-features";

describe("app features", () => {
  it("reads and writes text to speech's voice, language and auto-play in Dify's shape, keeping whether it is on", () => {
    expect(readSpeech({})).toEqual({ voice: "", language: "", autoPlay: false });
    const on = setEnabled({}, "text_to_speech", true);
    const set = writeSpeech(writeSpeech(on, { voice: "alloy", language: "fr-FR" }), { autoPlay: true });
    expect(set.text_to_speech).toEqual({ enabled: true, voice: "alloy", language: "fr-FR", autoPlay: "enabled" });
    expect(readSpeech(set)).toEqual({ voice: "alloy", language: "fr-FR", autoPlay: true });
    expect(writeSpeech(set, { autoPlay: false }).text_to_speech).toEqual({ enabled: true, voice: "alloy", language: "fr-FR", autoPlay: "disabled" });
  });

  it("reads an empty features object as everything off", () => {
    expect(openingStatement({})).toBe("");
    expect(suggestedQuestions({})).toEqual([]);
    expect(isEnabled({}, "retriever_resource")).toBe(false);
    expect(readFileUpload({})).toEqual({ enabled: false, allowed_file_types: ["image"], allowed_file_extensions: [], allowed_file_upload_methods: ["local_file", "remote_url"], number_limits: 3 });
  });

  it("writes Dify's keys and keeps fields it does not edit", () => {
    let features: Record<string, unknown> = { sensitive_word_avoidance: { enabled: true, type: "keywords", config: { keywords: "x" } }, text_to_speech: { enabled: false, voice: "alloy", language: "en-US" } };
    features = setOpeningStatement(features, "Hello!");
    features = setSuggestedQuestions(features, ["What can you do?", "Who made you?"]);
    features = setEnabled(features, "text_to_speech", true);
    features = setEnabled(features, "retriever_resource", true);
    expect(features).toEqual({
      sensitive_word_avoidance: { enabled: true, type: "keywords", config: { keywords: "x" } },
      opening_statement: "Hello!",
      suggested_questions: ["What can you do?", "Who made you?"],
      text_to_speech: { enabled: true, voice: "alloy", language: "en-US", autoPlay: "disabled" },
      retriever_resource: { enabled: true },
    });
    expect(isEnabled(features, "text_to_speech")).toBe(true);
  });

  it("writes file upload in the current shape with the image block mirrored", () => {
    const features = writeFileUpload({ file_upload: { fileUploadConfig: { file_size_limit: 15 } } }, { enabled: true, allowed_file_types: ["image", "document"], number_limits: 5, allowed_file_upload_methods: ["local_file"] });
    expect(features.file_upload).toEqual({
      fileUploadConfig: { file_size_limit: 15 },
      enabled: true,
      allowed_file_types: ["image", "document"],
      allowed_file_extensions: [],
      allowed_file_upload_methods: ["local_file"],
      number_limits: 5,
      image: { enabled: true, number_limits: 5, transfer_methods: ["local_file"] },
    });
    // Documents only: images may not be attached, so the image block says so.
    const documents = writeFileUpload(features, { allowed_file_types: ["document"] });
    expect((documents.file_upload as { image: { enabled: boolean } }).image.enabled).toBe(false);
    expect(isEnabled(documents, "file_upload")).toBe(true);
  });

  it("reads old image-only file upload and clamps the number of files", () => {
    expect(readFileUpload({ file_upload: { image: { enabled: true, number_limits: 2, transfer_methods: ["remote_url"] } } })).toMatchObject({ enabled: true, allowed_file_types: ["image"], allowed_file_upload_methods: ["remote_url"], number_limits: 2 });
    expect(readFileUpload({ file_upload: { enabled: true, allowed_file_types: ["video"], number_limits: 99 } }).number_limits).toBe(10);
  });

  it("toggles list entries in a stable order and normalises extensions", () => {
    expect(toggleIn(["document"], "image", true, ["image", "document", "audio"])).toEqual(["image", "document"]);
    expect(toggleIn(["image", "document"], "image", false, ["image", "document"])).toEqual(["document"]);
    expect(parseExtensions(".csv, md  .JSON")).toEqual([".csv", ".md", ".JSON"]);
  });
});

describe("content moderation", () => {
  it("reads nothing set as off, with the keywords type", () => {
    expect(readModerationForm({})).toEqual({ enabled: false, type: "keywords", keywords: "", inputs: { enabled: false, presetResponse: "" }, outputs: { enabled: false, presetResponse: "" } });
  });

  it("turning it on checks the inputs, and writes Dify's shape", () => {
    const on = writeModeration({ opening_statement: "Hi" }, { enabled: true });
    expect(on).toEqual({
      opening_statement: "Hi",
      sensitive_word_avoidance: { enabled: true, type: "keywords", config: { keywords: "", inputs_config: { enabled: true, preset_response: "" }, outputs_config: { enabled: false, preset_response: "" } } },
    });
    const filled = writeModeration(on, { keywords: "wasp\nhornet", outputs: { enabled: true, presetResponse: "[removed]" } });
    expect(readModerationForm(filled)).toMatchObject({ enabled: true, keywords: "wasp\nhornet", inputs: { enabled: true }, outputs: { enabled: true, presetResponse: "[removed]" } });
    // Turning it off keeps what was typed.
    expect(readModerationForm(writeModeration(filled, { enabled: false }))).toMatchObject({ enabled: false, keywords: "wasp\nhornet" });
  });

  it("OpenAI Moderation keeps no keywords", () => {
    const on = writeModeration(writeModeration({}, { enabled: true, keywords: "wasp" }), { type: "openai_moderation" });
    expect(on.sensitive_word_avoidance).toEqual({ enabled: true, type: "openai_moderation", config: { inputs_config: { enabled: true, preset_response: "" }, outputs_config: { enabled: false, preset_response: "" } } });
  });

  it("switching another type to keywords drops that type's config", () => {
    const imported = { sensitive_word_avoidance: { enabled: true, type: "api", config: { api_based_extension_id: "x", inputs_config: { enabled: true, preset_response: "no" } } } };
    expect(readModerationForm(imported)).toMatchObject({ type: "api", inputs: { enabled: true, presetResponse: "no" } });
    const keywords = writeModeration(imported, { type: "keywords" });
    expect(keywords.sensitive_word_avoidance).toEqual({ enabled: true, type: "keywords", config: { keywords: "", inputs_config: { enabled: true, preset_response: "no" }, outputs_config: { enabled: false, preset_response: "" } } });
  });
});
