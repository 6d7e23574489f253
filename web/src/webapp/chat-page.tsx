import { useEffect, useRef, useState } from "preact/hooks";
import type { RunEvent, WebAppClient } from "./client";
import { InputForm, defaultValues } from "./input-form";
import { Markdown } from "./markdown-view";
import { acceptFor, chatUploadTypes, fileReference, fileUploadEnabled, inputFields, inputsFromQuery, inputsToSend, missingInput, type Parameters, type SiteInfo } from "./types";

interface Conversation {
  id: string;
  name: string;
  created_at: number;
}

interface Citation {
  document_name?: string;
  dataset_name?: string;
  content?: string;
}

interface ChatMessage {
  id: string;
  query: string;
  answer: string;
  files: string[];
  feedback: "like" | "dislike" | null;
  citations: Citation[];
  error?: string;
  pending?: boolean;
  /** The connection dropped mid-answer and is being restored. */
  reconnecting?: boolean;
  suggestions?: string[];
}

interface Attachment {
  name: string;
  uploadFileId: string;
  type: string;
}

interface Props {
  client: WebAppClient;
  site: SiteInfo;
  parameters: Parameters;
  /** The embed bubble's compact layout (`/chatbot/{code}`). */
  compact: boolean;
}

/** Dify's web chat: conversations, streaming markdown answers, stop, files, suggestions and feedback. */
export function ChatPage({ client, site, parameters, compact }: Props) {
  const fields = inputFields(parameters.user_input_form);
  const [conversations, setConversations] = useState<Conversation[]>([]);
  const [conversationId, setConversationId] = useState("");
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [inputs, setInputs] = useState<Record<string, unknown>>(() => ({ ...defaultValues(fields), ...inputsFromQuery(fields, window.location.search) }));
  const [query, setQuery] = useState("");
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState("");
  const [showList, setShowList] = useState(false);
  const taskId = useRef("");
  const abort = useRef<AbortController | null>(null);
  const bottom = useRef<HTMLDivElement>(null);

  const loadConversations = async () => {
    const page = await client.get<{ data: Conversation[] }>("/api/conversations?limit=100");
    setConversations(page.data);
  };

  useEffect(() => {
    loadConversations().catch((error: Error) => setNotice(error.message));
  }, []);

  useEffect(() => {
    bottom.current?.scrollIntoView?.({ block: "end" });
  }, [messages]);

  const open = async (id: string) => {
    abort.current?.abort();
    setShowList(false);
    setConversationId(id);
    setNotice("");
    if (!id) {
      setMessages([]);
      return;
    }
    const page = await client.get<{ data: Array<{ id: string; query: string; answer: string; feedback: { rating: "like" | "dislike" } | null; retriever_resources?: Citation[]; message_files?: Array<{ filename?: string }> }> }>(
      `/api/messages?conversation_id=${encodeURIComponent(id)}&limit=100`,
    );
    setMessages(page.data.map((m) => ({ id: m.id, query: m.query, answer: m.answer, files: (m.message_files ?? []).map((f) => f.filename ?? "file"), feedback: m.feedback?.rating ?? null, citations: m.retriever_resources ?? [] })));
  };

  const update = (id: string, patch: (message: ChatMessage) => ChatMessage) => setMessages((list) => list.map((m) => (m.id === id ? patch(m) : m)));

  const send = async (text: string) => {
    const trimmed = text.trim();
    if (!trimmed || busy) return;
    if (!conversationId) {
      const missing = missingInput(fields, inputs);
      if (missing) {
        setNotice(`Fill in “${missing.label}” first.`);
        return;
      }
    }
    setNotice("");
    const localId = `local-${Date.now()}`;
    let messageId = localId;
    setMessages((list) => [...list.map((m) => ({ ...m, suggestions: undefined })), { id: localId, query: trimmed, answer: "", files: attachments.map((a) => a.name), feedback: null, citations: [], pending: true }]);
    setQuery("");
    const files = attachments.map((a) => ({ type: a.type, transfer_method: "local_file", upload_file_id: a.uploadFileId }));
    setAttachments([]);
    setBusy(true);
    abort.current = new AbortController();
    let newConversation = "";
    const onEvent = (event: RunEvent) => {
      if (event.task_id) taskId.current = String(event.task_id);
      if (typeof event.conversation_id === "string" && event.conversation_id && !conversationId) newConversation = event.conversation_id;
      const id = typeof event.message_id === "string" ? event.message_id : typeof event.id === "string" && (event.event === "message" || event.event === "agent_message") ? event.id : "";
      if (id && messageId === localId) {
        update(localId, (m) => ({ ...m, id }));
        messageId = id;
      }
      if (event.event === "message" || event.event === "agent_message") update(messageId, (m) => ({ ...m, answer: m.answer + String(event.answer ?? "") }));
      else if (event.event === "message_replace") update(messageId, (m) => ({ ...m, answer: String(event.answer ?? "") }));
      else if (event.event === "message_end") {
        const resources = (event.metadata as { retriever_resources?: Citation[] } | undefined)?.retriever_resources ?? [];
        update(messageId, (m) => ({ ...m, citations: resources, pending: false }));
      } else if (event.event === "error") update(messageId, (m) => ({ ...m, error: String(event.message ?? "The answer failed."), pending: false }));
      else if (event.event === "workflow_finished" && (event.data as { status?: string } | undefined)?.status === "failed") {
        update(messageId, (m) => ({ ...m, error: m.error ?? String((event.data as { error?: string }).error ?? "The answer failed."), pending: false }));
      }
    };
    try {
      await client.stream("/api/chat-messages", { query: trimmed, inputs: inputsToSend(fields, inputs), conversation_id: conversationId, files }, onEvent, abort.current.signal, {
        eventsPath: (task) => `/api/chat-messages/${encodeURIComponent(task)}/events`,
        onReconnecting: (attempt) => update(messageId, (m) => ({ ...m, reconnecting: attempt > 0 })),
      });
    } catch (error) {
      if ((error as Error).name !== "AbortError") update(messageId, (m) => ({ ...m, error: (error as Error).message }));
    } finally {
      update(messageId, (m) => ({ ...m, pending: false, reconnecting: false }));
      setBusy(false);
      taskId.current = "";
      abort.current = null;
    }
    if (newConversation) {
      setConversationId(newConversation);
      // The name is generated from the first message; show it when it is ready.
      loadConversations().catch(() => undefined);
      setTimeout(() => loadConversations().catch(() => undefined), 2500);
    }
    if (parameters.suggested_questions_after_answer?.enabled && messageId !== localId) {
      client
        .get<{ data: string[] }>(`/api/messages/${messageId}/suggested-questions`)
        .then((res) => update(messageId, (m) => ({ ...m, suggestions: res.data })))
        .catch(() => undefined);
    }
  };

  const stop = async () => {
    const id = taskId.current;
    if (id) await client.post(`/api/chat-messages/${id}/stop`, {}).catch(() => undefined);
    abort.current?.abort();
  };

  const uploadRules = chatUploadTypes(parameters);
  const attach = async (list: FileList | null) => {
    const chosen = Array.from(list ?? []);
    if (attachments.length + chosen.length > uploadRules.limit) {
      setNotice(`At most ${uploadRules.limit} files per message.`);
      return;
    }
    for (const file of chosen) {
      try {
        const uploaded = await client.upload<{ id: string; name: string; mime_type: string }>(file);
        const reference = fileReference(uploaded, uploadRules.types);
        setAttachments((current) => [...current, { name: uploaded.name, uploadFileId: uploaded.id, type: reference.type }]);
      } catch (error) {
        setNotice(`${file.name}: ${(error as Error).message}`);
      }
    }
  };

  const rate = async (message: ChatMessage, rating: "like" | "dislike") => {
    const next = message.feedback === rating ? null : rating;
    await client.post(`/api/messages/${message.id}/feedbacks`, { rating: next }).catch((error: Error) => setNotice(error.message));
    update(message.id, (m) => ({ ...m, feedback: next }));
  };

  const rename = async (conversation: Conversation) => {
    const name = window.prompt("Rename conversation", conversation.name);
    if (name === null || !name.trim()) return;
    await client.post(`/api/conversations/${conversation.id}/name`, { name: name.trim(), auto_generate: false }).catch((error: Error) => setNotice(error.message));
    await loadConversations();
  };

  const remove = async (conversation: Conversation) => {
    if (!window.confirm(`Delete “${conversation.name}”?`)) return;
    await client.delete(`/api/conversations/${conversation.id}`).catch((error: Error) => setNotice(error.message));
    if (conversation.id === conversationId) await open("");
    await loadConversations();
  };

  const starting = messages.length === 0;
  return (
    <div class={`wa-chat ${compact ? "wa-compact" : ""} ${showList ? "wa-list-open" : ""}`}>
      <aside class="wa-sidebar" aria-label="Conversations">
        <button class="wa-new" type="button" onClick={() => open("")}>
          + New chat
        </button>
        <ul class="wa-conversations">
          {conversations.map((conversation) => (
            <li key={conversation.id} class={conversation.id === conversationId ? "wa-active" : ""}>
              <button type="button" class="wa-conversation" onClick={() => open(conversation.id)}>
                {conversation.name || "New conversation"}
              </button>
              <button type="button" class="wa-icon" title="Rename" aria-label={`Rename ${conversation.name}`} onClick={() => rename(conversation)}>
                ✎
              </button>
              <button type="button" class="wa-icon" title="Delete" aria-label={`Delete ${conversation.name}`} onClick={() => remove(conversation)}>
                🗑
              </button>
            </li>
          ))}
        </ul>
      </aside>
      <main class="wa-main">
        <header class="wa-header">
          <button type="button" class="wa-icon wa-menu" aria-label="Conversations" onClick={() => setShowList(!showList)}>
            ☰
          </button>
          <span class="wa-app-icon" style={{ background: site.site.icon_background }}>
            {site.site.icon_type === "emoji" ? site.site.icon : "🤖"}
          </span>
          <h1>{site.site.title}</h1>
          <button type="button" class="wa-icon wa-header-new" aria-label="New chat" title="New chat" onClick={() => open("")}>
            ＋
          </button>
        </header>
        <div class="wa-messages" role="log" aria-live="polite">
          {starting ? (
            <section class="wa-welcome">
              {site.site.description ? <p class="wa-muted">{site.site.description}</p> : null}
              {fields.length ? <InputForm fields={fields} values={inputs} onChange={setInputs} upload={(file) => client.upload(file)} /> : null}
              {parameters.opening_statement ? <Markdown class="wa-bubble wa-answer" text={parameters.opening_statement} /> : null}
              {parameters.suggested_questions?.length ? (
                <div class="wa-suggestions">
                  {parameters.suggested_questions.map((q) => (
                    <button type="button" key={q} onClick={() => send(q)}>
                      {q}
                    </button>
                  ))}
                </div>
              ) : null}
            </section>
          ) : null}
          {messages.map((message) => (
            <div class="wa-turn" key={message.id} data-message-id={message.id}>
              <div class="wa-bubble wa-question">
                {message.query}
                {message.files.length ? <div class="wa-files">📎 {message.files.join(", ")}</div> : null}
              </div>
              <div class={`wa-bubble wa-answer ${message.pending ? "wa-pending" : ""}`}>
                {message.answer ? <Markdown text={message.answer} /> : message.pending && !message.reconnecting ? <span class="wa-typing" aria-label="Answering">•••</span> : null}
                {message.reconnecting ? (
                  <p class="wa-reconnecting" role="status">
                    Reconnecting…
                  </p>
                ) : null}
                {message.error ? <p class="wa-error" role="alert">{message.error}</p> : null}
                {message.citations.length && parameters.retriever_resource?.enabled !== false ? (
                  <details class="wa-citations">
                    <summary>Citations ({message.citations.length})</summary>
                    <ul>
                      {message.citations.map((c, i) => (
                        <li key={i}>
                          <strong>{c.document_name ?? c.dataset_name ?? "Source"}</strong>
                          {c.content ? <p>{c.content.slice(0, 300)}</p> : null}
                        </li>
                      ))}
                    </ul>
                  </details>
                ) : null}
                {!message.pending && !message.id.startsWith("local-") ? (
                  <div class="wa-feedback">
                    <button type="button" class={message.feedback === "like" ? "wa-on" : ""} aria-pressed={message.feedback === "like"} title="Good answer" onClick={() => rate(message, "like")}>
                      👍
                    </button>
                    <button type="button" class={message.feedback === "dislike" ? "wa-on" : ""} aria-pressed={message.feedback === "dislike"} title="Bad answer" onClick={() => rate(message, "dislike")}>
                      👎
                    </button>
                  </div>
                ) : null}
              </div>
              {message.suggestions?.length ? (
                <div class="wa-suggestions">
                  {message.suggestions.map((q) => (
                    <button type="button" key={q} onClick={() => send(q)}>
                      {q}
                    </button>
                  ))}
                </div>
              ) : null}
            </div>
          ))}
          <div ref={bottom} />
        </div>
        {notice ? (
          <p class="wa-error wa-notice" role="alert">
            {notice}
          </p>
        ) : null}
        <form
          class="wa-composer"
          onSubmit={(e) => {
            e.preventDefault();
            void send(query);
          }}
        >
          {attachments.length ? <div class="wa-files">📎 {attachments.map((a) => a.name).join(", ")}</div> : null}
          <div class="wa-compose-row">
            {fileUploadEnabled(parameters) ? (
              <label class="wa-icon wa-attach" title="Attach a file">
                📎
                <input
                  type="file"
                  multiple
                  hidden
                  accept={acceptFor(uploadRules.types, uploadRules.extensions) || undefined}
                  onChange={(e) => {
                    const input = e.target as HTMLInputElement;
                    void attach(input.files).finally(() => (input.value = ""));
                  }}
                />
              </label>
            ) : null}
            <textarea
              rows={1}
              placeholder="Talk to the bot…"
              aria-label="Message"
              value={query}
              onInput={(e) => setQuery((e.target as HTMLTextAreaElement).value)}
              onKeyDown={(e) => {
                if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
                  e.preventDefault();
                  void send(query);
                }
              }}
            />
            {busy ? (
              <button type="button" class="wa-stop" onClick={stop}>
                ■ Stop
              </button>
            ) : (
              <button type="submit" class="wa-send" disabled={!query.trim()}>
                Send
              </button>
            )}
          </div>
        </form>
        {site.site.custom_disclaimer ? <p class="wa-disclaimer">{site.site.custom_disclaimer}</p> : null}
      </main>
    </div>
  );
}
