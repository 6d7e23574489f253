import { useState } from "preact/hooks";
import { api, errorMessage, type InvitationResult, type Role } from "../api";
import { CopyButton } from "../components/copy-button";
import { ErrorText } from "../components/error-text";
import { Field } from "../components/field";
import { Modal } from "../components/modal";
import { ROLES } from "../format";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Invites one or more people by email; shows each activation link so it can be sent by hand. */
export function InviteModal({ onClose, onInvited }: { onClose: () => void; onInvited: () => void }) {
  const [emails, setEmails] = useState("");
  const [role, setRole] = useState<Role>("normal");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const [results, setResults] = useState<InvitationResult[] | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    const list = emails
      .split(/[\s,;]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    if (list.length === 0) return setError("Enter at least one email address.");
    const bad = list.find((email) => !EMAIL.test(email));
    if (bad) return setError(`“${bad}” is not an email address.`);
    setBusy(true);
    setError("");
    try {
      const answer = await api.inviteMembers({ emails: list, role });
      setResults(answer.invitation_results);
      onInvited();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  if (results) {
    return (
      <Modal
        title="Invitations sent"
        onClose={onClose}
        testId="invite-results"
        wide
        footer={
          <button type="button" class="btn btn-primary" data-testid="invite-done" onClick={onClose}>
            Done
          </button>
        }
      >
        <p class="muted">Send each person their activation link.</p>
        <ul class="invite-results">
          {results.map((result) => {
            const link = result.url ? new URL(result.url, window.location.origin).toString() : "";
            return (
              <li key={result.email} data-testid="invite-result" data-status={result.status}>
                <div>
                  <strong>{result.email}</strong>{" "}
                  <span class={result.status === "success" ? "status-badge status-active" : "status-badge status-failed"}>
                    {result.status === "success" ? "Invited" : "Failed"}
                  </span>
                </div>
                {result.status === "success" && link ? (
                  <div class="secret-box">
                    <code data-testid="invite-link">{link}</code>
                    <CopyButton text={link} testId="copy-invite-link" />
                  </div>
                ) : (
                  result.message && <div class="error-text">{result.message}</div>
                )}
              </li>
            );
          })}
        </ul>
      </Modal>
    );
  }

  return (
    <Modal
      title="Invite members"
      onClose={onClose}
      testId="invite-modal"
      footer={
        <>
          <button type="button" class="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="invite-form" class="btn btn-primary" data-testid="invite-submit" disabled={busy}>
            {busy ? "Inviting…" : "Send invitations"}
          </button>
        </>
      }
    >
      <form id="invite-form" class="form" onSubmit={submit}>
        <Field label="Email addresses" hint="Separate several addresses with commas or new lines.">
          <textarea rows={3} data-testid="invite-emails" value={emails} onInput={(e) => setEmails(e.currentTarget.value)} />
        </Field>
        <Field label="Role" hint={ROLES.find((r) => r.value === role)?.description}>
          <select data-testid="invite-role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
            {ROLES.filter((r) => r.value !== "owner").map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </Field>
        <ErrorText message={error} testId="invite-error" />
      </form>
    </Modal>
  );
}
