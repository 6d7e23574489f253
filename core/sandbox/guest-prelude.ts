/**
 * JavaScript evaluated inside each fresh QuickJS context before the user's code. It captures the
 * builtins it needs while they are still pristine and returns `[invoke, finish, describe]`, which
 * the host keeps as handles. Nothing is left on the guest's global object except `console`, so
 * user code that later overrides `JSON`, `Object.keys`, prototypes or `toJSON` cannot change how
 * inputs are parsed or how the result is serialised.
 *
 * `finish(value)` never calls `JSON.stringify` on an object (which would consult `toJSON` and
 * prototype getters); it walks the value itself and only stringifies primitives. It returns either
 * `<logs JSON>\n<result JSON>` or `!<kind>:<message>`.
 */
export const guestPrelude = String.raw`
(function (limits) {
  "use strict";
  const G = globalThis;
  const ObjectCtor = Object;
  const keys = Object.keys;
  const defineProperty = Object.defineProperty;
  const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  const setPrototypeOf = Object.setPrototypeOf;
  const isArray = Array.isArray;
  const apply = Reflect.apply;
  const jsonParse = JSON.parse;
  const jsonStringify = JSON.stringify;
  const isFiniteNumber = Number.isFinite;
  const arrayJoin = Array.prototype.join;
  const StringCtor = String;
  const ErrorCtor = Error;
  const RangeErrorCtor = RangeError;
  const TypeErrorCtor = TypeError;
  const DateCtor = Date;
  const dateToISOString = Date.prototype.toISOString;
  const dateGetTime = Date.prototype.getTime;
  const stringSlice = String.prototype.slice;
  const maxArrayIteration = limits.maxArrayIteration;

  // Arrays with a null prototype: writing an index never reaches a setter planted on Array.prototype.
  function list() { return setPrototypeOf([], null); }
  function join(parts, sep) { return apply(arrayJoin, parts, [sep]); }
  function clip(text, max) { return text.length > max ? apply(stringSlice, text, [0, max]) + "…" : text; }

  function limitError(message) {
    const error = new RangeErrorCtor(message);
    defineProperty(error, "name", { value: "ResourceLimitError" });
    return error;
  }

  // Native Array methods loop in C without polling the interrupt handler, so a sparse array with a
  // huge length (new Array(1e9).join("x")) would run for tens of seconds past the deadline.
  function lengthOf(value) {
    if (value === null || value === undefined) return 0;
    const length = value.length;
    return typeof length === "number" ? length : 0;
  }
  function guard(proto, name, checkArguments) {
    const descriptor = getOwnPropertyDescriptor(proto, name);
    if (!descriptor || typeof descriptor.value !== "function") return;
    const original = descriptor.value;
    const guarded = {
      [name](...args) {
        if (lengthOf(this) > maxArrayIteration) {
          throw limitError("Array." + name + " on " + lengthOf(this) + " elements exceeds the sandbox limit of " + maxArrayIteration);
        }
        if (checkArguments) {
          for (let i = 0; i < args.length; i++) {
            if (isArray(args[i]) && lengthOf(args[i]) > maxArrayIteration) {
              throw limitError("Array." + name + " argument with " + lengthOf(args[i]) + " elements exceeds the sandbox limit of " + maxArrayIteration);
            }
          }
        }
        return apply(original, this, args);
      },
    }[name];
    defineProperty(proto, name, { value: guarded, writable: true, configurable: true, enumerable: false });
  }
  const iterating = ["copyWithin", "every", "fill", "filter", "find", "findIndex", "findLast", "findLastIndex",
    "flat", "flatMap", "forEach", "includes", "indexOf", "join", "lastIndexOf", "map", "reduce", "reduceRight",
    "reverse", "slice", "some", "sort", "splice", "toLocaleString", "toString", "toReversed", "toSorted",
    "toSpliced", "with"];
  for (let i = 0; i < iterating.length; i++) guard(Array.prototype, iterating[i], false);
  guard(Array.prototype, "concat", true);

  // console.* is captured inside the guest; the host receives the lines with the result.
  const logs = list();
  let logChars = 0;
  let logsDropped = false;
  function logLine(...args) {
    if (logsDropped) return;
    const parts = list();
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      let text;
      try {
        text = typeof arg === "string" ? arg : (arg !== null && typeof arg === "object" ? jsonStringify(arg) : StringCtor(arg));
      } catch (e) {
        text = "[unprintable]";
      }
      parts[i] = StringCtor(text);
    }
    const line = join(parts, " ");
    if (logs.length >= limits.maxLogLines || logChars + line.length > limits.maxLogChars) {
      logs[logs.length] = "[further console output dropped]";
      logsDropped = true;
      return;
    }
    logChars += line.length;
    logs[logs.length] = line;
  }
  G.console = { log: logLine, info: logLine, warn: logLine, error: logLine, debug: logLine };

  function invoke(main, inputJson) {
    if (typeof main !== "function") {
      throw new TypeErrorCtor("The code must define a function named main, e.g. function main(args) { return { result: args.x } }");
    }
    return main(jsonParse(inputJson));
  }

  function describe(error) {
    let name = "Error";
    let message;
    try {
      if (error instanceof ErrorCtor) {
        name = StringCtor(error.name);
        message = StringCtor(error.message);
      } else {
        message = typeof error === "string" ? error : StringCtor(error);
        name = "Thrown";
      }
    } catch (e) {
      message = "(the thrown value could not be printed)";
    }
    return clip(name, 200) + "\n" + clip(message, 4000);
  }

  // The path is kept as a stack of keys and only turned into text for an error message.
  function pathText(trail) {
    if (trail.length === 0) return "the returned value";
    let text = "";
    for (let i = 0; i < trail.length; i++) {
      const key = trail[i];
      text += typeof key === "number" ? "[" + key + "]" : (text === "" ? key : "." + key);
    }
    return "\u0060" + text + "\u0060";
  }

  function encodeLogs() {
    const parts = list();
    for (let i = 0; i < logs.length; i++) parts[i] = jsonStringify(logs[i]);
    return "[" + join(parts, ",") + "]";
  }

  function finish(value) {
    if (value === null || typeof value !== "object" || isArray(value)) {
      const got = value === null ? "null" : isArray(value) ? "an array" : typeof value;
      return "!invalid_output:main must return an object (a dict of output variables), got " + got;
    }
    const out = list();
    let size = 0;
    const ancestors = list();
    const maxChars = limits.maxOutputChars;
    const maxDepth = limits.maxOutputDepth;
    function emit(text) {
      size += text.length;
      if (size > maxChars) throw "!output_too_large:The result exceeds " + maxChars + " characters when serialised";
      out[out.length] = text;
    }
    const trail = list();
    function write(v, depth) {
      const path = trail;
      if (v === null) return emit("null");
      switch (typeof v) {
        case "string": return emit(jsonStringify(v));
        case "boolean": return emit(v ? "true" : "false");
        case "number":
          if (!isFiniteNumber(v)) throw "!invalid_output:Output " + pathText(path) + " is " + StringCtor(v) + ", which is not a finite number";
          return emit(jsonStringify(v));
        case "bigint":
          throw "!invalid_output:Output " + pathText(path) + " is a BigInt; convert it to a Number or String";
        case "function":
          throw "!invalid_output:Output " + pathText(path) + " is a function; outputs must be JSON data";
        case "symbol":
          throw "!invalid_output:Output " + pathText(path) + " is a Symbol; outputs must be JSON data";
        case "undefined":
          return emit("null");
      }
      if (v instanceof DateCtor) {
        const time = apply(dateGetTime, v, []);
        return emit(isFiniteNumber(time) ? jsonStringify(apply(dateToISOString, v, [])) : "null");
      }
      if (depth >= maxDepth) throw "!invalid_output:Output " + pathText(path) + " is nested deeper than " + maxDepth + " levels";
      for (let i = 0; i < ancestors.length; i++) {
        if (ancestors[i] === v) throw "!invalid_output:Output " + pathText(path) + " contains a circular reference";
      }
      ancestors[ancestors.length] = v;
      if (isArray(v)) {
        const length = lengthOf(v);
        emit("[");
        for (let i = 0; i < length; i++) {
          if (i > 0) emit(",");
          trail[depth] = i;
          write(v[i], depth + 1);
        }
        emit("]");
      } else {
        const names = keys(v);
        emit("{");
        let first = true;
        for (let i = 0; i < names.length; i++) {
          const name = StringCtor(names[i]);
          const item = v[name];
          if (item === undefined) continue; // like JSON.stringify
          emit((first ? "" : ",") + jsonStringify(name) + ":");
          first = false;
          trail[depth] = name;
          write(item, depth + 1);
        }
        emit("}");
      }
      ancestors.length = ancestors.length - 1;
      trail.length = depth;
    }
    try {
      write(value, 0);
    } catch (e) {
      if (typeof e === "string" && e[0] === "!") return e;
      throw e;
    }
    return encodeLogs() + "\n" + join(out, "");
  }

  function finishLogs() {
    return encodeLogs();
  }

  return [invoke, finish, describe, finishLogs];
})
`;
