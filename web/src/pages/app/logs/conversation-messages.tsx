import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { errorMessage, type App } from "../../../api";
import { ErrorText } from "../../../components/error-text";
import { formatDateTime } from "../../../format";
import { logsApi, type ConversationLog, type MessageLog } from "../../../logs-api";
import { Link } from "../../../router";
import { conversationStarter, formatElapsed, formatPrice, formatTokens } from "./log-format";
import { logsHref } from "./logs-tab";

const PAGE_SIZE = 50;

/** One conversation's messages, oldest first: query, answer, tokens, feedback; a chatflow's link to the run behind each. */
export function ConversationMessages({ app, conversationId }: { app: App; conversationId: string }) {
  const conversation = useSignal<ConversationLog | null>(null);
  const messages = useSignal<MessageLog[]>([]);
  const hasMore = useSignal(false);
  const loading = useSignal(true);
  const error = useSignal("");

  const load = async (before?: string) => {
    loading.value = true;
    try {
      const result = await logsApi.messages(app.id, { conversation_id: conversationId, limit: PAGE_SIZE, first_id: before });
      messages.value = before ? [...result.data, ...messages.value] : result.data;
      hasMore.value = result.has_more;
      error.value = "";
    } catch (caught) {
      error.value = errorMessage(caught);
    } finally {
      loading.value = false;
    }
  };

  useEffect(() => {
    void load();
    logsApi
      .conversation(app.id, conversationId)
      .then((found) => (conversation.value = found))
      .catch((caught) => (error.value = errorMessage(caught)));
  }, [app.id, conversationId]);

  const who = conversation.value ? conversationStarter(conversation.value) : null;

  return (
    <div class="stack" data-testid="conversation-detail">
      <Link href={logsHref(app.id)} class="back-link" data-testid="back-to-logs">
        ← All conversations
      </Link>
      {conversation.value && who && (
        <div class="conversation-head">
          <h2 data-testid="conversation-title">{conversation.value.name || "Untitled conversation"}</h2>
          <p class="muted small">
            <span class={`who who-${who.kind}`} data-testid="conversation-detail-who">
              {who.label}
            </span>
            {conversation.value.from_source === "console" ? " in the console" : " through the API"} · {conversation.value.message_count} message
            {conversation.value.message_count === 1 ? "" : "s"} · started {formatDateTime(conversation.value.created_at)}
          </p>
        </div>
      )}
      <ErrorText message={error.value} testId="logs-error" />
      {hasMore.value && (
        <button type="button" class="btn" data-testid="messages-load-older" disabled={loading.value} onClick={() => void load(messages.value[0]?.id)}>
          Load older messages
        </button>
      )}
      {loading.value && messages.value.length === 0 && <p class="muted">Loading…</p>}
      {!loading.value && messages.value.length === 0 && !error.value && (
        <p class="muted" data-testid="messages-empty">
          This conversation has no messages.
        </p>
      )}
      <ol class="message-logs" data-testid="message-list">
        {messages.value.map((message) => (
          <li key={message.id} class="card message-log" data-testid="message-log" data-message-id={message.id}>
            <div class="message-log-head">
              <span class="muted small">{formatDateTime(message.created_at)}</span>
              {message.feedback && (
                <span class={`chip feedback-${message.feedback.rating}`} data-testid="message-feedback" data-rating={message.feedback.rating}>
                  {message.feedback.rating === "like" ? "👍 Liked" : "👎 Disliked"}
                </span>
              )}
            </div>
            {message.query && (
              <div class="bubble user" data-testid="message-query">
                {message.query}
              </div>
            )}
            {message.answer && (
              <div class="bubble assistant" data-testid="message-answer">
                {message.answer}
              </div>
            )}
            {message.error && (
              <div class="error-text" role="alert" data-testid="message-error">
                {message.error}
              </div>
            )}
            <div class="message-log-meta muted small">
              <span data-testid="message-tokens">
                {formatTokens(message.message_tokens + message.answer_tokens)} tokens ({formatTokens(message.message_tokens)} prompt, {formatTokens(message.answer_tokens)} answer)
              </span>
              {Number(message.total_price) > 0 && <span>{formatPrice(Number(message.total_price), message.currency)}</span>}
              {message.provider_response_latency > 0 && <span>{formatElapsed(message.provider_response_latency)}</span>}
              {app.mode === "advanced-chat" && message.workflow_run_id && (
                <Link href={logsHref(app.id, { run: message.workflow_run_id, from: conversationId })} data-testid="message-run-link">
                  View workflow run →
                </Link>
              )}
            </div>
          </li>
        ))}
      </ol>
    </div>
  );
}
