/**
 * Dify's code-node output rules (`CodeNode._transform_result`): every declared output must be
 * present and of its declared type, undeclared outputs are refused, and strings, numbers, arrays
 * and nesting are capped. NUL characters are stripped from strings and booleans become 0/1 for
 * number outputs, as in Dify. Errors name the variable path, e.g. `result.items[2]`.
 */

export type CodeOutputType =
  | "string"
  | "number"
  | "object"
  | "boolean"
  | "array[string]"
  | "array[number]"
  | "array[object]"
  | "array[boolean]";

export interface CodeOutputDeclaration {
  type: CodeOutputType | (string & {});
  children?: Record<string, CodeOutputDeclaration> | null;
}

export type CodeOutputDeclarations = Record<string, CodeOutputDeclaration>;

/** Dify's `CODE_MAX_*` settings. */
export interface CodeOutputLimits {
  maxStringLength: number;
  maxDepth: number;
  maxNumber: number;
  minNumber: number;
  maxPrecision: number;
  maxStringArrayLength: number;
  maxObjectArrayLength: number;
  maxNumberArrayLength: number;
}

export const defaultCodeOutputLimits: CodeOutputLimits = {
  maxStringLength: 400_000,
  maxDepth: 5,
  maxNumber: 9_223_372_036_854_775_807,
  minNumber: -9_223_372_036_854_775_808,
  maxPrecision: 20,
  maxStringArrayLength: 30,
  maxObjectArrayLength: 30,
  maxNumberArrayLength: 1_000,
};

export type CodeOutputValidation =
  | { ok: true; outputs: Record<string, unknown> }
  | { ok: false; error: string; path: string };

class OutputValidationError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

/**
 * @example
 * validateCodeOutputs({ result: "hi\u0000" }, { result: { type: "string" } })
 * // { ok: true, outputs: { result: "hi" } }
 * validateCodeOutputs({ items: [1] }, { items: { type: "array[string]" } })
 * // { ok: false, path: "items[0]", error: "Output variable `items[0]` must be a string" }
 */
export function validateCodeOutputs(
  result: Record<string, unknown>,
  declared: CodeOutputDeclarations | null | undefined,
  limits: Partial<CodeOutputLimits> = {},
): CodeOutputValidation {
  const checker = new OutputChecker({ ...defaultCodeOutputLimits, ...limits });
  try {
    const hasDeclarations = declared && Object.keys(declared).length > 0;
    const outputs = hasDeclarations ? checker.declared(result, declared, "", 1) : checker.undeclared(result, "", 1);
    return { ok: true, outputs };
  } catch (error) {
    if (error instanceof OutputValidationError) return { ok: false, error: error.message, path: error.path };
    throw error;
  }
}

const join = (prefix: string, name: string) => (prefix ? `${prefix}.${name}` : name);
const describe = (value: unknown) =>
  value === null ? "null" : Array.isArray(value) ? "an array" : typeof value === "object" ? "an object" : `a ${typeof value}`;
// `__proto__` can be an own key of parsed JSON; assignment would set the prototype instead.
const setOwn = (target: Record<string, unknown>, key: string, value: unknown) =>
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

class OutputChecker {
  constructor(private readonly limits: CodeOutputLimits) {}

  declared(result: Record<string, unknown>, schema: CodeOutputDeclarations, prefix: string, depth: number): Record<string, unknown> {
    this.depth(depth, prefix);
    const out: Record<string, unknown> = {};
    for (const [name, declaration] of Object.entries(schema)) {
      const path = join(prefix, name);
      if (!Object.hasOwn(result, name)) throw new OutputValidationError(`Output variable \`${path}\` is missing`, path);
      setOwn(out, name, this.typed(result[name], declaration, path, depth));
    }
    const undeclared = Object.keys(result).filter((name) => !Object.hasOwn(schema, name));
    if (undeclared.length > 0) {
      const names = undeclared.map((name) => `\`${join(prefix, name)}\``).join(", ");
      throw new OutputValidationError(
        `Not all output parameters are validated: ${names} ${undeclared.length === 1 ? "is" : "are"} returned but not declared in the node's outputs`,
        join(prefix, undeclared[0]),
      );
    }
    return out;
  }

  private typed(value: unknown, declaration: CodeOutputDeclaration, path: string, depth: number): unknown {
    const { limits } = this;
    switch (declaration.type) {
      case "string":
        return this.string(value, path);
      case "number":
        return this.number(value, path);
      case "boolean":
        return this.boolean(value, path);
      case "object": {
        if (value === null || value === undefined) return null;
        if (!isPlainObject(value)) throw new OutputValidationError(`Output variable \`${path}\` must be an object, got ${describe(value)}`, path);
        const children = declaration.children;
        return children && Object.keys(children).length > 0 ? this.declared(value, children, path, depth + 1) : this.undeclared(value, path, depth + 1);
      }
      case "array[string]":
        return this.array(value, path, "strings", limits.maxStringArrayLength, (item, itemPath) => this.string(item, itemPath));
      case "array[number]":
        return this.array(value, path, "numbers", limits.maxNumberArrayLength, (item, itemPath) => this.number(item, itemPath));
      case "array[boolean]":
        return this.array(value, path, "booleans", Infinity, (item, itemPath) => this.boolean(item, itemPath));
      case "array[object]":
        return this.array(value, path, "objects", limits.maxObjectArrayLength, (item, itemPath) => {
          if (item === null || item === undefined) return null;
          if (!isPlainObject(item)) throw new OutputValidationError(`Output variable \`${itemPath}\` must be an object, got ${describe(item)}`, itemPath);
          const children = declaration.children;
          return children && Object.keys(children).length > 0 ? this.declared(item, children, itemPath, depth + 1) : this.undeclared(item, itemPath, depth + 1);
        });
      default:
        throw new OutputValidationError(`Output variable \`${path}\` has unsupported type "${declaration.type}"`, path);
    }
  }

  /** Outputs without a declaration are checked by their runtime type (Dify's schema-less branch). */
  undeclared(result: Record<string, unknown>, prefix: string, depth: number): Record<string, unknown> {
    this.depth(depth, prefix);
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(result)) {
      const path = join(prefix, name);
      setOwn(out, name, this.inferred(value, path, depth));
    }
    return out;
  }

  private inferred(value: unknown, path: string, depth: number): unknown {
    if (value === null || value === undefined) return null;
    if (typeof value === "string") return this.string(value, path);
    if (typeof value === "boolean") return value;
    if (typeof value === "number") return this.number(value, path);
    if (isPlainObject(value)) return this.undeclared(value, path, depth + 1);
    if (!Array.isArray(value)) throw new OutputValidationError(`Output variable \`${path}\` has an unsupported type (${describe(value)})`, path);
    const first = value.find((item) => item !== null && item !== undefined);
    if (first === undefined) return value.map(() => null);
    const all = (predicate: (item: unknown) => boolean) => value.every((item) => item === null || item === undefined || predicate(item));
    if (typeof first === "number" && all((item) => typeof item === "number")) {
      return value.map((item, i) => this.number(item, `${path}[${i}]`));
    }
    if (typeof first === "string" && all((item) => typeof item === "string")) {
      return value.map((item, i) => this.string(item, `${path}[${i}]`));
    }
    if (typeof first === "boolean" && all((item) => typeof item === "boolean")) {
      return value.map((item) => item ?? null);
    }
    if (isPlainObject(first) && all(isPlainObject)) {
      return value.map((item, i) => (item === null || item === undefined ? null : this.undeclared(item as Record<string, unknown>, `${path}[${i}]`, depth + 1)));
    }
    throw new OutputValidationError(`Output variable \`${path}\` is not a valid array; all elements must be of the same type`, path);
  }

  private array(
    value: unknown,
    path: string,
    noun: string,
    maxLength: number,
    item: (value: unknown, path: string) => unknown,
  ): unknown[] | null {
    if (value === null || value === undefined) return null;
    if (!Array.isArray(value)) throw new OutputValidationError(`Output variable \`${path}\` must be an array of ${noun}, got ${describe(value)}`, path);
    if (value.length > maxLength) {
      throw new OutputValidationError(`The length of output variable \`${path}\` must be at most ${maxLength} elements, got ${value.length}`, path);
    }
    return value.map((element, i) => item(element, `${path}[${i}]`));
  }

  private string(value: unknown, path: string): string | null {
    if (value === null || value === undefined) return null;
    if (typeof value !== "string") throw new OutputValidationError(`Output variable \`${path}\` must be a string, got ${describe(value)}`, path);
    if (value.length > this.limits.maxStringLength) {
      throw new OutputValidationError(`The length of output variable \`${path}\` must be at most ${this.limits.maxStringLength} characters, got ${value.length}`, path);
    }
    return value.includes("\u0000") ? value.replaceAll("\u0000", "") : value;
  }

  private number(value: unknown, path: string): number | null {
    if (value === null || value === undefined) return null;
    // Dify treats Python booleans as ints here and stores them as 0/1.
    if (typeof value === "boolean") return value ? 1 : 0;
    if (typeof value !== "number") throw new OutputValidationError(`Output variable \`${path}\` must be a number, got ${describe(value)}`, path);
    if (!Number.isFinite(value)) throw new OutputValidationError(`Output variable \`${path}\` must be a finite number`, path);
    const { maxNumber, minNumber, maxPrecision } = this.limits;
    if (value > maxNumber || value < minNumber) {
      throw new OutputValidationError(`Output variable \`${path}\` is out of range, it must be between ${minNumber} and ${maxNumber}`, path);
    }
    if (!Number.isInteger(value) && decimalPlaces(value) > maxPrecision) {
      throw new OutputValidationError(`Output variable \`${path}\` has too high precision, it must be at most ${maxPrecision} digits`, path);
    }
    return value;
  }

  private boolean(value: unknown, path: string): boolean | null {
    if (value === null || value === undefined) return null;
    if (typeof value !== "boolean") throw new OutputValidationError(`Output variable \`${path}\` must be a boolean, got ${describe(value)}`, path);
    return value;
  }

  private depth(depth: number, path: string): void {
    if (depth > this.limits.maxDepth) {
      throw new OutputValidationError(`Output variable \`${path}\` is nested too deeply; the depth limit is ${this.limits.maxDepth}`, path);
    }
  }
}

/** Digits after the decimal point of the shortest round-trip form, like Python's `Decimal(str(x))`. */
function decimalPlaces(value: number): number {
  const [mantissa, exponentText] = String(Math.abs(value)).split("e");
  const fraction = mantissa.split(".")[1]?.length ?? 0;
  const exponent = exponentText ? Number(exponentText) : 0;
  return Math.max(0, fraction - exponent);
}
