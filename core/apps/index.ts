export { compileEasyModeApp, convertEasyPrompt, startVariablesFromForm, CONTEXT_PROMPT, EASY_NODE_IDS, type EasyMode } from "./easy-mode";
