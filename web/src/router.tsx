import { signal } from "@preact/signals";
import type { ComponentChildren } from "preact";

export { matchPath } from "./match-path";

/** The current location; every page re-renders from this one signal. */
export const location$ = signal({ pathname: window.location.pathname, search: window.location.search });

window.addEventListener("popstate", () => {
  location$.value = { pathname: window.location.pathname, search: window.location.search };
});

/**
 * Moves to another page without reloading.
 * @example navigate("/apps"); navigate("/signin", { replace: true });
 */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = new URL(to, window.location.origin);
  const current = window.location.pathname + window.location.search;
  if (url.pathname + url.search !== current) {
    if (options.replace) history.replaceState(null, "", url.pathname + url.search);
    else history.pushState(null, "", url.pathname + url.search);
  }
  location$.value = { pathname: url.pathname, search: url.search };
  window.scrollTo(0, 0);
}

/** Reads one query parameter of the current location. */
export function queryParam(name: string): string | null {
  return new URLSearchParams(location$.value.search).get(name);
}

interface LinkProps {
  href: string;
  class?: string;
  title?: string;
  role?: "link" | "tab";
  "aria-selected"?: boolean;
  onClick?: (event: MouseEvent) => void;
  children?: ComponentChildren;
  [data: `data-${string}`]: string | undefined;
}

/** An anchor that navigates in-app on a plain left click and behaves normally otherwise. */
export function Link({ href, onClick, ...rest }: LinkProps) {
  return (
    <a
      href={href}
      onClick={(event) => {
        onClick?.(event);
        if (event.defaultPrevented || event.button !== 0) return;
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(href);
      }}
      {...rest}
    />
  );
}
