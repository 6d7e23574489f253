import { useEffect, useState } from "preact/hooks";
import { api, errorMessage } from "../api";
import { AuthLayout } from "../components/auth-layout";
import { ErrorText } from "../components/error-text";
import { Field } from "../components/field";
import { passwordProblem } from "../format";
import { Link, navigate, queryParam } from "../router";

type Check = { state: "checking" } | { state: "invalid"; message?: string } | { state: "valid"; email: string; workspaceName: string };

/** Accepts an invitation: the invitee picks a name and a password. */
export function ActivatePage() {
  const token = queryParam("token") ?? "";
  const [check, setCheck] = useState<Check>({ state: "checking" });
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");

  useEffect(() => {
    if (!token) return setCheck({ state: "invalid" });
    api
      .checkActivation(token)
      .then((result) =>
        setCheck(
          result.is_valid && result.data
            ? { state: "valid", email: result.data.email, workspaceName: result.data.workspace_name }
            : { state: "invalid" },
        ),
      )
      .catch((caught) => setCheck({ state: "invalid", message: errorMessage(caught) }));
  }, [token]);

  const submit = async (event: Event) => {
    event.preventDefault();
    const problem = passwordProblem(password);
    if (problem) return setError(problem);
    setBusy(true);
    setError("");
    try {
      await api.activate({ token, name: name.trim(), password });
      navigate("/signin");
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  };

  if (check.state === "checking") return <div class="center-screen muted">Checking your invitation…</div>;
  if (check.state === "invalid") {
    return (
      <AuthLayout title="Invitation not valid" subtitle={check.message ?? "This invitation link has expired or was already used. Ask an admin for a new one."}>
        <div data-testid="activate-invalid">
          <Link href="/signin" class="btn btn-block">
            Go to sign in
          </Link>
        </div>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout
      title="Join the workspace"
      subtitle={
        <>
          You were invited to <strong>{check.workspaceName}</strong> as <strong>{check.email}</strong>.
        </>
      }
    >
      <form class="form" onSubmit={submit} data-testid="activate-form">
        <Field label="Your name">
          <input type="text" required autoComplete="name" data-testid="activate-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <Field label="Password" hint="At least 8 characters, with a letter and a digit.">
          <input
            type="password"
            required
            autoComplete="new-password"
            data-testid="activate-password"
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </Field>
        <ErrorText message={error} testId="activate-error" />
        <button type="submit" class="btn btn-primary btn-block" data-testid="activate-submit" disabled={busy}>
          {busy ? "Joining…" : "Join workspace"}
        </button>
      </form>
    </AuthLayout>
  );
}
