import { useEffect, useState } from "preact/hooks";
import { api, errorMessage } from "../api";
import { AuthLayout } from "../components/auth-layout";
import { ErrorText } from "../components/error-text";
import { Field } from "../components/field";
import { passwordProblem } from "../format";
import { navigate } from "../router";

/** First-run setup: creates the owner account and the workspace. */
export function InstallPage() {
  const [checking, setChecking] = useState(true);
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [workspaceName, setWorkspaceName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");

  useEffect(() => {
    api
      .setupStatus()
      .then(({ step }) => {
        if (step === "finished") navigate("/signin", { replace: true });
        else setChecking(false);
      })
      .catch((caught) => {
        setError(errorMessage(caught));
        setChecking(false);
      });
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    const problem = passwordProblem(password);
    if (problem) return setError(problem);
    setBusy(true);
    setError("");
    try {
      await api.setup({ email: email.trim(), name: name.trim(), password, workspace_name: workspaceName.trim() || undefined });
      navigate("/signin");
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  };

  if (checking) return <div class="center-screen muted">Loading…</div>;
  return (
    <AuthLayout title="Set up Waggle" subtitle="Create the administrator account and your workspace.">
      <form class="form" onSubmit={submit} data-testid="setup-form">
        <Field label="Email">
          <input type="email" required autoComplete="email" data-testid="setup-email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </Field>
        <Field label="Name">
          <input type="text" required autoComplete="name" data-testid="setup-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <Field label="Password" hint="At least 8 characters, with a letter and a digit.">
          <input
            type="password"
            required
            autoComplete="new-password"
            data-testid="setup-password"
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </Field>
        <Field label="Workspace name" hint="Optional; you can rename it later.">
          <input type="text" data-testid="setup-workspace" value={workspaceName} onInput={(e) => setWorkspaceName(e.currentTarget.value)} />
        </Field>
        <ErrorText message={error} testId="setup-error" />
        <button type="submit" class="btn btn-primary btn-block" data-testid="setup-submit" disabled={busy}>
          {busy ? "Setting up…" : "Set up"}
        </button>
      </form>
    </AuthLayout>
  );
}
