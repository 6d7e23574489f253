import { countTokens } from "gpt-tokenizer";
import type { ModelPrice } from "./price-table";

/**
 * Dify's `usage` object (`LLMUsage`): prices are decimal strings, latency in seconds. `estimated`
 * is Waggle's addition: true when the provider sent no token counts and they were counted locally.
 */
export interface LlmUsage {
  prompt_tokens: number;
  prompt_unit_price: string;
  prompt_price_unit: string;
  prompt_price: string;
  completion_tokens: number;
  completion_unit_price: string;
  completion_price_unit: string;
  completion_price: string;
  total_tokens: number;
  total_price: string;
  currency: string;
  latency: number;
  time_to_first_token?: number | null;
  estimated?: boolean;
}

// Exact decimal arithmetic on strings through BigInt, so prices never pick up float noise.
const SCALE = 7; // Dify quantizes prices to 0.0000001.

function toScaled(value: string, scale: number): bigint {
  const [whole = "0", fraction = ""] = value.trim().replace(/^\+/, "").split(".");
  const negative = whole.startsWith("-");
  const digits = `${whole.replace("-", "")}${fraction.padEnd(scale, "0").slice(0, scale)}`;
  const result = BigInt(digits || "0");
  return negative ? -result : result;
}

function fromScaled(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, "0");
  const text = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/** tokens × unit_price × unit, rounded half up to 7 places, as Dify's `_calc_response_usage`. */
export function priceOf(tokens: number, unitPrice: string, unit: string): string {
  const precision = 12;
  const product = BigInt(Math.max(0, Math.round(tokens))) * toScaled(unitPrice, precision) * toScaled(unit, precision);
  // product has 2*precision decimals; bring it to SCALE with half-up rounding.
  const divisor = 10n ** BigInt(2 * precision - SCALE);
  const rounded = (product + divisor / 2n) / divisor;
  return fromScaled(rounded, SCALE);
}

export function addPrices(a: string, b: string): string {
  return fromScaled(toScaled(a, SCALE) + toScaled(b, SCALE), SCALE);
}

/** Token count of `text` with the GPT tokenizer (o200k); the estimate used when a provider sends none. */
export function estimateTokens(text: string): number {
  if (!text) return 0;
  try {
    return countTokens(text);
  } catch {
    return Math.ceil(text.length / 4);
  }
}

export interface UsageInput {
  promptTokens: number;
  completionTokens: number;
  price?: ModelPrice;
  latencyMs: number;
  timeToFirstTokenMs?: number;
  estimated?: boolean;
}

/**
 * Builds Dify's usage object.
 *
 * @example
 * buildUsage({ promptTokens: 10, completionTokens: 5, price: findModelPrice("openai", "gpt-4o"), latencyMs: 812 });
 */
export function buildUsage(input: UsageInput): LlmUsage {
  const price = input.price;
  const promptPrice = price ? priceOf(input.promptTokens, price.input, price.unit) : "0";
  const completionPrice = price ? priceOf(input.completionTokens, price.output, price.unit) : "0";
  return {
    prompt_tokens: input.promptTokens,
    prompt_unit_price: price?.input ?? "0",
    prompt_price_unit: price?.unit ?? "0",
    prompt_price: promptPrice,
    completion_tokens: input.completionTokens,
    completion_unit_price: price?.output ?? "0",
    completion_price_unit: price?.unit ?? "0",
    completion_price: completionPrice,
    total_tokens: input.promptTokens + input.completionTokens,
    total_price: price ? addPrices(promptPrice, completionPrice) : "0",
    currency: price?.currency ?? "USD",
    latency: Math.round(input.latencyMs) / 1000,
    time_to_first_token: input.timeToFirstTokenMs === undefined ? null : Math.round(input.timeToFirstTokenMs) / 1000,
    ...(input.estimated ? { estimated: true } : {}),
  };
}

/** Dify's `LLMUsage.empty_usage()`. */
export function emptyUsage(): LlmUsage {
  return buildUsage({ promptTokens: 0, completionTokens: 0, latencyMs: 0 });
}

/** Sums usages of several calls (an extractor's retries, an agent's rounds). */
export function addUsage(a: LlmUsage, b: LlmUsage): LlmUsage {
  return {
    ...a,
    prompt_tokens: a.prompt_tokens + b.prompt_tokens,
    prompt_price: addPrices(a.prompt_price, b.prompt_price),
    completion_tokens: a.completion_tokens + b.completion_tokens,
    completion_price: addPrices(a.completion_price, b.completion_price),
    total_tokens: a.total_tokens + b.total_tokens,
    total_price: addPrices(a.total_price, b.total_price),
    latency: Math.round((a.latency + b.latency) * 1000) / 1000,
    ...(a.estimated || b.estimated ? { estimated: true } : {}),
  };
}

function isUsage(value: unknown): value is LlmUsage {
  return typeof value === "object" && value !== null && typeof (value as LlmUsage).total_tokens === "number" && typeof (value as LlmUsage).total_price === "string";
}

/**
 * The usage of a whole chat turn: the sum of every model call's usage (Dify's `message_end`
 * reports the run's LLM usage summed). Values that are not usage objects are ignored; no usage
 * at all gives {@link emptyUsage}.
 */
export function sumUsages(values: unknown[]): LlmUsage {
  const usages = values.filter(isUsage);
  if (usages.length === 0) return emptyUsage();
  return usages.slice(1).reduce(addUsage, usages[0]!);
}
