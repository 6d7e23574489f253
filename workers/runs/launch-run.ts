import type { Context } from "hono";
import type { ConversationVariable, EnvironmentVariable } from "../../core/dsl";
import { BadRequestError } from "../../core/errors";
import { validateStartInputs, type StartVariable } from "../../core/nodes";
import type { ChatRunContext, RunSnapshot, RunState, StartRunRequest } from "../../durable-objects/workflow-run-types";
import type { App, AppVersion } from "../db/repositories";
import type { AppEnv } from "../http/app-env";

/**
 * The RPC surface of the WorkflowRun Durable Object. Written out because RPC's inferred types
 * collapse on fields typed `unknown` (graph JSON), which are nonetheless structured-cloneable.
 */
export interface RunStub {
  start(request: StartRunRequest): Promise<RunState>;
  startAndWait(request: StartRunRequest): Promise<RunState>;
  startAndStream(request: StartRunRequest): Promise<ReadableStream<Uint8Array>>;
  getState(): Promise<RunState | null>;
  wait(): Promise<RunState>;
  stop(): Promise<RunState | null>;
  detach(graceMs: number): Promise<void>;
  events(afterSeq?: number): Promise<ReadableStream<Uint8Array>>;
  retrySource(): Promise<{ request: StartRunRequest; snapshot: RunSnapshot } | null>;
}

/** The Durable Object that holds run `runId` (created near the caller on first use). */
export function runStub(env: AppEnv["Bindings"], runId: string): RunStub {
  return env.WORKFLOW_RUN.get(env.WORKFLOW_RUN.idFromName(runId)) as unknown as RunStub;
}

function startVariables(graph: Record<string, unknown> | null): StartVariable[] {
  const nodes = (graph?.nodes as Array<{ data?: { type?: string; variables?: StartVariable[] } }> | undefined) ?? [];
  return nodes.find((node) => node.data?.type === "start")?.data?.variables ?? [];
}

export interface LaunchOptions {
  app: App;
  version: AppVersion;
  inputs: Record<string, unknown>;
  createdByRole: "end_user" | "account";
  createdBy: string;
  userId: string;
  triggeredFrom: StartRunRequest["triggeredFrom"];
  query?: string;
  files?: unknown[];
  conversationId?: string;
  rootNodeId?: string;
  initialSnapshot?: (runId: string) => RunSnapshot;
  /** Overrides the version's graph (single-node runs run a reduced graph). */
  graph?: unknown;
  runId?: string;
  /** A chat turn: the message and conversation the run writes when it ends. */
  chat?: ChatRunContext;
  /** `sys.dialogue_count`: the turn number of this message in its conversation. */
  dialogueCount?: number;
  /** The conversation's current variable values (by name), over the declared defaults. */
  conversationValues?: Record<string, unknown>;
  /** The workspace's credentials revision when the caller knows it (service API): the run's model credentials then come from the isolate's cache. */
  credentialsRevision?: number;
}

/**
 * Validates the inputs against the start node (400 `invalid_param` naming the variable) and
 * prepares the run; `begin` starts it in its own Durable Object, blocking or streaming, in one
 * round-trip. The run id is also the task id.
 */
export function prepareRun(c: Pick<Context<AppEnv>, "env">, options: LaunchOptions) {
  const { app, version } = options;
  const graph = (options.graph ?? version.graph) as Record<string, unknown> | null;
  if (!graph) throw new BadRequestError("This app has no workflow to run.", "not_workflow_app");
  const inputs = options.initialSnapshot ? options.inputs : validateStartInputs(startVariables(graph), options.inputs);
  const runId = options.runId ?? crypto.randomUUID();
  const request: StartRunRequest = {
    runId,
    tenantId: app.tenantId,
    appId: app.id,
    workflowId: version.id,
    mode: app.mode === "workflow" ? "workflow" : "advanced-chat",
    graph,
    inputs,
    system: {
      user_id: options.userId,
      app_id: app.id,
      workflow_id: version.id,
      workflow_run_id: runId,
      files: options.files ?? [],
      ...(options.query !== undefined ? { query: options.query } : {}),
      ...(options.conversationId ? { conversation_id: options.conversationId } : {}),
      ...(options.dialogueCount !== undefined ? { dialogue_count: options.dialogueCount } : {}),
    },
    environmentVariables: version.environmentVariables as EnvironmentVariable[],
    conversationVariables: (version.conversationVariables as ConversationVariable[]).map((variable) =>
      options.conversationValues && Object.hasOwn(options.conversationValues, variable.name) ? { ...variable, value: options.conversationValues[variable.name] } : variable,
    ),
    triggeredFrom: options.triggeredFrom,
    createdByRole: options.createdByRole,
    createdBy: options.createdBy,
    rootNodeId: options.rootNodeId,
    initialSnapshot: options.initialSnapshot?.(runId),
    ...(options.credentialsRevision !== undefined ? { credentialsRevision: options.credentialsRevision } : {}),
    ...(options.chat ? { chat: options.chat } : {}),
  };
  const stub = runStub(c.env, runId);
  return {
    runId,
    /** Starts the run and answers at once (its state: "running"). */
    start: () => stub.start(request),
    wait: () => stub.startAndWait(request),
    stream: () => stub.startAndStream(request),
  };
}

/**
 * Stops run `runId` if it belongs to `app`. Like Dify, an unknown, finished or foreign task is not
 * an error: the caller answers success either way.
 */
export async function stopRunOf(env: AppEnv["Bindings"], app: Pick<App, "id" | "tenantId">, runId: string): Promise<void> {
  const stub = runStub(env, runId);
  const state = await stub.getState();
  if (state && state.tenantId === app.tenantId && state.appId === app.id) await stub.stop();
}
