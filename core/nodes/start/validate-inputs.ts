import { InvalidParamError } from "../../errors";
import type { StartVariable } from "./schema";

/**
 * Checks and normalises the caller's inputs against the start node's form, with Dify's rules and
 * messages. The Worker calls it before starting a run (400 `invalid_param`); the start node calls
 * it again so a resumed or nested run cannot skip it.
 *
 * @example
 * validateStartInputs(start.variables, { name: "Ada" }) // { name: "Ada", age: null }
 */
export function validateStartInputs(variables: StartVariable[], inputs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const variable of variables) {
    let value = inputs[variable.variable];
    if ((value === undefined || value === null) && variable.default !== undefined && variable.default !== null && variable.default !== "") value = variable.default;
    const missing = value === undefined || value === null || value === "";
    if (missing) {
      if (variable.required) throw new InvalidParamError(`${variable.variable} is required in input form`);
      out[variable.variable] = variable.type === "file-list" ? [] : null;
      continue;
    }
    out[variable.variable] = checkValue(variable, value);
  }
  return out;
}

function checkValue(variable: StartVariable, value: unknown): unknown {
  const name = variable.variable;
  switch (variable.type) {
    case "text-input":
    case "paragraph": {
      if (typeof value !== "string") throw new InvalidParamError(`${name} in input form must be a string`);
      if (variable.max_length && value.length > variable.max_length) throw new InvalidParamError(`${name} in input form must be less than ${variable.max_length} characters`);
      // Dify strips NUL bytes from text inputs.
      return value.replaceAll("\u0000", "");
    }
    case "select": {
      const options = variable.options ?? [];
      if (typeof value !== "string" || !options.includes(value)) throw new InvalidParamError(`${name} in input form must be one of the following: ${JSON.stringify(options)}`);
      return value;
    }
    case "number": {
      const number = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : Number.NaN;
      if (!Number.isFinite(number)) throw new InvalidParamError(`${name} in input form must be a valid number`);
      return number;
    }
    case "checkbox": {
      if (typeof value === "boolean") return value;
      if (value === "true" || value === "false") return value === "true";
      throw new InvalidParamError(`${name} in input form must be a valid boolean value`);
    }
    case "json_object": {
      let parsed = value;
      if (typeof value === "string") {
        try {
          parsed = JSON.parse(value);
        } catch {
          throw new InvalidParamError(`${name} in input form must be a valid JSON object`);
        }
      }
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new InvalidParamError(`${name} in input form must be a valid JSON object`);
      return parsed;
    }
    case "file": {
      if (value === null || typeof value !== "object" || Array.isArray(value)) throw new InvalidParamError(`${name} in input form must be a file`);
      return value;
    }
    case "file-list": {
      if (!Array.isArray(value) || value.some((file) => file === null || typeof file !== "object")) throw new InvalidParamError(`${name} in input form must be a list of files`);
      if (variable.max_length && value.length > variable.max_length) throw new InvalidParamError(`${name} in input form must be less than ${variable.max_length} files`);
      return value;
    }
    default:
      return value;
  }
}
