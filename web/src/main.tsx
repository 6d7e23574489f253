import { render } from "preact";
import { adoptBootGets, peekPrimed, primeGets } from "./api";
import { App } from "./app";
import { isWorkflowMode } from "./format";
import { loadEasyModeEditor, loadWorkflowEditor } from "./pages/app/draft-tab";
import { matchPath } from "./router";
import { mayBeSignedIn } from "./session";
import "./styles.css";

// A reload or a shared link straight to a draft: the session, the app and its draft load at once
// (the built page's boot script has started them; otherwise they start here; an easy-mode app's
// draft answers 204 and is not used), the workflow canvas downloads meanwhile, and an easy-mode
// app's editor as soon as the app says it is one. A visitor who is not signed in is sent on at once.
const draft = matchPath("/app/:id/draft", window.location.pathname);
if (draft && mayBeSignedIn()) {
  void loadWorkflowEditor();
  const app = `/apps/${encodeURIComponent(draft.id!)}`;
  const booted = adoptBootGets();
  if (!booted) primeGets(["/account/profile", "/workspaces/current", app, [`${app}/workflows/draft`, "?if_workflow=true"]]);
  void peekPrimed<{ mode: string }>(app).then((found) => {
    if (found && !isWorkflowMode(found.mode)) void loadEasyModeEditor();
  });
}

render(<App />, document.getElementById("app")!);
