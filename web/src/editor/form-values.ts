/** Reading loosely typed node `data` in the forms: a value as text, a list, or an object (else empty). */
export type Item = Record<string, unknown>;

export const text = (value: unknown): string => (value === undefined || value === null ? "" : String(value));
export const list = (value: unknown): Item[] => (Array.isArray(value) ? (value as Item[]) : []);
export const object = (value: unknown): Item => (value && typeof value === "object" && !Array.isArray(value) ? (value as Item) : {});
