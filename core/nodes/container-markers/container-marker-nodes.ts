import { defineNode, succeeded } from "../../engine";
import { iterationStartNodeDataSchema, loopEndNodeDataSchema, loopStartNodeDataSchema } from "./schema";

/** Entry points of an iteration / loop body: they only mark where a round starts. */
export const iterationStartNode = defineNode({
  type: "iteration-start",
  schema: iterationStartNodeDataSchema,
  run: () => succeeded({}),
});

export const loopStartNode = defineNode({
  type: "loop-start",
  schema: loopStartNodeDataSchema,
  run: () => succeeded({}),
});

/** Reaching it ends the current round and the loop. */
export const loopEndNode = defineNode({
  type: "loop-end",
  schema: loopEndNodeDataSchema,
  run: () => succeeded({}, { loop_break: true }),
});
