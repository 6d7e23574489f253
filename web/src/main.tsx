import { render } from "preact";
import { primeGets } from "./api";
import { App } from "./app";
import { loadWorkflowEditor } from "./pages/app/draft-tab";
import { matchPath } from "./router";
import "./styles.css";

// A reload or a shared link straight to a draft: the canvas downloads while the session, the app
// and its draft load, all at once rather than each after the one before.
const draft = matchPath("/app/:id/draft", window.location.pathname);
if (draft) {
  void loadWorkflowEditor();
  const app = `/apps/${encodeURIComponent(draft.id!)}`;
  primeGets(["/account/profile", "/workspaces/current", app, `${app}/workflows/draft`]);
}

render(<App />, document.getElementById("app")!);
