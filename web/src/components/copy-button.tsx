import { useState } from "preact/hooks";
import { showToast } from "./toast";

/** Copies `text`; falls back to selecting a temporary textarea where the Clipboard API is unavailable. */
export function CopyButton({ text, testId = "copy", label = "Copy" }: { text: string; testId?: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      const area = document.createElement("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    setCopied(true);
    showToast("Copied to clipboard");
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <button type="button" class="btn btn-small" data-testid={testId} onClick={copy}>
      {copied ? "Copied" : label}
    </button>
  );
}
