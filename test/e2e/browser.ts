import { existsSync, mkdirSync } from "node:fs";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const ARTIFACTS = new URL("../artifacts/", import.meta.url).pathname;

/** Debian's Chromium, headless, with the background networking this machine refuses turned off. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Browser tests need Debian's Chromium at ${CHROMIUM}: apt-get install -y chromium`);
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** Collects console errors and failed requests so a test can assert the page ran cleanly. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(String(error)));
  return errors;
}

/**
 * Accepts a workspace invitation (its link from `invite-email`) as a new member and signs them in,
 * in a browser context of their own; `context` is the caller's to close.
 */
export async function signInInvitedMember(
  browser: Browser,
  base: string,
  invitationUrl: string,
  member: { email: string; name: string; password: string },
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const token = new URL(invitationUrl, base).searchParams.get("token");
  const activated = await fetch(`${base}/console/api/activate`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: base },
    body: JSON.stringify({ token, name: member.name, password: member.password }),
  });
  if (!activated.ok) throw new Error(`activating ${member.email} failed: ${activated.status} ${await activated.text()}`);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${base}/signin`);
  await page.getByTestId("login-email").fill(member.email);
  await page.getByTestId("login-password").fill(member.password);
  await page.getByTestId("login-submit").click();
  return { context, page, errors };
}
