import { z } from "zod";

/**
 * Dify's graph JSON, as stored in a DSL's `workflow.graph`. The schemas are loose on purpose:
 * Dify's editor adds presentation fields (`positionAbsolute`, `selected`, `zIndex`...) that the
 * engine never reads, and an export must round-trip them untouched.
 */

/** A selector addresses a value in the variable pool: `[node_id, var, ...path]`. */
export const selectorSchema = z.array(z.string());
export type Selector = z.infer<typeof selectorSchema>;

export const retryConfigSchema = z.looseObject({
  retry_enabled: z.boolean().default(false),
  max_retries: z.number().int().min(0).default(0),
  /** Milliseconds between attempts. */
  retry_interval: z.number().min(0).default(0),
});
export type RetryConfig = z.infer<typeof retryConfigSchema>;

export const defaultValueTypeSchema = z.enum([
  "string",
  "number",
  "object",
  "boolean",
  "array[number]",
  "array[string]",
  "array[object]",
  "array[boolean]",
  "array[file]",
]);

export const defaultValueItemSchema = z.looseObject({
  key: z.string(),
  type: defaultValueTypeSchema.or(z.string()),
  value: z.unknown(),
});

/** The editor writes `none` when error handling is switched off; it means the same as absent. */
export const errorStrategySchema = z
  .enum(["fail-branch", "default-value", "none"])
  .transform((strategy) => (strategy === "none" ? undefined : strategy));
export type ErrorStrategy = "fail-branch" | "default-value";

/** Fields every node's `data` carries (Dify's `BaseNodeData`, `extra="allow"`). */
export const baseNodeDataSchema = z.looseObject({
  type: z.string(),
  title: z.string().default(""),
  desc: z.string().nullish(),
  version: z.string().default("1"),
  error_strategy: errorStrategySchema.nullish(),
  default_value: z.array(defaultValueItemSchema).nullish(),
  retry_config: retryConfigSchema.nullish(),
  /** Set on children of an iteration / loop container. */
  iteration_id: z.string().nullish(),
  loop_id: z.string().nullish(),
  isInIteration: z.boolean().nullish(),
  isInLoop: z.boolean().nullish(),
});
export type BaseNodeData = z.infer<typeof baseNodeDataSchema>;

export const positionSchema = z.looseObject({ x: z.number(), y: z.number() });

export const graphNodeSchema = z.looseObject({
  id: z.string().min(1),
  /** `custom`, `custom-note`, `custom-iteration-start`, `custom-loop-start`: presentation only. */
  type: z.string().optional(),
  data: baseNodeDataSchema,
  position: positionSchema.optional(),
  parentId: z.string().nullish(),
});
export type GraphNode = z.infer<typeof graphNodeSchema>;

export const graphEdgeSchema = z.looseObject({
  id: z.string().optional(),
  source: z.string(),
  target: z.string(),
  sourceHandle: z.string().nullish().transform((handle) => handle ?? "source"),
  targetHandle: z.string().nullish(),
  type: z.string().optional(),
  data: z.looseObject({}).nullish(),
});
export type GraphEdge = z.infer<typeof graphEdgeSchema>;

export const viewportSchema = z.looseObject({ x: z.number(), y: z.number(), zoom: z.number() });

export const workflowGraphSchema = z.looseObject({
  nodes: z.array(graphNodeSchema),
  edges: z.array(graphEdgeSchema).default([]),
  viewport: viewportSchema.optional(),
});
/** The graph everybody exchanges: the engine runs it, the editor draws it, the DSL stores it. */
export type WorkflowGraph = z.infer<typeof workflowGraphSchema>;
/** The same graph before defaults are applied (what a client may send). */
export type WorkflowGraphInput = z.input<typeof workflowGraphSchema>;

export const environmentVariableSchema = z.looseObject({
  id: z.string().optional(),
  name: z.string().min(1),
  value: z.unknown(),
  value_type: z.enum(["string", "number", "secret"]),
  description: z.string().nullish(),
});
export type EnvironmentVariable = z.infer<typeof environmentVariableSchema>;

export const conversationVariableSchema = z.looseObject({
  id: z.string().optional(),
  name: z.string().min(1),
  value_type: z.string(),
  value: z.unknown(),
  description: z.string().nullish(),
  selector: selectorSchema.optional(),
});
export type ConversationVariable = z.infer<typeof conversationVariableSchema>;

/** App modes that run a graph. */
export const graphAppModeSchema = z.enum(["workflow", "advanced-chat", "rag-pipeline"]);
export type GraphAppMode = z.infer<typeof graphAppModeSchema>;
