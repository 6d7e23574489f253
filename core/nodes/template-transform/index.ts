export { templateTransformNode, TEMPLATE_OUTPUT_MAX_LENGTH } from "./template-transform-node";
export { templateTransformNodeDataSchema, variableBindingSchema, type TemplateTransformNodeData } from "./schema";
