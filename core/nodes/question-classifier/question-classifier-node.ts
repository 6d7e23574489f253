import { defineNode, failed, succeeded } from "../../engine";
import type { ChatMessage } from "../../models";
import { historyMessages } from "../llm/build-prompt";
import { invokeModel, modelsPort, requestBase, usageMetadata } from "../llm/invoke-model";
import { parseJsonOutput } from "../llm/parse-json-output";
import { questionClassifierNodeDataSchema } from "./schema";

// After Dify's question_classifier template_prompts: a system prompt, one worked example, then the input.
const SYSTEM_PROMPT = `### Job Description
You are a text classification engine that analyzes text data and assigns categories based on user input or automatically determined categories.
### Task
Your task is to assign one category ONLY to the input text, and only one category may be assigned in the output. Additionally, extract the key words from the text that are related to the classification.
### Format
The input text is in the variable input_text. Categories are specified as a category list with two fields category_id and category_name in the variable categories. Classification instructions may be included to improve the classification accuracy.
### Constraint
DO NOT include anything other than the JSON object in your response: {"keywords": [...], "category_id": "...", "category_name": "..."}`;

const EXAMPLE_INPUT = JSON.stringify({
  input_text: ["I recently had a great experience with your company. The service was prompt and the staff was very friendly."],
  categories: [
    { category_id: "f5660049-284f-41a7-b301-fd24176a711c", category_name: "Customer Service" },
    { category_id: "8d007d06-f2c9-4be5-8ff6-cd4381c13c60", category_name: "Satisfaction" },
    { category_id: "5fbbbb18-9843-466d-9b8e-b9bfbb9482c8", category_name: "Sales" },
  ],
  classification_instructions: ["classify the text based on the feedback provided by customer"],
});
const EXAMPLE_OUTPUT = JSON.stringify({ keywords: ["recently", "great experience", "company", "service", "prompt", "staff", "friendly"], category_id: "f5660049-284f-41a7-b301-fd24176a711c", category_name: "Customer Service" });

/**
 * Dify's question classifier: asks the model for a category as JSON and takes the edge whose
 * `sourceHandle` is the chosen class id. An answer naming no known class falls back to the first
 * class, as Dify does.
 */
export const questionClassifierNode = defineNode({
  type: "question-classifier",
  schema: questionClassifierNodeDataSchema,
  async run(ctx) {
    const { config } = ctx;
    const models = modelsPort(ctx);
    if ("status" in models) return models;
    const query = ctx.resolve(config.query_variable_selector);
    const inputs = { query: query ?? null };
    if (query === undefined || query === null) return failed("The query variable is empty", "QuestionClassifierNodeError", { inputs });

    const instruction = config.instruction ? ctx.render(config.instruction) : "";
    const categories = config.classes.map((item) => ({ category_id: item.id, category_name: item.name }));
    const messages: ChatMessage[] = [
      { role: "system", content: SYSTEM_PROMPT },
      { role: "user", content: EXAMPLE_INPUT },
      { role: "assistant", content: EXAMPLE_OUTPUT },
      // Dify puts the conversation's history (when memory is on) between the example and the question.
      ...historyMessages(ctx, config.memory),
      { role: "user", content: JSON.stringify({ input_text: [typeof query === "string" ? query : JSON.stringify(query)], categories, classification_instructions: instruction ? [instruction] : [] }) },
    ];
    const process_data: Record<string, unknown> = {
      model_provider: config.model.provider,
      model_name: config.model.name,
      model_mode: config.model.mode,
      prompts: messages.map((message) => ({ role: message.role, text: message.content, files: [] })),
    };
    const outcome = await invokeModel(models, { ...requestBase(config.model, ctx.signal), mode: "chat", messages }, { inputs, process_data });
    if (!outcome.ok) return outcome.failure;
    const { result } = outcome;

    const answer = parseJsonOutput(result.text) as { category_id?: unknown; category_name?: unknown } | undefined;
    const chosen =
      config.classes.find((item) => answer && item.id === String(answer.category_id ?? "")) ??
      config.classes.find((item) => answer && item.name !== "" && item.name === String(answer.category_name ?? "")) ??
      config.classes[0]!;
    process_data.usage = result.usage;
    process_data.finish_reason = result.finishReason;
    return succeeded(
      { class_name: chosen.name, class_id: chosen.id, usage: result.usage },
      { inputs, process_data, edge_source_handle: chosen.id, metadata: usageMetadata(result.usage) },
    );
  },
});
