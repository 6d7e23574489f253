import type { App } from "../../../api";
import { Link, location$ } from "../../../router";
import { AnnotationsPanel } from "./annotations-panel";
import { ConversationLogs } from "./conversation-logs";
import { ConversationMessages } from "./conversation-messages";
import { RunDetail } from "./run-detail";
import { RunLogs } from "./run-logs";

/**
 * The app's logs. Workflows list their runs; chat apps (chatflows included) list conversations,
 * whose messages link to the run behind them. `?run=` and `?conversation=` open one, so a run or
 * a conversation has its own URL to share. Chat apps also keep their annotations here
 * (`?view=annotations`), as Dify does.
 */
export function LogsTab({ app }: { app: App }) {
  const params = new URLSearchParams(location$.value.search);
  const runId = params.get("run");
  const conversationId = params.get("conversation");
  if (runId) return <RunDetail key={runId} app={app} runId={runId} from={params.get("from")} />;
  if (app.mode === "workflow") return <RunLogs app={app} />;
  if (conversationId) return <ConversationMessages key={conversationId} app={app} conversationId={conversationId} />;
  const annotations = params.get("view") === "annotations";
  return (
    <>
      <div class="draft-view-toggle" role="group" aria-label="Logs view">
        <Link href={logsHref(app.id)} class={annotations ? "" : "active"} data-testid="logs-view-conversations">
          Conversations
        </Link>
        <Link href={logsHref(app.id, { view: "annotations" })} class={annotations ? "active" : ""} data-testid="logs-view-annotations">
          Annotations
        </Link>
      </div>
      {annotations ? <AnnotationsPanel app={app} /> : <ConversationLogs app={app} />}
    </>
  );
}

/** Where a log entry lives. */
export const logsHref = (appId: string, query: Record<string, string> = {}) => {
  const search = new URLSearchParams(query).toString();
  return `/app/${appId}/logs${search ? `?${search}` : ""}`;
};
