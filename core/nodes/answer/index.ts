export { answerNode } from "./answer-node";
export { answerNodeDataSchema, type AnswerNodeData } from "./schema";
