import { z } from "zod";
import { baseNodeDataSchema, selectorSchema } from "../../dsl";

export const assignerOperationSchema = z.enum(["over-write", "clear", "append", "extend", "set", "+=", "-=", "*=", "/=", "remove-first", "remove-last"]);
export type AssignerOperation = z.infer<typeof assignerOperationSchema>;

export const assignerItemSchema = z.looseObject({
  variable_selector: selectorSchema.min(2),
  input_type: z.enum(["variable", "constant"]).default("variable"),
  operation: assignerOperationSchema,
  value: z.unknown().optional(),
});
export type AssignerItem = z.infer<typeof assignerItemSchema>;

/** v1 (`write_mode`) and v2 (`version: "2"`, `items`) share the type string. */
export const assignerNodeDataSchema = baseNodeDataSchema
  .extend({
    type: z.literal("assigner"),
    assigned_variable_selector: selectorSchema.nullish(),
    write_mode: z.enum(["over-write", "append", "clear"]).nullish(),
    input_variable_selector: selectorSchema.nullish(),
    items: z.array(assignerItemSchema).nullish(),
  })
  .superRefine((data, issues) => {
    if (data.version === "2" || data.items) return;
    if (!data.assigned_variable_selector || data.assigned_variable_selector.length < 2) {
      issues.addIssue({ code: "custom", path: ["assigned_variable_selector"], message: "Choose the variable to assign" });
    }
    if (!data.write_mode) issues.addIssue({ code: "custom", path: ["write_mode"], message: "Choose a write mode" });
  });
export type AssignerNodeData = z.infer<typeof assignerNodeDataSchema>;
