/** An API or validation message shown next to the form or action that caused it. */
export function ErrorText({ message, testId = "error-message" }: { message: string | null | undefined; testId?: string }) {
  if (!message) return null;
  return (
    <div class="error-text" role="alert" data-testid={testId}>
      {message}
    </div>
  );
}
