/** A run of text, highlighted (`mark`) or not; a highlighted run may be flagged as missing (red). */
export interface TextRun {
  text: string;
  mark?: boolean;
  missing?: boolean;
}

/**
 * The inside of a highlighting backdrop behind a transparent textarea: the same text with some
 * runs marked, and a last newline so that a final empty line keeps its height as in the textarea.
 */
export function MarkedText({ runs }: { runs: TextRun[] }) {
  return (
    <>
      {runs.map((run, index) =>
        run.mark ? (
          <mark key={index} class={run.missing ? "missing" : undefined}>
            {run.text}
          </mark>
        ) : (
          run.text
        ),
      )}
      {"\n"}
    </>
  );
}
