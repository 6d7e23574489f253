import { useEffect, useState } from "preact/hooks";
import { api, errorMessage } from "../api";
import { AuthLayout } from "../components/auth-layout";
import { ErrorText } from "../components/error-text";
import { Field } from "../components/field";
import { navigate } from "../router";
import { clearSession } from "../session";

export function SigninPage() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");

  // A fresh installation has nobody to sign in as yet.
  useEffect(() => {
    api
      .setupStatus()
      .then(({ step }) => step === "not_started" && navigate("/install", { replace: true }))
      .catch(() => undefined);
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError("");
    try {
      await api.login({ email: email.trim(), password });
      clearSession();
      navigate("/apps");
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  };

  return (
    <AuthLayout title="Sign in" subtitle="Welcome back to your workspace.">
      <form class="form" onSubmit={submit} data-testid="login-form">
        <Field label="Email">
          <input type="email" required autoComplete="email" data-testid="login-email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </Field>
        <Field label="Password">
          <input
            type="password"
            required
            autoComplete="current-password"
            data-testid="login-password"
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </Field>
        <ErrorText message={error} testId="login-error" />
        <button type="submit" class="btn btn-primary btn-block" data-testid="login-submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </AuthLayout>
  );
}
