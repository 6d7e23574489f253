export { questionClassifierNode } from "./question-classifier-node";
export { questionClassifierNodeDataSchema, type QuestionClassifierNodeData } from "./schema";
