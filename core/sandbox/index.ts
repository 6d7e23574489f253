export * from "./code-runner";
export { createQuickJsRunner, type QuickJsRunnerOptions, type WasmModuleSource } from "./quickjs-runner";
export { normalizeCode } from "./normalize-code";
export {
  validateCodeOutputs,
  defaultCodeOutputLimits,
  type CodeOutputDeclaration,
  type CodeOutputDeclarations,
  type CodeOutputLimits,
  type CodeOutputType,
  type CodeOutputValidation,
} from "./validate-code-outputs";
