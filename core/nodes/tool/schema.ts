import { z } from "zod";
import { baseNodeDataSchema } from "../../dsl";

/** One input: `constant` (as written), `variable` (a selector) or `mixed` (a template with `{{#node.var#}}`). */
export const toolInputSchema = z.looseObject({
  type: z.string().default("constant"),
  value: z.unknown(),
});
export type ToolInput = z.infer<typeof toolInputSchema>;

/** Dify's tool node `data`. */
export const toolNodeDataSchema = baseNodeDataSchema.extend({
  type: z.literal("tool"),
  provider_id: z.string().default(""),
  provider_type: z.string().default("builtin"),
  provider_name: z.string().nullish(),
  tool_name: z.string().min(1),
  tool_label: z.string().nullish(),
  /** Inputs the author wired to the tool's parameters. */
  tool_parameters: z.record(z.string(), toolInputSchema).default({}),
  /** Settings fixed at design time: plain values, or `{type, value}` like inputs in newer DSLs. */
  tool_configurations: z.record(z.string(), z.unknown()).default({}),
});
export type ToolNodeData = z.infer<typeof toolNodeDataSchema>;
