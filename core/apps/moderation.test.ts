import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { moderationProblems, readModeration } from "../dsl/moderation";
import { AnswerModerator, containsKeyword, MODERATION_BUFFER_CHARS, moderateInputs, moderationText, outputModeration, StreamingKeywordCheck } from "./moderation";

const feature = (config: Record<string, unknown>, type = "keywords") => ({ sensitive_word_avoidance: { enabled: true, type, config } });
const keywords = (words: string, inputs = true, outputs = true) =>
  feature({ keywords: words, inputs_config: { enabled: inputs, preset_response: "Let's talk about something else." }, outputs_config: { enabled: outputs, preset_response: "[removed]" } });

describe("reading the setting", () => {
  it("is off unless enabled, and splits keywords by line dropping blank lines", () => {
    expect(readModeration({})).toEqual({ enabled: false });
    expect(readModeration({ sensitive_word_avoidance: { enabled: false, type: "keywords", config: { keywords: "x" } } })).toEqual({ enabled: false });
    const setting = readModeration(keywords("wasp\n\nHornet\n"));
    expect(setting).toMatchObject({ enabled: true, type: "keywords", keywords: ["wasp", "Hornet"], inputs: { enabled: true }, outputs: { presetResponse: "[removed]" } });
  });

  it("reads OpenAI Moderation, and names the types Waggle does not run", () => {
    expect(readModeration(feature({ inputs_config: { enabled: true, preset_response: "no" } }, "openai_moderation"))).toEqual({
      enabled: true,
      type: "openai_moderation",
      inputs: { enabled: true, presetResponse: "no" },
      outputs: { enabled: false, presetResponse: "" },
    });
    expect(readModeration(feature({}, "api"))).toEqual({ enabled: true, type: "unsupported", name: "api", label: "API extension" });
  });
});

describe("checking a setting on save (Dify's rules)", () => {
  it("accepts a complete keywords setting and anything turned off", () => {
    expect(moderationProblems(keywords("wasp").sensitive_word_avoidance)).toEqual([]);
    expect(moderationProblems({ enabled: false })).toEqual([]);
    expect(moderationProblems(undefined)).toEqual([]);
  });

  it("says what is missing or too long", () => {
    expect(moderationProblems(keywords("\n\n").sensitive_word_avoidance)).toEqual(["Content moderation: keywords are required."]);
    expect(moderationProblems(keywords("wasp", false, false).sensitive_word_avoidance)).toEqual(["Content moderation: check the inputs, the outputs or both."]);
    expect(moderationProblems(feature({ keywords: "wasp", inputs_config: { enabled: true, preset_response: " " } }).sensitive_word_avoidance)).toEqual(["Content moderation: the preset reply for flagged inputs is required."]);
    expect(moderationProblems(feature({ keywords: "wasp", outputs_config: { enabled: true, preset_response: "x".repeat(101) } }).sensitive_word_avoidance)).toEqual([
      "Content moderation: the preset reply for flagged outputs must be at most 100 characters.",
    ]);
    expect(moderationProblems(keywords(Array.from({ length: 101 }, (_, i) => `w${i}`).join("\n")).sensitive_word_avoidance)).toEqual(["Content moderation: at most 100 keyword lines."]);
    expect(moderationProblems(feature({}, "api").sensitive_word_avoidance)[0]).toMatch(/uses API extension, which Waggle does not run/);
    // OpenAI Moderation needs no keywords, only a checked side with its reply.
    expect(moderationProblems(feature({ inputs_config: { enabled: true, preset_response: "no" } }, "openai_moderation").sensitive_word_avoidance)).toEqual([]);
    expect(moderationProblems(feature({}, "openai_moderation").sensitive_word_avoidance)).toEqual(["Content moderation: check the inputs, the outputs or both."]);
  });
});

describe("inputs", () => {
  it("flags a keyword in any input or in the query, ignoring case", () => {
    const setting = readModeration(keywords("wasp\nhornet"));
    expect(moderateInputs(setting, { topic: "bees" }, "tell me about WASPS")).toEqual({ flagged: true, presetResponse: "Let's talk about something else." });
    expect(moderateInputs(setting, { topic: "The Hornet" }, "hello")).toMatchObject({ flagged: true });
    expect(moderateInputs(setting, { count: 3, tags: ["hornet"] }, "hello")).toMatchObject({ flagged: true });
    expect(moderateInputs(setting, { topic: "bees" }, "hello")).toEqual({ flagged: false });
  });

  it("does nothing when inputs are not checked or moderation is off", () => {
    expect(moderateInputs(readModeration(keywords("wasp", false, true)), {}, "wasp")).toEqual({ flagged: false });
    expect(moderateInputs(readModeration({}), {}, "wasp")).toEqual({ flagged: false });
    expect(outputModeration(readModeration(keywords("wasp", true, false)))).toBeNull();
    expect(outputModeration(readModeration(keywords("wasp")))).toEqual({ type: "keywords", keywords: ["wasp"], presetResponse: "[removed]" });
    expect(outputModeration(readModeration(feature({ outputs_config: { enabled: true, preset_response: "x" } }, "openai_moderation")))).toEqual({ type: "openai_moderation", presetResponse: "x" });
    expect(moderationText({ topic: "bees", count: 2, none: null }, "why?")).toBe("bees\n2\nwhy?");
  });
});

describe("the streaming answer check", () => {
  it("finds a keyword split across pieces and stays flagged", () => {
    const check = new StreamingKeywordCheck(["Hornet"]);
    expect(check.push("a big ho")).toBe(false);
    expect(check.push("rN")).toBe(false);
    expect(check.push("et flew by")).toBe(true);
    expect(check.push("anything")).toBe(true);
  });

  it("never flags with no keywords", () => {
    const check = new StreamingKeywordCheck([]);
    expect(check.push("anything at all")).toBe(false);
  });

  it("agrees with checking the whole answer, however the answer is cut", () => {
    const word = fc.stringMatching(/^[a-cA-C]{1,4}$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 3 }), fc.array(fc.stringMatching(/^[a-cA-C ]{0,5}$/), { maxLength: 12 }), (words, pieces) => {
        const check = new StreamingKeywordCheck(words);
        const flags = pieces.map((piece) => check.push(piece));
        const whole = containsKeyword(words, [pieces.join("")]);
        expect(flags.at(-1) ?? false).toBe(whole);
        // Once flagged, every later piece says so too.
        expect(flags.indexOf(true) === -1 || flags.slice(flags.indexOf(true)).every(Boolean)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe("moderating a streaming answer", () => {
  const openai = { type: "openai_moderation" as const, presetResponse: "[removed]" };

  it("with keywords, replaces the piece that brings the keyword and drops the rest", async () => {
    const moderator = new AnswerModerator({ type: "keywords", keywords: ["hornet"], presetResponse: "[removed]" }, async () => {
      throw new Error("keywords never ask a model");
    });
    expect(["a big ", "hor", "net", "!"].map((piece) => moderator.push(piece))).toEqual(["pass", "pass", "replace", "drop"]);
    expect(await moderator.finish()).toBe(false);
  });

  it("with OpenAI Moderation, asks each 300 characters and at the end, and a flag replaces the next piece", async () => {
    const asked: string[] = [];
    const flagWhen = (text: string) => text.includes("venom");
    const moderator = new AnswerModerator(openai, async (text) => {
      asked.push(text);
      return flagWhen(text);
    });
    expect(moderator.push("a".repeat(MODERATION_BUFFER_CHARS - 1))).toBe("pass");
    expect(asked).toEqual([]);
    expect(moderator.push("venom")).toBe("pass"); // sent before the answer comes back
    expect(asked).toHaveLength(1);
    await Promise.resolve();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(moderator.push(" more")).toBe("replace");
    expect(moderator.push(" and more")).toBe("drop");
    expect(await moderator.finish()).toBe(false);
  });

  it("asks about the whole answer at the end, and says when the end is flagged", async () => {
    const asked: string[] = [];
    const moderator = new AnswerModerator(openai, async (text) => {
      asked.push(text);
      return text.includes("stinger");
    });
    expect(["short ", "stinger"].map((piece) => moderator.push(piece))).toEqual(["pass", "pass"]);
    expect(await moderator.finish()).toBe(true);
    expect(asked).toEqual(["short stinger"]);
    expect(moderator.replaced).toBe(true);
    expect(await moderator.finish()).toBe(false);
  });

  it("lets the answer through when the check fails, and says so", async () => {
    const failures: unknown[] = [];
    const moderator = new AnswerModerator(openai, async () => Promise.reject(new Error("upstream down")), (error) => failures.push(error));
    moderator.push("anything");
    expect(await moderator.finish()).toBe(false);
    expect(failures).toHaveLength(1);
  });
});
