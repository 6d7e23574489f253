import { z } from "zod";
import { baseNodeDataSchema, selectorSchema } from "../../dsl";

export const documentExtractorNodeDataSchema = baseNodeDataSchema.extend({
  type: z.literal("document-extractor"),
  variable_selector: selectorSchema.default([]),
});
export type DocumentExtractorNodeData = z.infer<typeof documentExtractorNodeDataSchema>;
