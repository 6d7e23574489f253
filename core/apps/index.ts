export { compileEasyModeApp, convertEasyPrompt, startVariablesFromForm, CONTEXT_PROMPT, EASY_NODE_IDS, type EasyMode } from "./easy-mode";
export { AnswerModerator, containsKeyword, MODERATION_BUFFER_CHARS, moderateInputs, moderationText, outputModeration, StreamingKeywordCheck, type OutputModeration } from "./moderation";
