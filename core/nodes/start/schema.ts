import { z } from "zod";
import { baseNodeDataSchema } from "../../dsl";

export const startInputTypeSchema = z.enum(["text-input", "paragraph", "select", "number", "checkbox", "json_object", "file", "file-list", "external_data_tool"]);

export const startVariableSchema = z.looseObject({
  variable: z.string().min(1),
  label: z.unknown().optional(),
  // Newer Dify versions add input types; an unknown one is passed through unchecked, not refused.
  type: startInputTypeSchema.or(z.string()),
  required: z.boolean().default(false),
  hide: z.boolean().nullish(),
  default: z.unknown().optional(),
  max_length: z.number().nullish(),
  options: z.array(z.string()).nullish(),
  allowed_file_types: z.array(z.string()).nullish(),
  allowed_file_extensions: z.array(z.string()).nullish(),
  allowed_file_upload_methods: z.array(z.string()).nullish(),
  json_schema: z.unknown().optional(),
});
export type StartVariable = z.infer<typeof startVariableSchema>;

export const startNodeDataSchema = baseNodeDataSchema.extend({
  type: z.literal("start"),
  variables: z.array(startVariableSchema).default([]),
});
export type StartNodeData = z.infer<typeof startNodeDataSchema>;
