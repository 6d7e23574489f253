import type { ScalarTag, SchemaOptions } from "yaml";

/**
 * PyYAML's implicit scalar types (`yaml/resolver.py`), for reading and writing Dify DSL the way
 * Dify does. YAML 1.2 and the `yaml` package's YAML 1.1 schema both read some plain scalars
 * differently from PyYAML (`y` and `n` as booleans, `e1` and `1e5` as numbers, `0o17` as an
 * integer), and PyYAML leaves exactly such strings unquoted when it writes an export. Timestamps
 * stay strings: a DSL means text by them, and JSON has no dates.
 */

const NULL = /^(?:~|null|Null|NULL)?$/;
const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const FLOAT = /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** `1:30:00` → 5400 (base 60, as YAML 1.1 reads it). */
function sexagesimal(text: string): number {
  return text.split(":").reduce((total, part) => total * 60 + Number(part), 0);
}

function resolveInt(source: string): number {
  const text = source.replace(/_/g, "");
  const sign = text.startsWith("-") ? -1 : 1;
  const digits = text.replace(/^[-+]/, "");
  if (digits.startsWith("0b")) return sign * parseInt(digits.slice(2), 2);
  if (digits.startsWith("0x")) return sign * parseInt(digits.slice(2), 16);
  if (digits.includes(":")) return sign * sexagesimal(digits);
  if (digits.length > 1 && digits.startsWith("0")) return sign * parseInt(digits, 8);
  return sign * Number(digits);
}

function resolveFloat(source: string): number {
  const text = source.replace(/_/g, "").toLowerCase();
  if (text.endsWith(".nan")) return Number.NaN;
  if (text.endsWith(".inf")) return text.startsWith("-") ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (text.includes(":")) return (text.startsWith("-") ? -1 : 1) * sexagesimal(text.replace(/^[-+]/, ""));
  return Number(text);
}

/** A float PyYAML reads back as a float: a dot in the mantissa and a signed exponent. */
function writeFloat(value: number): string {
  if (Number.isNaN(value)) return ".nan";
  if (!Number.isFinite(value)) return value > 0 ? ".inf" : "-.inf";
  const [mantissa, exponent] = String(value).split("e");
  const withDot = mantissa.includes(".") ? mantissa : `${mantissa}.0`;
  return exponent === undefined ? withDot : `${withDot}e${/^[-+]/.test(exponent) ? exponent : `+${exponent}`}`;
}

/** Explicitly tagged bytes and dates stay the text they were written as. */
const asText = (tag: string): ScalarTag => ({ tag: `tag:yaml.org,2002:${tag}`, resolve: (text) => text });

const tags: ScalarTag[] = [
  asText("binary"),
  asText("timestamp"),
  { tag: "tag:yaml.org,2002:null", default: true, test: NULL, identify: (value) => value === null || value === undefined, resolve: () => null, stringify: () => "null" },
  { tag: "tag:yaml.org,2002:bool", default: true, test: BOOL, identify: (value) => typeof value === "boolean", resolve: (text) => TRUE.test(text), stringify: ({ value }) => (value ? "true" : "false") },
  { tag: "tag:yaml.org,2002:int", default: true, test: INT, identify: (value) => typeof value === "number" && Number.isInteger(value), resolve: resolveInt, stringify: ({ value }) => (Number.isSafeInteger(value) ? String(value) : writeFloat(Number(value))) },
  { tag: "tag:yaml.org,2002:float", default: true, test: FLOAT, identify: (value) => typeof value === "number", resolve: resolveFloat, stringify: ({ value }) => writeFloat(Number(value)) },
];

/** Options for the `yaml` package that make it read and write scalars as PyYAML does. */
export const PYYAML_SCHEMA: SchemaOptions = { schema: "failsafe", customTags: tags, merge: true };
