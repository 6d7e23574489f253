import { defineNode, failed, succeeded } from "../../engine";
import type { ChatMessage } from "../../models";
import { historyMessages } from "../llm/build-prompt";
import { invokeModel, modelsPort, requestBase, usageMetadata } from "../llm/invoke-model";
import { parseJsonOutput } from "../llm/parse-json-output";
import { parametersJsonSchema, transformExtraction, validateExtraction } from "./extracted-values";
import { parameterExtractorNodeDataSchema } from "./schema";

const TOOL_NAME = "extract_parameters";

const functionCallSystem = (instruction: string) => `You are a helpful assistant tasked with extracting structured information based on specific criteria provided. Follow the guidelines below to ensure consistency and accuracy.
### Task
Always call the \`${TOOL_NAME}\` function with the correct parameters. Ensure that the information extraction is contextual and aligns with the provided criteria.
### Instructions:
Some additional information is provided below. Always adhere to these instructions as closely as possible:
<instruction>
${instruction}
</instruction>
### Extract parameter Workflow
I need to extract the following information from the input text. The <information to be extracted> tag specifies the 'type', 'description' and 'required' of the information to be extracted.
### Final Output
- Call the \`${TOOL_NAME}\` function with the correct parameters.`;

const promptSystem = (instruction: string, schema: string) => `You are a helpful assistant tasked with extracting structured information based on specific criteria provided. Follow the guidelines below to ensure consistency and accuracy.
### Task
Always output a valid JSON object matching the structure. Extract the information contextually and in line with the criteria.
### Instructions:
<instruction>
${instruction}
</instruction>
### Structure
Here is the structure of the JSON object, you should always follow the structure.
<structure>
${schema}
</structure>
### Final Output
Output ONLY the JSON object, with no other text.`;

/**
 * Dify's parameter extractor, in `function_call` mode (the model calls `extract_parameters`) or
 * `prompt` mode (the model answers JSON). It succeeds even when extraction fails: `__is_success`
 * is 0, `__reason` says why and every parameter gets its type's default — Dify's behaviour.
 */
export const parameterExtractorNode = defineNode({
  type: "parameter-extractor",
  schema: parameterExtractorNodeDataSchema,
  async run(ctx) {
    const { config } = ctx;
    const models = modelsPort(ctx);
    if ("status" in models) return models;
    const query = ctx.resolve(config.query);
    const inputs = { query: query ?? null };
    if (query === undefined || query === null) return failed("The query variable is empty", "ParameterExtractorNodeError", { inputs });
    if (config.parameters.length === 0) return failed("No parameters to extract", "ParameterExtractorNodeError", { inputs });

    const instruction = config.instruction ? ctx.render(config.instruction) : "";
    const schema = parametersJsonSchema(config.parameters);
    const functionCall = config.reasoning_mode !== "prompt";
    const queryText = typeof query === "string" ? query : JSON.stringify(query);
    const messages: ChatMessage[] = [
      { role: "system", content: functionCall ? functionCallSystem(instruction) : promptSystem(instruction, JSON.stringify(schema)) },
      ...historyMessages(ctx, config.memory),
      { role: "user", content: functionCall ? `<information to be extracted>\n${JSON.stringify(schema)}\n</information to be extracted>\n<text>\n${queryText}\n</text>` : `Input: ${queryText}` },
    ];
    const process_data: Record<string, unknown> = {
      model_provider: config.model.provider,
      model_name: config.model.name,
      model_mode: config.model.mode,
      prompts: messages.map((message) => ({ role: message.role, text: message.content, files: [] })),
      function: functionCall ? { name: TOOL_NAME, parameters: schema } : {},
    };

    const outcome = await invokeModel(
      models,
      {
        ...requestBase(config.model, ctx.signal),
        mode: "chat",
        messages,
        ...(functionCall ? { tools: [{ name: TOOL_NAME, description: "Extract parameters from the natural language text", parameters: schema }], toolChoice: { name: TOOL_NAME } } : {}),
      },
      { inputs, process_data },
    );
    if (!outcome.ok) return outcome.failure;
    const { result } = outcome;

    let error: string | null = null;
    const toolCall = result.toolCalls.find((call) => call.name === TOOL_NAME) ?? result.toolCalls[0];
    let extracted = toolCall ? parseJsonOutput(toolCall.arguments) : parseJsonOutput(result.text);
    if (!extracted || typeof extracted !== "object" || Array.isArray(extracted)) {
      extracted = {};
      error = "Failed to extract result from function call or text response, using empty result.";
    }
    error = validateExtraction(config.parameters, extracted as Record<string, unknown>) ?? error;
    const values = transformExtraction(config.parameters, extracted as Record<string, unknown>);
    process_data.usage = result.usage;
    process_data.tool_call = toolCall ?? null;
    process_data.llm_text = result.text;
    return succeeded(
      { __is_success: error ? 0 : 1, __reason: error, __usage: result.usage, ...values },
      { inputs, process_data, metadata: usageMetadata(result.usage) },
    );
  },
});
