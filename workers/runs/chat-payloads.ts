import type { WorkflowEvent } from "../../core/engine";
import { sumUsages, type LlmUsage } from "../../core/models";
import { wireData } from "./run-payloads";

/** App modes whose runs are chat turns (a message in a conversation). */
export type ChatAppMode = "advanced-chat" | "chat" | "completion" | "agent-chat";

type Json = Record<string, unknown>;

/** Dify's error codes for a model call that failed, by the engine's error type. */
const modelErrorCodes: Record<string, { code: string; status: number }> = {
  ProviderTokenNotInitError: { code: "provider_not_initialize", status: 400 },
  ModelCurrentlyNotSupportError: { code: "model_currently_not_support", status: 400 },
  QuotaExceededError: { code: "provider_quota_exceeded", status: 400 },
  InvokeAuthorizationError: { code: "completion_request_error", status: 400 },
  InvokeRateLimitError: { code: "completion_request_error", status: 400 },
  InvokeServerUnavailableError: { code: "completion_request_error", status: 400 },
  InvokeConnectionError: { code: "completion_request_error", status: 400 },
  InvokeBadRequestError: { code: "completion_request_error", status: 400 },
  InvokeError: { code: "completion_request_error", status: 400 },
  // A file the caller passed could not be read (a refused link, a missing upload).
  FileAccessError: { code: "invalid_param", status: 400 },
};

/**
 * The error a failed chat turn reports, as Dify's `_error_to_stream_response` does: model errors
 * keep their own code; in a chatflow any other failure is `Run failed: …` (`invalid_param`), and
 * in easy-mode apps it is an internal error.
 */
export function chatError(mode: ChatAppMode, errorType: string | null | undefined, message: string): { code: string; status: number; message: string } {
  const known = errorType ? modelErrorCodes[errorType] : undefined;
  if (known) return { ...known, message };
  if (mode === "advanced-chat") return { code: "invalid_param", status: 400, message: `Run failed: ${message}` };
  return { code: "internal_server_error", status: 500, message };
}

/** Dify's `retriever_resources[]` entry from a knowledge-retrieval result item. */
function retrieverResource(item: unknown, position: number): Json | null {
  if (!item || typeof item !== "object") return null;
  const record = item as Json;
  const metadata = (record.metadata as Json | undefined) ?? {};
  if (!metadata.dataset_id && !metadata.document_id && !metadata.segment_id) return null;
  return {
    position,
    dataset_id: metadata.dataset_id ?? null,
    dataset_name: metadata.dataset_name ?? null,
    document_id: metadata.document_id ?? null,
    document_name: metadata.document_name ?? null,
    data_source_type: metadata.data_source_type ?? "upload_file",
    segment_id: metadata.segment_id ?? null,
    score: metadata.score ?? null,
    hit_count: metadata.segment_hit_count ?? metadata.hit_count ?? null,
    word_count: metadata.segment_word_count ?? metadata.word_count ?? null,
    segment_position: metadata.segment_position ?? metadata.position ?? null,
    index_node_hash: metadata.segment_index_node_hash ?? metadata.index_node_hash ?? null,
    content: record.content ?? "",
    summary: metadata.summary ?? null,
    created_at: metadata.created_at ?? null,
  };
}

/**
 * Dify's `agent_thought` from a finished `ROUND n` agent log: `thought` is what the model said,
 * `tool` the tools it called joined with `;`, `tool_input` / `observation` JSON objects keyed by
 * tool name (as strings).
 */
function agentThought(log: { id: string; label: string; status: string; parent_id: string | null; data: Json }, position: number): Json | null {
  if (log.status !== "success" || log.parent_id !== null || !/^ROUND \d+$/.test(log.label)) return null;
  const output = (log.data.output as Json | undefined) ?? {};
  const responses = Array.isArray(output.tool_responses) ? (output.tool_responses as Json[]) : [];
  const inputs: Json = {};
  const observations: Json = {};
  for (const response of responses) {
    const name = String(response.tool_name ?? "");
    inputs[name] = response.tool_input ?? {};
    observations[name] = response.tool_response ?? "";
  }
  const names = responses.map((response) => String(response.tool_name ?? ""));
  return {
    id: log.id,
    position,
    thought: String(output.thought ?? output.llm_response ?? ""),
    observation: responses.length ? JSON.stringify(observations) : "",
    tool: names.join(";"),
    tool_labels: Object.fromEntries(names.map((name) => [name, { en_US: name }])),
    tool_input: responses.length ? JSON.stringify(inputs) : "",
    message_files: [],
  };
}

/**
 * What a chat turn amounts to, folded from its run events: the answer text, the summed model
 * usage, the knowledge it cited and how it ended. Used for the stream's `message_end`, for the
 * blocking response and for the message the run's Durable Object records.
 */
export class ChatTurn {
  answer = "";
  private readonly usages: unknown[] = [];
  readonly retrieverResources: Json[] = [];
  /** Dify's `agent_thought` records, one per agent round (agent-chat apps). */
  readonly agentThoughts: Json[] = [];
  finished: { status: string; error: string | null; errorType: string | null; elapsed: number } | null = null;

  add(event: WorkflowEvent): void {
    switch (event.type) {
      case "text_chunk":
        this.answer += event.data.text;
        break;
      case "message_replace":
        this.answer = event.data.answer;
        break;
      case "node_finished": {
        const data = event.data;
        if (data.status !== "succeeded" && data.status !== "exception") break;
        const usage = (data.process_data as Json | null)?.usage ?? (data.outputs as Json | null)?.usage;
        if (usage) this.usages.push(usage);
        if (data.node_type === "knowledge-retrieval" && Array.isArray(data.outputs?.result)) {
          for (const item of data.outputs.result as unknown[]) {
            const resource = retrieverResource(item, this.retrieverResources.length + 1);
            if (resource) this.retrieverResources.push(resource);
          }
        }
        break;
      }
      case "agent_log": {
        const thought = agentThought(event.data, this.agentThoughts.length + 1);
        if (thought) this.agentThoughts.push(thought);
        break;
      }
      case "workflow_finished":
        this.finished = { status: event.data.status, error: event.data.error, errorType: event.data.error_type ?? null, elapsed: event.data.elapsed_time };
        break;
      default:
        break;
    }
  }

  get usage(): LlmUsage {
    return sumUsages(this.usages);
  }

  /** A stopped or succeeded run is a normal message; a failed one is an error message. */
  get failed(): boolean {
    return this.finished?.status === "failed";
  }
}

export interface ChatStreamContext {
  mode: ChatAppMode;
  taskId: string;
  messageId: string;
  conversationId: string;
  /** Seconds. */
  createdAt: number;
  /** The app's `retriever_resource` feature: cite knowledge in `message_end`. */
  showRetrieverResources: boolean;
}

/**
 * Maps a chat turn's run events to Dify's chat SSE payloads. Chatflows pass the workflow events
 * through (with the message and conversation ids) and turn `text_chunk` into `message`; easy-mode
 * apps show only `message` events. The end is `message_end` (then `workflow_finished` for
 * chatflows) or, when the run failed, `workflow_finished` (chatflows) and an `error` event.
 */
export function chatFrameMapper(context: ChatStreamContext, turn = new ChatTurn()): (event: WorkflowEvent) => object[] | null {
  const common = { task_id: context.taskId, message_id: context.messageId, conversation_id: context.conversationId };
  const chatflow = context.mode === "advanced-chat";
  return (event) => {
    turn.add(event);
    switch (event.type) {
      case "text_chunk":
        return [
          {
            event: context.mode === "agent-chat" ? "agent_message" : "message",
            id: context.messageId,
            ...common,
            answer: event.data.text,
            created_at: context.createdAt,
            ...(chatflow ? { from_variable_selector: event.data.from_variable_selector } : {}),
          },
        ];
      case "message_replace":
        return [{ event: "message_replace", ...common, answer: event.data.answer, reason: event.data.reason, created_at: context.createdAt }];
      case "agent_log": {
        if (context.mode === "agent-chat") {
          const thought = turn.agentThoughts.at(-1);
          return thought && thought.id === event.data.id ? [{ event: "agent_thought", ...common, created_at: context.createdAt, ...thought }] : null;
        }
        return chatflow ? [{ event: "agent_log", ...common, workflow_run_id: context.taskId, created_at: context.createdAt, data: event.data }] : null;
      }
      case "workflow_finished": {
        const workflowFrame = chatflow ? [{ event: "workflow_finished", ...common, workflow_run_id: context.taskId, created_at: context.createdAt, data: wireData(event) }] : [];
        if (turn.failed) {
          const error = chatError(context.mode, turn.finished?.errorType, event.data.error ?? "The run failed.");
          return [...workflowFrame, { event: "error", ...common, status: error.status, code: error.code, message: error.message }];
        }
        return [messageEnd(context, turn), ...workflowFrame];
      }
      default:
        if (!chatflow) return null;
        return [{ event: event.type, ...common, workflow_run_id: context.taskId, created_at: context.createdAt, data: wireData(event) }];
    }
  };
}

function messageEnd(context: ChatStreamContext, turn: ChatTurn): object {
  return {
    event: "message_end",
    task_id: context.taskId,
    id: context.messageId,
    message_id: context.messageId,
    conversation_id: context.conversationId,
    created_at: context.createdAt,
    metadata: { usage: turn.usage, ...(context.showRetrieverResources && turn.retrieverResources.length ? { retriever_resources: turn.retrieverResources } : {}) },
    files: [],
  };
}

/** Dify's blocking chat response, from the folded turn. */
export function blockingChatResponse(context: ChatStreamContext, turn: ChatTurn): object {
  return {
    event: "message",
    task_id: context.taskId,
    id: context.messageId,
    message_id: context.messageId,
    conversation_id: context.conversationId,
    mode: context.mode,
    answer: turn.answer,
    metadata: { usage: turn.usage, ...(context.showRetrieverResources && turn.retrieverResources.length ? { retriever_resources: turn.retrieverResources } : {}) },
    created_at: context.createdAt,
  };
}
