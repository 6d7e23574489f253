import { defineNode, failed, succeeded } from "../../engine";
import { evaluateOperator, fileAttribute, resolveExpected } from "../conditions";
import { listOperatorNodeDataSchema } from "./schema";

/** Filter, then extract, then order, then limit — Dify's order of operations. */
export const listOperatorNode = defineNode({
  type: "list-operator",
  schema: listOperatorNodeDataSchema,
  run(ctx) {
    const config = ctx.config;
    const source = ctx.resolve(config.variable);
    if (source === undefined) return failed(`Variable ${config.variable.join(".")} not found`, "VariableNotFoundError");
    if (source !== null && !Array.isArray(source)) return failed(`Variable ${config.variable.join(".")} is not an array`, "InvalidVariableTypeError");
    let items: unknown[] = source ?? [];
    const inputs = { variable: items };
    const isFileList = items.some((item) => item !== null && typeof item === "object" && !Array.isArray(item));
    const pick = (item: unknown, key: string) => (isFileList && key ? fileAttribute(item, key) : item);

    if (config.filter_by?.enabled) {
      for (const condition of config.filter_by.conditions) {
        let expected = resolveExpected(ctx.pool, condition.value);
        if (condition.key === "extension" && typeof expected === "string" && expected && !expected.startsWith(".")) expected = `.${expected}`;
        try {
          items = items.filter((item) => evaluateOperator(condition.comparison_operator, pick(item, condition.key), expected));
        } catch (error) {
          return failed(error instanceof Error ? error.message : String(error), "InvalidFilterValueError", { inputs });
        }
      }
    }
    if (config.extract_by?.enabled) {
      const serial = Number(typeof config.extract_by.serial === "string" ? ctx.render(config.extract_by.serial) : config.extract_by.serial);
      if (!Number.isInteger(serial) || serial < 1 || serial > items.length) return failed(`Invalid serial index: ${config.extract_by.serial}`, "InvalidKeyError", { inputs });
      items = [items[serial - 1]];
    }
    if (config.order_by?.enabled) {
      const direction = config.order_by.value === "desc" ? -1 : 1;
      const key = config.order_by.key;
      items = [...items].sort((left, right) => direction * compare(pick(left, key), pick(right, key)));
    }
    if (config.limit?.enabled && config.limit.size >= 0) items = items.slice(0, config.limit.size);
    return succeeded({ result: items, first_record: items[0] ?? null, last_record: items.length ? items[items.length - 1] : null }, { inputs });
  },
});

function compare(left: unknown, right: unknown): number {
  if (typeof left === "number" && typeof right === "number") return left - right;
  if (left === right) return 0;
  if (left === null || left === undefined) return -1;
  if (right === null || right === undefined) return 1;
  return String(left) < String(right) ? -1 : 1;
}
