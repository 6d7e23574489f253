export { evaluateOperator } from "./evaluate-operator";
export { evaluateConditions, evaluateFileSubConditions, fileAttribute, resolveExpected, type ConditionResult } from "./evaluate-conditions";
export { comparisonOperatorSchema, conditionSchema, logicalOperatorSchema, subConditionSchema, type ComparisonOperator, type Condition, type SubCondition } from "./schema";
