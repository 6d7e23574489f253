import type { WorkflowEvent } from "../core/engine";
import { ChatTurn } from "../workers/runs/chat-payloads";
import type { ChatRunContext, RunState, StartRunRequest } from "./workflow-run-types";

/** D1 rows are capped (2 MB); node inputs/outputs beyond this are stored as a marked preview. */
const MAX_JSON_CHARS = 256 * 1024;

function boundedJson(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = JSON.stringify(value);
  if (text.length <= MAX_JSON_CHARS) return text;
  return JSON.stringify({ truncated: true, preview: text.slice(0, 10_000) });
}

/**
 * Writes a finished run and all its node executions in one D1 batch (one round-trip at the end
 * of the run, none per node). Idempotent: re-running it (alarm retries) replaces the same rows.
 */
export async function recordRun(db: D1Database, request: StartRunRequest, state: RunState, nodeEvents: WorkflowEvent[], allEvents: () => WorkflowEvent[] = () => nodeEvents): Promise<void> {
  const chat = request.chat;
  const statements = chat ? chatStatements(db, request, chat, state, allEvents()) : [];
  statements.push(...usageStatements(db, request, state, nodeEvents));
  if (chat && !chat.recordWorkflowRun) {
    await db.batch(statements);
    return;
  }
  statements.push(
    db
      .prepare(
        `INSERT OR REPLACE INTO workflow_runs (id, tenant_id, app_id, workflow_id, triggered_from, status, inputs, outputs, error, elapsed_time, total_tokens, total_steps, exceptions_count, created_by_role, created_by, created_at, finished_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)`,
      )
      .bind(
        state.runId,
        state.tenantId,
        state.appId,
        state.workflowId,
        request.triggeredFrom,
        state.status,
        boundedJson(state.inputs) ?? "{}",
        boundedJson(state.outputs),
        state.error,
        state.elapsedTime,
        state.totalTokens,
        state.totalSteps,
        state.exceptionsCount,
        request.createdByRole,
        request.createdBy,
        state.createdAt,
        state.finishedAt,
      ),
  );
  for (const event of nodeEvents) {
    if (event.type !== "node_finished") continue;
    const d = event.data;
    statements.push(
      db
        .prepare(
          `INSERT OR REPLACE INTO node_executions (id, tenant_id, app_id, workflow_run_id, "index", node_id, node_type, title, predecessor_node_id, inputs, process_data, outputs, status, error, elapsed_time, execution_metadata, created_at, finished_at)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)`,
        )
        .bind(
          d.id,
          state.tenantId,
          state.appId,
          state.runId,
          d.index,
          d.node_id,
          d.node_type,
          d.title,
          d.predecessor_node_id,
          boundedJson(d.inputs),
          boundedJson(d.process_data),
          boundedJson(d.outputs),
          d.status,
          d.error,
          d.elapsed_time,
          boundedJson({ ...(d.execution_metadata ?? {}), iteration_id: d.iteration_id, loop_id: d.loop_id }),
          d.created_at,
          d.finished_at,
        ),
    );
  }
  await db.batch(statements);
}

/**
 * The conversation (created if the Worker's insert has not landed, else its variables and count
 * updated) and the finished message: answer, tokens, price, latency, usage and cited knowledge.
 * Upserts, so an alarm retry writes the same rows again.
 */
function chatStatements(db: D1Database, request: StartRunRequest, chat: ChatRunContext, state: RunState, events: WorkflowEvent[]): D1PreparedStatement[] {
  const turn = new ChatTurn();
  for (const event of events) turn.add(event);
  const usage = turn.usage;
  const answer = typeof state.outputs?.answer === "string" ? state.outputs.answer : turn.answer;
  const failed = state.status === "failed";
  const finishedAt = state.finishedAt ?? Math.floor(Date.now() / 1000);
  const variables = state.conversationVariables ?? {};
  return [
    db
      .prepare(
        `INSERT INTO conversations (id, tenant_id, app_id, end_user_id, name, inputs, variables, status, dialogue_count, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'normal', 0, ?8, ?9)
         ON CONFLICT(id) DO UPDATE SET variables = CASE WHEN ?10 THEN excluded.variables ELSE conversations.variables END, updated_at = excluded.updated_at`,
      )
      .bind(chat.conversationId, request.tenantId, request.appId, chat.endUserId, chat.conversation.name, JSON.stringify(chat.conversation.inputs), JSON.stringify(variables), chat.conversation.createdAt, finishedAt, request.mode === "advanced-chat" && chat.appMode === "advanced-chat" ? 1 : 0),
    db
      .prepare(
        `INSERT INTO messages (id, tenant_id, app_id, conversation_id, end_user_id, workflow_run_id, inputs, query, answer, status, error, message_tokens, answer_tokens, total_price, currency, provider_response_latency, metadata, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)
         ON CONFLICT(id) DO UPDATE SET answer = excluded.answer, status = excluded.status, error = excluded.error, message_tokens = excluded.message_tokens,
           answer_tokens = excluded.answer_tokens, total_price = excluded.total_price, currency = excluded.currency,
           provider_response_latency = excluded.provider_response_latency, metadata = excluded.metadata`,
      )
      .bind(
        chat.messageId,
        request.tenantId,
        request.appId,
        chat.conversationId,
        chat.endUserId,
        chat.recordWorkflowRun ? state.runId : null,
        boundedJson(request.inputs) ?? "{}",
        chat.query,
        answer,
        failed ? "error" : "normal",
        failed ? state.error : null,
        usage.prompt_tokens,
        usage.completion_tokens,
        usage.total_price,
        usage.currency,
        state.elapsedTime,
        boundedJson({ usage, retriever_resources: turn.retrieverResources, ...(turn.agentThoughts.length ? { agent_thoughts: turn.agentThoughts } : {}) }) ?? "{}",
        chat.createdAt,
      ),
    db
      .prepare(`UPDATE conversations SET dialogue_count = (SELECT count(*) FROM messages WHERE conversation_id = ?1 AND tenant_id = ?2) WHERE id = ?1 AND tenant_id = ?2`)
      .bind(chat.conversationId, request.tenantId),
  ];
}

/**
 * One `usage_records` row per model call (a node that reported usage), keyed by the node
 * execution id so a retried batch writes the same rows. Feeds the workspace's monthly quota.
 */
function usageStatements(db: D1Database, request: StartRunRequest, state: RunState, nodeEvents: WorkflowEvent[]): D1PreparedStatement[] {
  const statements: D1PreparedStatement[] = [];
  for (const event of nodeEvents) {
    if (event.type !== "node_finished") continue;
    const d = event.data;
    if (d.status !== "succeeded" && d.status !== "exception" && d.status !== "failed") continue;
    const processData = (d.process_data ?? {}) as Record<string, unknown>;
    const usage = (processData.usage ?? (d.outputs as Record<string, unknown> | null)?.usage) as Record<string, unknown> | undefined;
    if (!usage || typeof usage.total_tokens !== "number" || usage.total_tokens <= 0) continue;
    statements.push(
      db
        .prepare(
          `INSERT OR REPLACE INTO usage_records (id, tenant_id, app_id, source, source_id, provider, model, prompt_tokens, completion_tokens, total_tokens, total_price, currency, estimated, created_at)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)`,
        )
        .bind(
          d.id,
          request.tenantId,
          request.appId,
          request.chat ? "message" : "workflow_run",
          request.chat ? request.chat.messageId : state.runId,
          String(processData.model_provider ?? "unknown"),
          String(processData.model_name ?? "unknown"),
          Number(usage.prompt_tokens ?? 0),
          Number(usage.completion_tokens ?? 0),
          usage.total_tokens,
          String(usage.total_price ?? "0"),
          String(usage.currency ?? "USD"),
          usage.estimated ? 1 : 0,
          d.finished_at,
        ),
    );
  }
  return statements;
}
