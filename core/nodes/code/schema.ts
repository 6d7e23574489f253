import { z } from "zod";
import { baseNodeDataSchema, selectorSchema } from "../../dsl";

export interface CodeOutputDeclarationData {
  type: string;
  children?: Record<string, CodeOutputDeclarationData> | null;
}

export const codeOutputDeclarationSchema: z.ZodType<CodeOutputDeclarationData> = z.looseObject({
  type: z.string(),
  get children() {
    return z.record(z.string(), codeOutputDeclarationSchema).nullish();
  },
});

export const codeNodeDataSchema = baseNodeDataSchema.extend({
  type: z.literal("code"),
  /** Dify's default is python3. */
  code_language: z.string().default("python3"),
  code: z.string().default(""),
  variables: z.array(z.looseObject({ variable: z.string().min(1), value_selector: selectorSchema })).default([]),
  outputs: z.record(z.string(), codeOutputDeclarationSchema).nullish(),
  dependencies: z.array(z.looseObject({ name: z.string(), version: z.string().nullish() })).nullish(),
});
export type CodeNodeData = z.infer<typeof codeNodeDataSchema>;
