export { codeNode } from "./code-node";
export { createCodeRunnerPort, PYTHON_UNSUPPORTED_MESSAGE } from "./code-runner-port";
export { codeNodeDataSchema, codeOutputDeclarationSchema, type CodeNodeData, type CodeOutputDeclarationData } from "./schema";
