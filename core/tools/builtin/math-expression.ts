import type { Tool } from "../tool";
import { ToolError } from "../tool-error";

const MAX_LENGTH = 1000;
const MAX_DEPTH = 64;

const constants: Record<string, number> = { pi: Math.PI, e: Math.E, tau: 2 * Math.PI, inf: Infinity };

const functions: Record<string, { arity: [number, number]; apply: (...args: number[]) => number }> = {
  sqrt: { arity: [1, 1], apply: Math.sqrt },
  cbrt: { arity: [1, 1], apply: Math.cbrt },
  abs: { arity: [1, 1], apply: Math.abs },
  sin: { arity: [1, 1], apply: Math.sin },
  cos: { arity: [1, 1], apply: Math.cos },
  tan: { arity: [1, 1], apply: Math.tan },
  asin: { arity: [1, 1], apply: Math.asin },
  acos: { arity: [1, 1], apply: Math.acos },
  atan: { arity: [1, 1], apply: Math.atan },
  atan2: { arity: [2, 2], apply: Math.atan2 },
  sinh: { arity: [1, 1], apply: Math.sinh },
  cosh: { arity: [1, 1], apply: Math.cosh },
  tanh: { arity: [1, 1], apply: Math.tanh },
  exp: { arity: [1, 1], apply: Math.exp },
  ln: { arity: [1, 1], apply: Math.log },
  log: { arity: [1, 2], apply: (x, base) => (base === undefined ? Math.log10(x) : Math.log(x) / Math.log(base)) },
  log10: { arity: [1, 1], apply: Math.log10 },
  log2: { arity: [1, 1], apply: Math.log2 },
  floor: { arity: [1, 1], apply: Math.floor },
  ceil: { arity: [1, 1], apply: Math.ceil },
  round: { arity: [1, 2], apply: (x, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits },
  trunc: { arity: [1, 1], apply: Math.trunc },
  sign: { arity: [1, 1], apply: Math.sign },
  pow: { arity: [2, 2], apply: Math.pow },
  min: { arity: [1, 100], apply: Math.min },
  max: { arity: [1, 100], apply: Math.max },
  hypot: { arity: [1, 100], apply: Math.hypot },
};

type Token = { kind: "number"; value: number; at: number } | { kind: "name"; value: string; at: number } | { kind: "op"; value: string; at: number };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i]!;
    if (/\s/.test(char)) {
      i++;
      continue;
    }
    const number = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(source.slice(i));
    if (number) {
      tokens.push({ kind: "number", value: Number(number[0]), at: i });
      i += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i));
    if (name) {
      tokens.push({ kind: "name", value: name[0].toLowerCase(), at: i });
      i += name[0].length;
      continue;
    }
    const op = ["**", "//", "+", "-", "*", "×", "/", "÷", "%", "^", "(", ")", ",", "!"].find((candidate) => source.startsWith(candidate, i));
    if (!op) throw new ToolError("tool_parameter_invalid", `Unexpected character "${char}" at position ${i + 1}`);
    tokens.push({ kind: "op", value: op === "×" ? "*" : op === "÷" ? "/" : op, at: i });
    i += op.length;
  }
  return tokens;
}

function factorial(n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new ToolError("tool_parameter_invalid", "Factorial is defined for non-negative integers only");
  if (n > 170) return Infinity;
  let result = 1;
  for (let k = 2; k <= n; k++) result *= k;
  return result;
}

/**
 * Evaluates an arithmetic expression with a small recursive-descent parser — never `eval`.
 * Numbers, `+ - * / // % ^ **`, unary signs, `!`, parentheses, the constants `pi e tau` and
 * functions such as `sqrt`, `log`, `sin`, `round`, `min`, `max`.
 *
 * @example
 * evaluateExpression("2 * (3 + 4) ^ 2") // 98
 */
export function evaluateExpression(source: string): number {
  if (source.length > MAX_LENGTH) throw new ToolError("tool_parameter_invalid", `The expression is longer than ${MAX_LENGTH} characters`);
  const tokens = tokenize(source);
  let position = 0;
  let depth = 0;
  const peek = () => tokens[position];
  const isOp = (value: string) => peek()?.kind === "op" && peek()!.value === value;
  const fail = (message: string): never => {
    const token = peek();
    throw new ToolError("tool_parameter_invalid", `${message} ${token ? `at position ${token.at + 1}` : "at the end of the expression"}`);
  };
  const expect = (value: string) => {
    if (!isOp(value)) fail(`Expected "${value}"`);
    position++;
  };

  function expression(): number {
    if (++depth > MAX_DEPTH) fail("The expression is nested too deeply");
    let value = term();
    while (isOp("+") || isOp("-")) {
      const op = tokens[position++]!.value;
      const right = term();
      value = op === "+" ? value + right : value - right;
    }
    depth--;
    return value;
  }

  function term(): number {
    let value = unary();
    while (isOp("*") || isOp("/") || isOp("//") || isOp("%")) {
      const op = tokens[position++]!.value;
      const right = unary();
      if ((op === "/" || op === "//" || op === "%") && right === 0) throw new ToolError("tool_parameter_invalid", "Division by zero");
      if (op === "*") value *= right;
      else if (op === "/") value /= right;
      else if (op === "//") value = Math.floor(value / right);
      else value = value - right * Math.floor(value / right); // Python's modulo: the sign of the divisor
    }
    return value;
  }

  function unary(): number {
    if (isOp("-") || isOp("+")) {
      const op = tokens[position++]!.value;
      if (++depth > MAX_DEPTH) fail("The expression is nested too deeply");
      const value = unary();
      depth--;
      return op === "-" ? -value : value;
    }
    return power();
  }

  function power(): number {
    const base = postfix();
    if (isOp("^") || isOp("**")) {
      position++;
      return base ** unary(); // right-associative, and -2^2 = -(2^2)
    }
    return base;
  }

  function postfix(): number {
    let value = primary();
    while (isOp("!")) {
      position++;
      value = factorial(value);
    }
    return value;
  }

  function primary(): number {
    const token = peek();
    if (!token) return fail("Expected a number");
    if (token.kind === "number") {
      position++;
      return token.value;
    }
    if (token.kind === "op" && token.value === "(") {
      position++;
      const value = expression();
      expect(")");
      return value;
    }
    if (token.kind === "name") {
      position++;
      if (isOp("(")) {
        const fn = functions[token.value];
        if (!fn) throw new ToolError("tool_parameter_invalid", `Unknown function "${token.value}"`);
        position++;
        const args: number[] = [];
        if (!isOp(")")) {
          args.push(expression());
          while (isOp(",")) {
            position++;
            args.push(expression());
          }
        }
        expect(")");
        if (args.length < fn.arity[0] || args.length > fn.arity[1]) throw new ToolError("tool_parameter_invalid", `${token.value}() takes ${fn.arity[0] === fn.arity[1] ? fn.arity[0] : `${fn.arity[0]} to ${fn.arity[1]}`} argument(s), got ${args.length}`);
        return fn.apply(...args);
      }
      const constant = constants[token.value];
      if (constant === undefined) throw new ToolError("tool_parameter_invalid", `Unknown name "${token.value}"`);
      return constant;
    }
    return fail(`Unexpected "${token.value}"`);
  }

  if (tokens.length === 0) throw new ToolError("tool_parameter_invalid", "The expression is empty");
  const value = expression();
  if (position < tokens.length) fail("Unexpected input");
  if (Number.isNaN(value)) throw new ToolError("tool_parameter_invalid", "The result is not a number (e.g. the square root of a negative number)");
  return value;
}

/** A result as people write it: no binary-float noise (`0.1 + 0.2` is `0.3`). */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return String(value);
  return String(Number(value.toPrecision(15)));
}

/** Dify's built-in `maths` / `eval_expression`. */
export const evalExpressionTool: Tool = {
  name: "eval_expression",
  label: "Evaluate Expression",
  description: "Evaluate a math expression, e.g. (2 + 3) * 4 ^ 2 or sqrt(2) * sin(pi / 4). Supports + - * / // % ^ !, parentheses, pi, e and functions like sqrt, log, ln, sin, cos, round, min, max.",
  parameters: {
    type: "object",
    properties: { expression: { type: "string", description: "The math expression to evaluate" } },
    required: ["expression"],
  },
  async invoke(args) {
    return [{ type: "text", text: formatNumber(evaluateExpression(String(args.expression))) }];
  },
};
