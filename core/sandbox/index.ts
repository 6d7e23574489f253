export * from "./code-runner";
export { createQuickJsRunner, type QuickJsRunnerOptions, type WasmModuleSource } from "./quickjs-runner";
export { normalizeCode } from "./normalize-code";
