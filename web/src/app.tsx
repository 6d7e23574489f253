import { lazy, Suspense } from "preact/compat";
import { useEffect } from "preact/hooks";
import { ConfirmDialogHost } from "./components/confirm-dialog";
import { ToastHost } from "./components/toast";
import { TopBar } from "./components/top-bar";
import { ActivatePage } from "./pages/activate-page";
import { AppPage } from "./pages/app/app-page";
import { AppsPage } from "./pages/apps-page";
import { InstallPage } from "./pages/install-page";
import { SigninPage } from "./pages/signin-page";

// The app list and an app's page are where people land; the other pages are their own chunks, so
// a page opened on an app (a draft above all) parses none of their code before it draws.
const DatasetPage = lazy(() => import("./pages/knowledge/dataset-page").then((m) => m.DatasetPage));
const DatasetsPage = lazy(() => import("./pages/knowledge/datasets-page").then((m) => m.DatasetsPage));
const MembersPage = lazy(() => import("./pages/members-page").then((m) => m.MembersPage));
const SettingsPage = lazy(() => import("./pages/settings-page").then((m) => m.SettingsPage));
import { location$, matchPath, navigate } from "./router";
import { isPublicPath, loadSession, redirectToEntry, sessionError, sessionState } from "./session";

export function App() {
  const { pathname } = location$.value;
  return (
    <>
      {isPublicPath(pathname) ? <PublicRoutes pathname={pathname} /> : <ProtectedRoutes pathname={pathname} />}
      <ConfirmDialogHost />
      <ToastHost />
    </>
  );
}

function PublicRoutes({ pathname }: { pathname: string }) {
  if (pathname.startsWith("/install")) return <InstallPage />;
  if (pathname.startsWith("/activate")) return <ActivatePage />;
  return <SigninPage />;
}

function ProtectedRoutes({ pathname }: { pathname: string }) {
  useEffect(() => {
    if (sessionState.value === "idle") void loadSession();
  }, [sessionState.value]);
  useEffect(() => {
    if (pathname === "/" || pathname === "") navigate("/apps", { replace: true });
  }, [pathname]);

  if (sessionState.value === "error") {
    return (
      <div class="center-screen">
        <div class="card narrow">
          <h2>Cannot load your workspace</h2>
          <p class="muted">{sessionError.value}</p>
          <div class="row gap">
            <button class="btn btn-primary" onClick={() => void loadSession()}>
              Retry
            </button>
            <button class="btn" onClick={() => void redirectToEntry()}>
              Sign in again
            </button>
          </div>
        </div>
      </div>
    );
  }
  if (sessionState.value !== "ready") return <div class="center-screen muted">Loading…</div>;

  return (
    <div class="shell">
      <TopBar />
      <main class="main">
        <Suspense fallback={<div class="page muted">Loading…</div>}>
          <ProtectedPage pathname={pathname} />
        </Suspense>
      </main>
    </div>
  );
}

function ProtectedPage({ pathname }: { pathname: string }) {
  if (matchPath("/apps", pathname)) return <AppsPage />;
  const appMatch = matchPath("/app/:id/:tab?", pathname);
  if (appMatch) return <AppPage key={appMatch.id} id={appMatch.id} tab={appMatch.tab ?? "overview"} />;
  if (matchPath("/datasets", pathname)) return <DatasetsPage />;
  const datasetMatch = matchPath("/datasets/:id/:tab?", pathname);
  if (datasetMatch) return <DatasetPage key={datasetMatch.id} id={datasetMatch.id} tab={datasetMatch.tab ?? "documents"} />;
  if (matchPath("/members", pathname)) return <MembersPage />;
  if (matchPath("/settings/:section?", pathname)) return <SettingsPage />;
  if (pathname === "/" || pathname === "") return null;
  return (
    <div class="page">
      <div class="empty-state" data-testid="not-found">
        <h2>Page not found</h2>
        <p class="muted">Nothing lives at {pathname}.</p>
        <button class="btn btn-primary" onClick={() => navigate("/apps")}>
          Back to apps
        </button>
      </div>
    </div>
  );
}
