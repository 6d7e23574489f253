/**
 * The workflow engine: variable pool, templates, the scheduler, events, limits and run snapshots.
 * Runtime-agnostic; effects arrive through `NodePorts`, `Clock`, `Ids` and `Sleep`.
 */
export { VariablePool, SYSTEM_NODE_ID, ENVIRONMENT_NODE_ID, CONVERSATION_NODE_ID } from "./variable-pool";
export type { PoolDump, Selector, SystemVariables, VariableReader } from "./variable-pool";
export { parseTemplate, renderTemplate, valueToText, VARIABLE_REFERENCE_PATTERN, type TemplateSegment } from "./template";
export type * from "./events";
export { defaultEngineLimits, type EngineLimits } from "./limits";
export { defaultEventTruncation, truncateForEvent, type EventTruncationLimits } from "./event-truncation";
export { defineNode, succeeded, failed } from "./node-contract";
export type { ChildRunOptions, ChildRunResult, NodeContext, NodeDefinition, NodeRunFailed, NodeRunResult, NodeRunSucceeded, RunInfo } from "./node-contract";
export { realSleep } from "./node-ports";
export type { CodeLanguage, CodeRunFailureKind, CodeRunLimits, CodeRunOutcome, CodeRunner, CodeRunStats, ConversationMemory, ConversationTurn, HttpClient, NodePorts, Sleep } from "./node-ports";
export { NodeRegistry } from "./node-registry";
export { compileGraph, type CompiledGraph, type CompiledNode, type CompiledEdge } from "./compiled-graph";
export { runWorkflow, resumeWorkflow, type RunResult, type RunWorkflowOptions } from "./workflow-engine";
export { isRunSnapshot, type RunSnapshot } from "./run-snapshot";
export { createSecretMasker, obfuscateSecret, type SecretMasker } from "./secret-masking";
export type { NodeStatus, EdgeState } from "./scope-run";
export type { ResponseStreamState } from "./response-stream";
export { retrySnapshot, singleNodeSnapshot, singleNodeGraph, type SingleNodeOptions } from "./derived-runs";
