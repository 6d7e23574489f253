import { z } from "zod";
import { selectorSchema } from "../../dsl";

/** Dify's comparison operators (§1.4), plus ASCII spellings some exports use for the numeric ones. */
export const comparisonOperatorSchema = z.enum([
  "contains",
  "not contains",
  "start with",
  "end with",
  "is",
  "is not",
  "empty",
  "not empty",
  "in",
  "not in",
  "all of",
  "=",
  "≠",
  ">",
  "<",
  "≥",
  "≤",
  "!=",
  ">=",
  "<=",
  "null",
  "not null",
  "exists",
  "not exists",
  "before",
  "after",
]);
export type ComparisonOperator = z.infer<typeof comparisonOperatorSchema>;

export const logicalOperatorSchema = z.enum(["and", "or"]);

export const subConditionSchema = z.looseObject({
  key: z.string().default(""),
  comparison_operator: comparisonOperatorSchema,
  value: z.unknown().optional(),
});

export const conditionSchema = z.looseObject({
  variable_selector: selectorSchema.default([]),
  comparison_operator: comparisonOperatorSchema,
  value: z.unknown().optional(),
  sub_variable_condition: z
    .looseObject({ logical_operator: logicalOperatorSchema.default("and"), conditions: z.array(subConditionSchema).default([]) })
    .nullish(),
});
export type Condition = z.infer<typeof conditionSchema>;
export type SubCondition = z.infer<typeof subConditionSchema>;
