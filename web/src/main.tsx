import { render } from "preact";
import { peekPrimed, primeGets } from "./api";
import { App } from "./app";
import { isWorkflowMode } from "./format";
import { loadEasyModeEditor, loadWorkflowEditor } from "./pages/app/draft-tab";
import { matchPath } from "./router";
import "./styles.css";

// A reload or a shared link straight to a draft: the session and the app load at once, the
// workflow canvas downloads meanwhile, and a workflow's draft is asked for as soon as the app says
// it is one (rather than each request after the one before).
const draft = matchPath("/app/:id/draft", window.location.pathname);
if (draft) {
  void loadWorkflowEditor();
  const app = `/apps/${encodeURIComponent(draft.id!)}`;
  primeGets(["/account/profile", "/workspaces/current", app]);
  void peekPrimed<{ mode: string }>(app).then((found) => {
    if (found && isWorkflowMode(found.mode)) primeGets([`${app}/workflows/draft`]);
    else if (found) void loadEasyModeEditor();
  });
}

render(<App />, document.getElementById("app")!);
