import type { AppMode, Role } from "./api";

export const MODES: { value: AppMode; label: string; description: string; icon: string }[] = [
  { value: "chat", label: "Chatbot", description: "A chat assistant built from a prompt and a model.", icon: "🤖" },
  { value: "completion", label: "Text Generator", description: "Generates text from a prompt and inputs, one shot at a time.", icon: "📝" },
  { value: "agent-chat", label: "Agent", description: "A chat assistant that reasons and calls tools on its own.", icon: "🧭" },
  { value: "advanced-chat", label: "Chatflow", description: "A chat app driven by a workflow with memory.", icon: "💬" },
  { value: "workflow", label: "Workflow", description: "A multi-step workflow run by API or on a schedule.", icon: "🔀" },
];

export const modeLabel = (mode: string) => MODES.find((m) => m.value === mode)?.label ?? mode;
export const modeIcon = (mode: string) => MODES.find((m) => m.value === mode)?.icon ?? "🐝";
export const isWorkflowMode = (mode: string) => mode === "workflow" || mode === "advanced-chat";

export const ROLES: { value: Role; label: string; description: string }[] = [
  { value: "owner", label: "Owner", description: "Owns the workspace." },
  { value: "admin", label: "Admin", description: "Manages members and every app." },
  { value: "editor", label: "Editor", description: "Builds and publishes apps." },
  { value: "normal", label: "Member", description: "Uses published apps." },
];

export const roleLabel = (role: string) => ROLES.find((r) => r.value === role)?.label ?? role;

/** Unix seconds (Dify style) → a local date and time. */
export function formatDateTime(seconds: number | null | undefined): string {
  if (!seconds) return "—";
  return new Date(seconds * 1000).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

/** Unix seconds → "5 minutes ago", falling back to a date after a week. */
export function formatRelative(seconds: number | null | undefined, now = Date.now()): string {
  if (!seconds) return "—";
  const diff = Math.round(seconds - now / 1000);
  const abs = Math.abs(diff);
  if (abs < 45) return "just now";
  if (abs < 3600) return relative.format(Math.round(diff / 60), "minute");
  if (abs < 86400) return relative.format(Math.round(diff / 3600), "hour");
  if (abs < 7 * 86400) return relative.format(Math.round(diff / 86400), "day");
  return new Date(seconds * 1000).toLocaleDateString(undefined, { dateStyle: "medium" });
}

/** The same rule the server applies, checked early so the form can say so. */
export function passwordProblem(password: string): string | null {
  if (password.length < 8) return "Password must be at least 8 characters.";
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) return "Password must contain a letter and a digit.";
  return null;
}

/** A file size for people: "820 B", "14.2 KB", "3.1 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
