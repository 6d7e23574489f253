import { render } from "preact";
import { App } from "./app";
import { loadWorkflowEditor } from "./pages/app/draft-tab";
import { matchPath } from "./router";
import "./styles.css";

// A reload or a shared link straight to a draft: the canvas downloads while the session loads.
if (matchPath("/app/:id/draft", window.location.pathname)) void loadWorkflowEditor();

render(<App />, document.getElementById("app")!);
