import { z } from "zod";
import { baseNodeDataSchema } from "../../dsl";

export const iterationStartNodeDataSchema = baseNodeDataSchema.extend({ type: z.literal("iteration-start") });
export const loopStartNodeDataSchema = baseNodeDataSchema.extend({ type: z.literal("loop-start") });
export const loopEndNodeDataSchema = baseNodeDataSchema.extend({ type: z.literal("loop-end") });
