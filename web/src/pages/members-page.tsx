import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { api, errorMessage, type Member, type Role } from "../api";
import { confirmAction } from "../components/confirm-dialog";
import { ErrorText } from "../components/error-text";
import { showToast } from "../components/toast";
import { ROLES, formatDateTime, roleLabel } from "../format";
import { account, canManageMembers, workspace } from "../session";
import { InviteModal } from "./invite-modal";

/** Workspace members: invite, change role, remove — for owners and admins; read-only for others. */
export function MembersPage() {
  const members = useSignal<Member[]>([]);
  const loading = useSignal(true);
  const error = useSignal("");
  const rowError = useSignal<{ id: string; message: string } | null>(null);
  const inviting = useSignal(false);
  const manage = canManageMembers.value;

  const load = async () => {
    try {
      members.value = (await api.members()).accounts;
      error.value = "";
    } catch (caught) {
      error.value = errorMessage(caught);
    } finally {
      loading.value = false;
    }
  };

  useEffect(() => {
    void load();
  }, []);

  // Nobody changes or removes the owner, and nobody changes their own role here.
  const editable = (member: Member) => manage && member.role !== "owner" && member.id !== account.value?.id;

  const changeRole = async (member: Member, role: Role) => {
    rowError.value = null;
    try {
      await api.updateMemberRole(member.id, role);
      members.value = members.value.map((m) => (m.id === member.id ? { ...m, role } : m));
      showToast(`${member.name || member.email} is now ${roleLabel(role)}`);
    } catch (caught) {
      rowError.value = { id: member.id, message: errorMessage(caught) };
    }
  };

  const remove = (member: Member) =>
    confirmAction({
      title: "Remove member",
      message: `Remove ${member.name || member.email} from ${workspace.value?.name ?? "this workspace"}? They lose access at once.`,
      confirmLabel: "Remove",
      danger: true,
      action: async () => {
        await api.removeMember(member.id);
        members.value = members.value.filter((m) => m.id !== member.id);
        showToast("Member removed");
      },
    });

  return (
    <div class="page">
      <div class="page-header">
        <div>
          <h1>Members</h1>
          <p class="muted">
            People in {workspace.value?.name}. Your role: <strong data-testid="my-role">{roleLabel(workspace.value?.role ?? "")}</strong>
          </p>
        </div>
        {manage && (
          <button type="button" class="btn btn-primary" data-testid="invite-member" onClick={() => (inviting.value = true)}>
            + Invite
          </button>
        )}
      </div>
      <ErrorText message={error.value} testId="members-error" />
      <div class="card">
        <table class="table" data-testid="member-list">
          <thead>
            <tr>
              <th>Name</th>
              <th>Email</th>
              <th>Status</th>
              <th>Joined</th>
              <th>Role</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {members.value.map((member) => (
              <tr key={member.id} data-testid="member-row" data-member-id={member.id}>
                <td>
                  <span class="avatar">{(member.name || member.email).slice(0, 1).toUpperCase()}</span> {member.name || <span class="muted">—</span>}
                  {member.id === account.value?.id && <span class="muted small"> (you)</span>}
                </td>
                <td>{member.email}</td>
                <td>
                  <span class={`status-badge status-${member.status}`}>{member.status === "active" ? "Active" : "Pending"}</span>
                </td>
                <td>{formatDateTime(member.created_at)}</td>
                <td>
                  {editable(member) ? (
                    <select
                      class="compact"
                      data-testid="member-role"
                      value={member.role}
                      onChange={(e) => void changeRole(member, e.currentTarget.value as Role)}
                    >
                      {ROLES.filter((r) => r.value !== "owner").map((r) => (
                        <option key={r.value} value={r.value}>
                          {r.label}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <span data-testid="member-role-label">{roleLabel(member.role)}</span>
                  )}
                  {rowError.value?.id === member.id && <ErrorText message={rowError.value.message} testId="member-error" />}
                </td>
                <td class="actions">
                  {editable(member) && (
                    <button type="button" class="btn btn-small btn-danger-outline" data-testid="remove-member" onClick={() => remove(member)}>
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {loading.value && <p class="muted">Loading…</p>}
      </div>
      {inviting.value && <InviteModal onClose={() => (inviting.value = false)} onInvited={() => void load()} />}
    </div>
  );
}
