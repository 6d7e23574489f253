/**
 * Matches a pattern such as `/app/:id/:tab?` against a path.
 * @example matchPath("/app/:id", "/app/42") // → { id: "42" }
 */
export function matchPath(pattern: string, pathname: string): Record<string, string> | null {
  const wanted = pattern.split("/").filter(Boolean);
  const actual = pathname.replace(/\/+$/, "").split("/").filter(Boolean);
  const params: Record<string, string> = {};
  for (let i = 0; i < wanted.length; i++) {
    const part = wanted[i];
    const value = actual[i];
    if (part.startsWith(":")) {
      const optional = part.endsWith("?");
      const name = part.slice(1, optional ? -1 : undefined);
      if (value === undefined) {
        if (optional) continue;
        return null;
      }
      try {
        params[name] = decodeURIComponent(value);
      } catch {
        return null; // a malformed escape such as "%E0" matches nothing rather than throwing
      }
    } else if (part !== value) {
      return null;
    }
  }
  return actual.length <= wanted.length ? params : null;
}
