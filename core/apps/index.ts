export { compileEasyModeApp, convertEasyPrompt, startVariablesFromForm, CONTEXT_PROMPT, EASY_NODE_IDS, type EasyMode } from "./easy-mode";
export { containsKeyword, moderateInputs, outputModeration, StreamingKeywordCheck } from "./moderation";
