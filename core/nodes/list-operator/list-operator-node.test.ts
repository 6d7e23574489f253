import { describe, expect, it } from "vitest";
import { buildGraph, runCollecting } from "../../engine/testing";
import { createNodeRegistry } from "..";

const registry = createNodeRegistry();

async function operate(list: unknown, config: Record<string, unknown>) {
  const graph = buildGraph(
    [
      { id: "start", type: "start", variables: [{ variable: "data", type: "json_object" }] },
      { id: "op", type: "list-operator", variable: ["start", "data", "list"], ...config },
    ],
    [["start", "op"]],
  );
  const { result } = await runCollecting({ graph, registry, inputs: { data: { list } }, system: { query: "b" } });
  return result.status === "succeeded" ? result.snapshot.pool.op : { error: result.error };
}

const files = [
  { filename: "b.pdf", extension: ".pdf", type: "document", size: 30, mime_type: "application/pdf", transfer_method: "local_file" },
  { filename: "a.png", extension: ".png", type: "image", size: 10, mime_type: "image/png", transfer_method: "remote_url" },
  { filename: "c.pdf", extension: ".pdf", type: "document", size: 20, mime_type: "application/pdf", transfer_method: "local_file" },
];

describe("list-operator", () => {
  it("filters strings (with a template value), orders and limits", async () => {
    const out = await operate(["banana", "apple", "blueberry", "cherry"], {
      filter_by: { enabled: true, conditions: [{ key: "", comparison_operator: "start with", value: "{{#sys.query#}}" }] },
      order_by: { enabled: true, key: "", value: "desc" },
      limit: { enabled: true, size: 1 },
    });
    expect(out).toEqual({ result: ["blueberry"], first_record: "blueberry", last_record: "blueberry" });
  });

  it("filters and orders numbers", async () => {
    const out = await operate([5, 1, 9, 3], { filter_by: { enabled: true, conditions: [{ key: "", comparison_operator: "≥", value: "3" }] }, order_by: { enabled: true, key: "", value: "asc" } });
    expect(out).toEqual({ result: [3, 5, 9], first_record: 3, last_record: 9 });
  });

  it("filters files by attribute and orders them by size", async () => {
    const out = (await operate(files, {
      filter_by: { enabled: true, conditions: [{ key: "extension", comparison_operator: "is", value: "pdf" }] },
      order_by: { enabled: true, key: "size", value: "asc" },
    })) as { result: Array<{ filename: string }> };
    expect(out.result.map((file) => file.filename)).toEqual(["c.pdf", "b.pdf"]);
    const byType = (await operate(files, { filter_by: { enabled: true, conditions: [{ key: "type", comparison_operator: "in", value: ["image"] }] } })) as { first_record: { filename: string } };
    expect(byType.first_record.filename).toBe("a.png");
  });

  it("extracts the n-th item (1-based) before ordering and limiting", async () => {
    expect(await operate(["x", "y", "z"], { extract_by: { enabled: true, serial: "2" } })).toEqual({ result: ["y"], first_record: "y", last_record: "y" });
    expect(await operate(["x"], { extract_by: { enabled: true, serial: "5" } })).toEqual({ error: "Invalid serial index: 5" });
  });

  it("gives null first/last records for an empty result and fails on a non-array", async () => {
    expect(await operate([], {})).toEqual({ result: [], first_record: null, last_record: null });
    expect(await operate("nope", {})).toEqual({ error: "Variable start.data.list is not an array" });
  });
});
