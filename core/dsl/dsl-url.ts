/**
 * Where to fetch a DSL shared as a URL. A GitHub page of a `.yml` / `.yaml` file (`/blob/`)
 * becomes its raw file, as Dify does; any other URL is used as given (trimmed).
 *
 * @example
 * dslDownloadUrl("https://github.com/o/r/blob/main/app.yml") // "https://raw.githubusercontent.com/o/r/main/app.yml"
 */
export function dslDownloadUrl(url: string): string {
  const trimmed = url.trim();
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return trimmed;
  }
  if (parsed.protocol === "https:" && parsed.host === "github.com" && /\.ya?ml$/.test(parsed.pathname) && parsed.pathname.includes("/blob/")) {
    return `https://raw.githubusercontent.com${parsed.pathname.replace("/blob/", "/")}${parsed.search}`;
  }
  return trimmed;
}
