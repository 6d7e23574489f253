import { Link, location$ } from "../router";
import { account, logout, workspace } from "../session";
import { BrandMark } from "./brand-mark";

const NAV = [
  { href: "/apps", label: "Studio", testId: "nav-apps", match: ["/apps", "/app/"] },
  { href: "/datasets", label: "Knowledge", testId: "nav-knowledge", match: ["/datasets"] },
  { href: "/members", label: "Members", testId: "nav-members", match: ["/members"] },
  { href: "/settings/model-providers", label: "Settings", testId: "nav-settings", match: ["/settings"] },
];

export function TopBar() {
  const path = location$.value.pathname;
  const name = account.value?.name ?? "";
  return (
    <header class="top-bar">
      <div class="top-bar-left">
        <Link href="/apps" class="brand" data-testid="brand">
          <BrandMark /> Waggle
        </Link>
        <span class="workspace-chip" data-testid="workspace-name" title="Workspace">
          <span class="workspace-initial">{(workspace.value?.name ?? "W").slice(0, 1).toUpperCase()}</span>
          {workspace.value?.name}
        </span>
      </div>
      <nav class="top-nav">
        {NAV.map((item) => (
          <Link
            key={item.href}
            href={item.href}
            data-testid={item.testId}
            class={item.match.some((m) => path === m || path.startsWith(m)) ? "nav-link active" : "nav-link"}
          >
            {item.label}
          </Link>
        ))}
      </nav>
      <div class="top-bar-right">
        <span class="account" data-testid="account-name" title={account.value?.email}>
          <span class="avatar">{name.slice(0, 1).toUpperCase()}</span>
          {name}
        </span>
        <button type="button" class="btn btn-small btn-ghost" data-testid="logout" onClick={() => void logout()}>
          Log out
        </button>
      </div>
    </header>
  );
}
