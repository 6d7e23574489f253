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
 * Waits for `locator` like `locator.waitFor()`, but a timeout says what the page showed instead and
 * what it logged, so a failure far from the machine it happened on can still be read.
 */
export async function waitForOrExplain(page: Page, locator: ReturnType<Page["locator"]>, errors: string[], timeout = 30_000): Promise<void> {
  try {
    await locator.waitFor({ timeout });
  } catch (error) {
    const shown = await page.evaluate(() => document.body?.innerText.slice(0, 800) ?? "").catch(() => "(the page could not be read)");
    throw new Error(`${(error as Error).message.split("\n")[0]}\npage ${page.url()} showed: ${JSON.stringify(shown)}\nits errors: ${errors.join(" | ") || "none"}`, { cause: error });
  }
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

/** The workspace owner the browser suites share: whichever suite runs first sets the platform up with it. */
export const OWNER = { email: "owner@example.com", name: "Olive Owner", password: "first-pass-1", workspace_name: "Acme Labs" };

/** Sets the platform up with `OWNER` if nobody has yet, then signs the owner in on a new page. */
export async function signInOwner(browser: Browser, base: string, viewport = { width: 1280, height: 900 }): Promise<{ page: Page; errors: string[] }> {
  const status = await (await fetch(`${base}/console/api/setup`)).json();
  if (status.step === "not_started") {
    const response = await fetch(`${base}/console/api/setup`, { method: "POST", headers: { "Content-Type": "application/json", Origin: base }, body: JSON.stringify(OWNER) });
    if (!response.ok) throw new Error(`setup failed: ${response.status} ${await response.text()}`);
  }
  const page = await browser.newPage({ viewport });
  const errors = watchErrors(page);
  await page.goto(`${base}/signin`);
  await page.getByTestId("login-email").fill(OWNER.email);
  await page.getByTestId("login-password").fill(OWNER.password);
  await page.getByTestId("login-submit").click();
  await page.getByTestId("create-app").first().waitFor();
  return { page, errors };
}

/** A console API call from a signed-in page (its session cookie rides along); throws on an error status. */
export function consoleCaller(page: Page) {
  return (method: string, path: string, body?: unknown) =>
    page.evaluate(
      async ({ method, path, body }) => {
        const response = await fetch(`/console/api${path}`, { method, credentials: "same-origin", headers: body === undefined ? {} : { "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
        const text = await response.text();
        if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
        return text ? JSON.parse(text) : null;
      },
      { method, path, body },
    );
}
