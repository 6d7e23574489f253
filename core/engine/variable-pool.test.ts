import { describe, expect, it } from "vitest";
import { parseTemplate, renderTemplate } from "./template";
import { VariablePool } from "./variable-pool";

describe("variable pool", () => {
  it("seeds sys, env and conversation, leaving unset system variables out", () => {
    const pool = VariablePool.create({ system: { query: "hi", user_id: "u1", conversation_id: undefined }, environment: { KEY: "v" }, conversation: { n: 1 } });
    expect(pool.getNode("sys")).toEqual({ query: "hi", user_id: "u1", files: [] });
    expect(pool.get(["env", "KEY"])).toBe("v");
    expect(pool.get(["conversation", "n"])).toBe(1);
    expect(pool.has(["sys", "conversation_id"])).toBe(false);
  });

  it("drills into objects and arrays along the selector path", () => {
    const pool = VariablePool.create();
    pool.setOutputs("llm", { usage: { total_tokens: 7 }, list: [{ name: "a" }] });
    expect(pool.get(["llm", "usage", "total_tokens"])).toBe(7);
    expect(pool.get(["llm", "list", "0", "name"])).toBe("a");
    expect(pool.get(["llm", "usage", "missing"])).toBeUndefined();
    expect(pool.get(["llm", "usage", "total_tokens", "deeper"])).toBeUndefined();
    expect(pool.get(["llm"])).toBeUndefined();
  });

  it("reads file attributes by Dify's names", () => {
    const pool = VariablePool.create();
    pool.setOutputs("start", { doc: { filename: "a.pdf", extension: ".pdf", transfer_method: "local_file", remote_url: null, size: 3 } });
    expect(pool.get(["start", "doc", "name"])).toBe("a.pdf");
    expect(pool.get(["start", "doc", "extension"])).toBe(".pdf");
    expect(pool.get(["start", "doc", "size"])).toBe(3);
  });

  it("dumps to JSON and loads back", () => {
    const pool = VariablePool.create({ system: { query: "q" } });
    pool.set(["a", "x"], { y: [1, 2] });
    const copy = VariablePool.load(JSON.parse(JSON.stringify(pool.dump())));
    expect(copy.dump()).toEqual(pool.dump());
  });

  it("a fork reads through and writes only to itself", () => {
    const pool = VariablePool.create();
    pool.set(["a", "x"], 1);
    const fork = pool.fork();
    fork.set(["a", "y"], 2);
    fork.set(["b", "z"], 3);
    expect(fork.get(["a", "x"])).toBe(1);
    expect(fork.get(["a", "y"])).toBe(2);
    expect(pool.get(["a", "y"])).toBeUndefined();
    expect(pool.get(["b", "z"])).toBeUndefined();
    expect(fork.dump().a).toEqual({ x: 1, y: 2 });
  });

  it("sets nested keys without mutating the previous object", () => {
    const pool = VariablePool.create();
    const original = { a: 1 };
    pool.set(["n", "obj"], original);
    pool.set(["n", "obj", "b"], 2);
    expect(pool.get(["n", "obj"])).toEqual({ a: 1, b: 2 });
    expect(original).toEqual({ a: 1 });
  });
});

describe("templates", () => {
  const pool = VariablePool.create({ system: { query: "hello" }, environment: { TONE: "dry" } });
  pool.setOutputs("1754154032319", { query: "q", obj: { a: 1 }, list: ["x", "y"], n: 3, none: null });

  it("renders references to nodes, sys and env", () => {
    expect(renderTemplate("{{#1754154032319.query#}} / {{#sys.query#}} / {{#env.TONE#}}", pool)).toBe("q / hello / dry");
  });

  it("renders objects and arrays as JSON, numbers as text, null as empty", () => {
    expect(renderTemplate("{{#1754154032319.obj#}} {{#1754154032319.list#}} {{#1754154032319.n#}} [{{#1754154032319.none#}}]", pool)).toBe('{"a":1} ["x","y"] 3 []');
  });

  it("renders empty arrays, files and file lists as empty, as Dify's segment text does", () => {
    const file = { dify_model_identity: "__dify__file__", type: "image", transfer_method: "local_file", related_id: "f1", storage_key: "files/f1", filename: "a.png" };
    const files = VariablePool.create({ system: { query: "hi", files: [] } });
    files.setOutputs("start", { doc: file, docs: [file, file], mixed: [file, 1] });
    expect(renderTemplate("{{#sys.query#}}\n\n{{#sys.files#}}", files)).toBe("hi\n\n");
    expect(renderTemplate("[{{#start.doc#}}][{{#start.docs#}}]", files)).toBe("[][]");
    expect(renderTemplate("{{#start.mixed#}}", files)).toContain('"related_id":"f1"');
  });

  it("leaves unresolved references and non-references literal", () => {
    expect(renderTemplate("{{#missing.var#}} {{#context#}} {{ jinja }}", pool)).toBe("{{#missing.var#}} {{#context#}} {{ jinja }}");
  });

  it("follows Dify's pattern: node ids up to 50 chars, names starting with a letter or underscore", () => {
    expect(parseTemplate("{{#a.1b#}}")).toEqual([{ kind: "text", text: "{{#a.1b#}}" }]);
    expect(parseTemplate("{{#a.b.c#}}")).toEqual([{ kind: "variable", selector: ["a", "b", "c"], raw: "{{#a.b.c#}}" }]);
    expect(parseTemplate(`{{#${"x".repeat(51)}.b#}}`)[0].kind).toBe("text");
  });
});
