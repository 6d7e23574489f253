import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { errorMessage, type App } from "../../../api";
import { ErrorText } from "../../../components/error-text";
import { formatDateTime, formatRelative } from "../../../format";
import { logsApi, type ConversationLog } from "../../../logs-api";
import { Link, navigate } from "../../../router";
import { conversationStarter } from "./log-format";
import { logsHref } from "./logs-tab";

const PAGE_SIZE = 20;

/** A chat app's conversations, most recently active first, from API callers and console tests alike. */
export function ConversationLogs({ app }: { app: App }) {
  const conversations = useSignal<ConversationLog[]>([]);
  const hasMore = useSignal(false);
  const loading = useSignal(true);
  const error = useSignal("");
  const completion = app.mode === "completion";

  const load = async (after?: string) => {
    loading.value = true;
    try {
      const result = await logsApi.conversations(app.id, { limit: PAGE_SIZE, last_id: after });
      conversations.value = after ? [...conversations.value, ...result.data] : result.data;
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
  }, [app.id]);

  return (
    <div class="stack" data-testid="conversation-logs">
      <ErrorText message={error.value} testId="logs-error" />
      <div class="card flush">
        {!loading.value && conversations.value.length === 0 && !error.value ? (
          <div class="empty-inline" data-testid="conversations-empty">
            <div class="empty-icon">💬</div>
            <p>
              <strong>{completion ? "Nothing generated yet." : "No conversations yet."}</strong>
            </p>
            <p class="muted">Every {completion ? "generation" : "conversation"} with this app appears here — from the Preview tab and from API callers — with each message, its tokens and feedback.</p>
            <div class="row gap center-row">
              <Link href={`/app/${app.id}/preview`} class="btn btn-primary" data-testid="conversations-empty-preview">
                Try it on Preview
              </Link>
              <Link href={`/app/${app.id}/api`} class="btn" data-testid="conversations-empty-api">
                Call it through the API
              </Link>
            </div>
          </div>
        ) : (
          <table class="table clickable-rows" data-testid="conversation-list">
            <thead>
              <tr>
                <th>{completion ? "First input" : "Conversation"}</th>
                <th>User</th>
                <th class="numeric">Messages</th>
                <th>Updated</th>
              </tr>
            </thead>
            <tbody>
              {conversations.value.map((conversation) => {
                const who = conversationStarter(conversation);
                const href = logsHref(app.id, { conversation: conversation.id });
                return (
                  <tr key={conversation.id} data-testid="conversation-row" data-conversation-id={conversation.id} onClick={(event) => !(event.target as HTMLElement).closest("a") && navigate(href)}>
                    <td class="wrap">
                      <Link href={href} data-testid="conversation-name">
                        {conversation.name || "Untitled conversation"}
                      </Link>
                    </td>
                    <td data-testid="conversation-who">
                      <span class={`who who-${who.kind}`}>{who.label}</span>
                      {conversation.from_source === "console" && <span class="chip">console</span>}
                    </td>
                    <td class="numeric" data-testid="conversation-message-count">
                      {conversation.message_count}
                    </td>
                    <td title={formatDateTime(conversation.updated_at)}>{formatRelative(conversation.updated_at)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {loading.value && conversations.value.length === 0 && <p class="muted pad">Loading…</p>}
      </div>
      {hasMore.value && (
        <button type="button" class="btn" data-testid="conversations-load-more" disabled={loading.value} onClick={() => void load(conversations.value.at(-1)?.id)}>
          {loading.value ? "Loading…" : "Load more"}
        </button>
      )}
    </div>
  );
}
