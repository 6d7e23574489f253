import { z } from "zod";
import { baseNodeDataSchema } from "../../dsl";

export const answerNodeDataSchema = baseNodeDataSchema.extend({
  type: z.literal("answer"),
  answer: z.string().default(""),
});
export type AnswerNodeData = z.infer<typeof answerNodeDataSchema>;
