import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ChatPage } from "./chat-page";
import { WebAppClient } from "./client";
import { GeneratePage } from "./generate-page";
import { parseLocation, type Parameters, type SiteInfo } from "./types";
import "./webapp.css";

function WebApp() {
  const location = parseLocation(window.location.pathname);
  const [state, setState] = useState<{ client: WebAppClient; site: SiteInfo; parameters: Parameters } | { error: string } | null>(null);

  useEffect(() => {
    if (!location) {
      setState({ error: "This link is not a web app link." });
      return;
    }
    const client = new WebAppClient(location.code);
    (async () => {
      await client.start();
      const [site, parameters] = await Promise.all([client.get<SiteInfo>("/api/site"), client.get<Parameters>("/api/parameters")]);
      document.title = site.site.title;
      if (site.site.chat_color_theme) document.documentElement.style.setProperty("--wa-accent", site.site.chat_color_theme);
      setState({ client, site, parameters });
    })().catch((error: Error) => setState({ error: error.message }));
  }, []);

  if (!state) return <div class="wa-loading" aria-busy="true" />;
  if ("error" in state) {
    return (
      <div class="wa-unavailable" role="alert">
        <h1>This app is unavailable</h1>
        <p>{state.error}</p>
      </div>
    );
  }
  const { client, site, parameters } = state;
  if (site.mode === "workflow" || site.mode === "completion") return <GeneratePage client={client} site={site} parameters={parameters} kind={site.mode} />;
  return <ChatPage client={client} site={site} parameters={parameters} compact={location?.kind === "chatbot"} />;
}

render(<WebApp />, document.getElementById("app")!);
