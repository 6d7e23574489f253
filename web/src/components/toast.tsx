import { signal } from "@preact/signals";

const message = signal("");
let timer: ReturnType<typeof setTimeout> | undefined;

/** A short confirmation at the bottom of the screen ("Saved", "Copied"). */
export function showToast(text: string): void {
  message.value = text;
  clearTimeout(timer);
  timer = setTimeout(() => (message.value = ""), 2500);
}

export function ToastHost() {
  if (!message.value) return null;
  return (
    <div class="toast" role="status" data-testid="toast">
      {message.value}
    </div>
  );
}
