/**
 * Prices per model, as Dify's model YAML `pricing` block: `input` and `output` are prices per
 * `unit` tokens (`0.000001` → per million). Committed here so usage is priced without a network
 * call; a model missing from the table is priced at zero. Figures are list prices in USD.
 */
export interface ModelPrice {
  input: string;
  output: string;
  unit: string;
  currency: string;
}

const perMillion = (input: string, output: string): ModelPrice => ({ input, output, unit: "0.000001", currency: "USD" });

export const priceTable: Record<string, Record<string, ModelPrice>> = {
  openai: {
    "gpt-4o": perMillion("2.50", "10.00"),
    "gpt-4o-mini": perMillion("0.15", "0.60"),
    "gpt-4.1": perMillion("2.00", "8.00"),
    "gpt-4.1-mini": perMillion("0.40", "1.60"),
    "gpt-4.1-nano": perMillion("0.10", "0.40"),
    "o3-mini": perMillion("1.10", "4.40"),
    "o4-mini": perMillion("1.10", "4.40"),
    "gpt-3.5-turbo": perMillion("0.50", "1.50"),
    "text-embedding-3-small": perMillion("0.02", "0"),
    "text-embedding-3-large": perMillion("0.13", "0"),
  },
  anthropic: {
    "claude-3-5-haiku-latest": perMillion("0.80", "4.00"),
    "claude-3-7-sonnet-latest": perMillion("3.00", "15.00"),
    "claude-sonnet-4-0": perMillion("3.00", "15.00"),
    "claude-opus-4-0": perMillion("15.00", "75.00"),
  },
  gemini: {
    "gemini-2.0-flash": perMillion("0.10", "0.40"),
    "gemini-2.5-flash": perMillion("0.30", "2.50"),
    "gemini-2.5-pro": perMillion("1.25", "10.00"),
  },
};

/** The price of `model` at `provider` (canonical provider name), or undefined when unknown. */
export function findModelPrice(provider: string, model: string, table: Record<string, Record<string, ModelPrice>> = priceTable): ModelPrice | undefined {
  return table[provider]?.[model];
}
