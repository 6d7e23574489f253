/**
 * CSV to a Markdown table, as Dify's document extractor does: the first row is the header.
 * Quoted fields (RFC 4180) may contain commas, quotes and line breaks; pipes are escaped and
 * line breaks inside a cell become spaces so the table stays intact.
 */
export function csvToMarkdown(csv: string): string {
  const rows = parseCsv(csv).filter((row) => row.length > 1 || row[0] !== "");
  if (rows.length === 0) return "";
  const width = Math.max(...rows.map((row) => row.length));
  const cell = (value: string | undefined) => (value ?? "").replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
  const line = (row: string[]) => `| ${Array.from({ length: width }, (_, i) => cell(row[i])).join(" | ")} |`;
  const [header, ...body] = rows;
  const separator = `| ${Array.from({ length: width }, (_, i) => "-".repeat(Math.max(3, cell(header[i]).length))).join(" | ")} |`;
  return [line(header), separator, ...body.map(line)].join("\n");
}

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        field += char;
      }
    } else if (char === '"' && field === "") {
      quoted = true;
    } else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else {
      field += char;
    }
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
