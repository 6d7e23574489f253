import { defineNode, parseTemplate, succeeded } from "../../engine";
import { answerNodeDataSchema } from "./schema";

/**
 * Renders the chatflow's reply. The text reaches the client earlier than this node runs: the
 * engine streams the template segment by segment as upstream nodes finish or stream.
 */
export const answerNode = defineNode({
  type: "answer",
  schema: answerNodeDataSchema,
  run(ctx) {
    return succeeded({ answer: ctx.render(ctx.config.answer) });
  },
  responseTemplate: (config) => parseTemplate(config.answer),
});
