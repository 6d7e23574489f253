import { defineNode, failed, succeeded, type NodeContext } from "../../engine";
import { AssignerOperationError, applyOperation } from "./apply-operation";
import { assignerNodeDataSchema, type AssignerItem, type AssignerNodeData } from "./schema";

/**
 * Writes conversation variables (and, inside a loop, loop variables). The writes are returned as
 * `variable_updates` and applied by the engine, so the node stays a pure function of the pool.
 */
export const assignerNode = defineNode({
  type: "assigner",
  schema: assignerNodeDataSchema,
  writesVariables: true,
  run(ctx) {
    const items = toItems(ctx.config);
    const updates: Array<{ selector: string[]; value: unknown }> = [];
    // Later items see earlier items' writes, as in Dify.
    const written = new Map<string, unknown>();
    for (const item of items) {
      const key = item.variable_selector.join(".");
      const current = written.has(key) ? written.get(key) : ctx.resolve(item.variable_selector);
      const value = item.input_type === "variable" && Array.isArray(item.value) ? ctx.resolve(item.value as string[]) : item.value;
      if (item.input_type === "variable" && needsValue(item.operation) && value === undefined) {
        return failed(`Variable ${(item.value as string[] | undefined)?.join(".") ?? ""} not found`, "VariableNotFoundError");
      }
      try {
        const next = applyOperation(item.operation, current, value, declaredType(ctx, item.variable_selector));
        written.set(key, next);
        updates.push({ selector: [...item.variable_selector], value: next });
      } catch (error) {
        if (error instanceof AssignerOperationError) return failed(`${key}: ${error.message}`, error.name);
        throw error;
      }
    }
    return succeeded({}, { variable_updates: updates, process_data: { updated_variables: updates.map(({ selector, value }) => ({ name: selector[selector.length - 1], selector, new_value: value })) } });
  },
});

function needsValue(operation: string): boolean {
  return operation !== "clear" && operation !== "remove-first" && operation !== "remove-last";
}

function toItems(config: AssignerNodeData): AssignerItem[] {
  if (config.items) return config.items;
  // v1: one assignment from another variable.
  const selector = config.assigned_variable_selector ?? [];
  return [{ variable_selector: selector, input_type: "variable", operation: config.write_mode ?? "over-write", value: config.input_variable_selector ?? [] }];
}

function declaredType(ctx: NodeContext<unknown>, selector: string[]): string | undefined {
  if (selector[0] !== "conversation") return undefined;
  return ctx.run.conversationVariables.find((variable) => variable.name === selector[1])?.value_type;
}
