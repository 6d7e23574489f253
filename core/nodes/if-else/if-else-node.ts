import { defineNode, succeeded } from "../../engine";
import { evaluateConditions } from "../conditions";
import { ifElseNodeDataSchema } from "./schema";

/** Takes the edge of the first case whose conditions hold, else the `false` edge. */
export const ifElseNode = defineNode({
  type: "if-else",
  schema: ifElseNodeDataSchema,
  run(ctx) {
    // Dify falls back to the deprecated single-case fields when `cases` is missing or empty.
    const cases = ctx.config.cases?.length ? ctx.config.cases : [{ case_id: "true", logical_operator: ctx.config.logical_operator ?? "and", conditions: ctx.config.conditions ?? [] }];
    const conditionResults: unknown[] = [];
    const inputs: unknown[] = [];
    for (const branch of cases) {
      const { result, details } = evaluateConditions(ctx.pool, branch.conditions, branch.logical_operator);
      inputs.push(...details);
      conditionResults.push({ group: { case_id: branch.case_id, logical_operator: branch.logical_operator }, results: details.map((detail) => detail.result), final_result: result });
      if (result) {
        return succeeded({ result: true, selected_case_id: branch.case_id }, { edge_source_handle: branch.case_id, inputs: { conditions: inputs }, process_data: { condition_results: conditionResults } });
      }
    }
    return succeeded({ result: false, selected_case_id: "false" }, { edge_source_handle: "false", inputs: { conditions: inputs }, process_data: { condition_results: conditionResults } });
  },
});
