/**
 * Shared fixtures and helpers of the end-to-end suite.
 *
 * `test` is Playwright's `test` with two extra fixtures:
 *
 *   traffic     (automatic, so no test can forget it) records console errors, uncaught page errors and every
 *               request of the test's browser context(s); when the test body has passed it asserts that there
 *               were no errors and that no request left the app's own origin (the platform must not call CDNs,
 *               font hosts, analytics, …).
 *   newContext  opens another browser context (e.g. a second person, or one without JavaScript) with the
 *               configured baseURL, watched by the same `traffic` recorder, and closes it after the test.
 *
 * Import `test` and `expect` from here, not from '@playwright/test'.
 */
import {
  test as base,
  expect,
  type BrowserContext,
  type BrowserContextOptions,
  type Locator,
  type Page,
} from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NodeResult, Result as AxeViolation } from 'axe-core';

export { expect };

/** Loading and instantiating the WASM bundle can be slow on a 2-core machine, more so for a debug build. */
export const HYDRATION_TIMEOUT = 20_000;
/** How long a filtered list may take to settle (server-function round trip plus re-render). */
export const SETTLE_TIMEOUT = 10_000;

// ---------------------------------------------------------------------------------------------
// The server's calendar day. scripts/test starts the server with COOP_TRAVEL_TODAY (a fixed day) and passes the
// same variable here, so every date a test picks is computed from the day the server believes it is, never from
// the machine's clock. Dates are plain YYYY-MM-DD strings with UTC arithmetic, so no time zone can shift a day.
// ---------------------------------------------------------------------------------------------

function serverToday(): string {
  const fixed = process.env.COOP_TRAVEL_TODAY?.trim();
  if (fixed) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(fixed)) throw new Error(`COOP_TRAVEL_TODAY=${fixed} is not a YYYY-MM-DD day`);
    return fixed;
  }
  // A server started without it follows the machine's local day.
  const now = new Date();
  const local = new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()));
  return local.toISOString().slice(0, 10);
}

/** The server's "today". */
export const TODAY = serverToday();

/** `days` after the YYYY-MM-DD `day`. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** `days` after the server's today. */
export function inDays(days: number): string {
  return addDays(TODAY, days);
}

/** The day of the week of a YYYY-MM-DD day: 0 Sunday … 6 Saturday. */
export function weekday(day: string): number {
  return new Date(`${day}T12:00:00Z`).getUTCDay();
}

// ---------------------------------------------------------------------------------------------
// E-mail. The end-to-end server writes its mail as .eml files into OUTBOX_DIR (scripts/test sets it for both).
// ---------------------------------------------------------------------------------------------

/** Decodes a quoted-printable body (soft line breaks and =XX escapes). */
function unQuotedPrintable(text: string): string {
  return text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The path of the newest confirmation link e-mailed to `email` (waits for the sender, up to 20 s). */
export async function confirmationLink(email: string): Promise<string> {
  return mailedLink(email, '/verify');
}

/**
 * The newest link to `route` (`/verify`, `/reset`, `/email/confirm`) in the mail sent to `to`, with its token, as
 * the path it opens (waits for the sender, up to 20 s).
 */
export async function mailedLink(to: string, route: string): Promise<string> {
  const dir = process.env.OUTBOX_DIR;
  if (!dir) throw new Error('set OUTBOX_DIR to the e2e server outbox folder (scripts/test does)');
  const pattern = new RegExp(`${route.replace(/\//g, '\\/')}\\?token=[A-Za-z0-9_-]+`);
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const names = fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.eml')) : [];
    const found = names
      .map((name) => ({ name, at: fs.statSync(path.join(dir, name)).mtimeMs }))
      .sort((a, b) => b.at - a.at)
      .map(({ name }) => unQuotedPrintable(fs.readFileSync(path.join(dir, name), 'utf8')))
      .find((text) => addressedTo(text, to) && pattern.test(text));
    const link = found?.match(pattern)?.[0];
    if (link) return link;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no ${route} link for ${to} in ${dir}`);
}

/** Whether the message's `To:` header names `address`. */
function addressedTo(message: string, address: string): boolean {
  const unfolded = message.replace(/\r?\n[ \t]+/g, ' ');
  const to = unfolded.split(/\r?\n/).find((line) => /^to:/i.test(line)) ?? '';
  return to.toLowerCase().includes(address.toLowerCase());
}

// ---------------------------------------------------------------------------------------------
// Watching a context's console, page errors and network traffic.
// ---------------------------------------------------------------------------------------------

export interface SeenRequest {
  method: string;
  url: string;
}

export interface Traffic {
  readonly consoleErrors: string[];
  readonly pageErrors: string[];
  readonly requests: SeenRequest[];
}

/** Records `context`'s console errors, page errors and requests into `traffic` (a new recorder by default). */
export function watchTraffic(
  context: BrowserContext,
  traffic: Traffic = { consoleErrors: [], pageErrors: [], requests: [] },
): Traffic {
  context.on('console', (message) => {
    if (message.type() !== 'error') return;
    const { url, lineNumber } = message.location();
    // A page that answers with its own status on purpose (400 for an address with bad input, such as a search
    // from a past night; 401 log in first, 403, 404 not found) is not an error of the page; a script, style
    // sheet, asset or server function that fails still is.
    const path = url ? new URL(url).pathname : '';
    if (
      /Failed to load resource: the server responded with a status of 40[0134]/.test(message.text()) &&
      !/^\/(api|pkg|geo|ical)\//.test(path)
    ) {
      return;
    }
    traffic.consoleErrors.push(url ? `${message.text()} (at ${url}:${lineNumber})` : message.text());
  });
  // 'weberror' is the context-wide form of each page's 'pageerror' event.
  context.on('weberror', (webError) => {
    const error = webError.error();
    traffic.pageErrors.push(error.stack ?? `${error.name}: ${error.message}`);
  });
  context.on('request', (request) => {
    traffic.requests.push({ method: request.method(), url: request.url() });
  });
  return traffic;
}

/** Requests whose origin is not `origin`. `data:` and `blob:` URLs never reach the network, so they are not counted. */
export function foreignRequests(requests: readonly SeenRequest[], origin: string): string[] {
  return requests
    .filter(({ url }) => {
      const parsed = new URL(url);
      if (parsed.protocol === 'data:' || parsed.protocol === 'blob:') return false;
      return parsed.origin !== origin;
    })
    .map(({ method, url }) => `${method} ${url}`);
}

/** A request to a server function (`/api/…`). */
export function isApiRequest({ url }: SeenRequest): boolean {
  return new URL(url).pathname.startsWith('/api/');
}

export type NewContext = (options?: BrowserContextOptions) => Promise<BrowserContext>;

export const test = base.extend<{ traffic: Traffic; newContext: NewContext }>({
  traffic: [
    async ({ context, baseURL }, use, testInfo) => {
      if (!baseURL) throw new Error('baseURL is not configured (see playwright.config.ts)');
      const traffic = watchTraffic(context);
      await use(traffic);

      const problems = {
        consoleErrors: traffic.consoleErrors,
        pageErrors: traffic.pageErrors,
        foreignRequests: foreignRequests(traffic.requests, new URL(baseURL).origin),
      };
      if (testInfo.status !== testInfo.expectedStatus) {
        // The test already failed: keep its own error first and attach what was seen, as a clue.
        await testInfo.attach('traffic-problems', {
          body: JSON.stringify(problems, null, 2),
          contentType: 'text/plain',
        });
        return;
      }
      expect(problems, 'the page must log no errors and request nothing from another origin').toEqual({
        consoleErrors: [],
        pageErrors: [],
        foreignRequests: [],
      });
    },
    { auto: true },
  ],

  // Depends on `traffic`, so its contexts are closed before `traffic` checks what they did.
  newContext: async ({ browser, baseURL, traffic }, use) => {
    const opened: BrowserContext[] = [];
    await use(async (options = {}) => {
      const context = await browser.newContext({ baseURL, ...options });
      watchTraffic(context, traffic);
      opened.push(context);
      return context;
    });
    for (const context of opened) await context.close();
  },
});

// ---------------------------------------------------------------------------------------------
// Page helpers.
// ---------------------------------------------------------------------------------------------

/** Waits for the client's `data-hydrated="true"` marker on <body> (set by an effect once the WASM has hydrated). */
export async function waitForHydration(page: Page): Promise<void> {
  await expect(page.locator('body'), 'the WASM client should hydrate the page').toHaveAttribute(
    'data-hydrated',
    'true',
    { timeout: HYDRATION_TIMEOUT },
  );
}

export function formatViolations(violations: readonly AxeViolation[]): string {
  const target = (node: NodeResult): string =>
    node.target.map((selector) => (Array.isArray(selector) ? selector.join(' >>> ') : selector)).join(' | ');
  return violations
    .map(
      (v) =>
        `${v.id} [${v.impact ?? 'unknown'}] ${v.help} (${v.helpUrl})\n` +
        v.nodes.map((node) => `    ${target(node)}`).join('\n'),
    )
    .join('\n');
}

/** Runs axe on the page as it is now and expects no violation of impact serious or critical. */
export async function expectNoSeriousViolations(page: Page, what = page.url()): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    serious.map((v) => v.id),
    `serious or critical axe violations on ${what}:\n${formatViolations(serious)}`,
  ).toEqual([]);
}

// ---------------------------------------------------------------------------------------------
// Demo accounts and forms.
// ---------------------------------------------------------------------------------------------

/** Every demo account's password (README). */
export const DEMO_PASSWORD = 'coop-travel-demo';
/** How long a form post and the page it comes back to may take. */
export const ACTION_TIMEOUT = 10_000;

/** Opens `path`, which must answer 200, and waits for the islands. */
export async function open(page: Page, path: string): Promise<void> {
  const response = await page.goto(path);
  expect(response?.status(), `GET ${path} should answer 200`).toBe(200);
  await waitForHydration(page);
}

/** Sends `form` and waits until `done` shows, with no form error on the page. */
export async function submit(page: Page, form: Locator, done: Locator): Promise<void> {
  await form.locator('button[type="submit"]').click();
  await expect(async () => {
    expect(await page.locator('.form-error').allInnerTexts(), 'the form should be accepted').toEqual([]);
    await expect(done).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: ACTION_TIMEOUT });
  await waitForHydration(page);
}

/** A page of `context` logged in as the demo account `email`. */
export async function loggedInPage(context: BrowserContext, email: string): Promise<Page> {
  const page = await context.newPage();
  await open(page, '/login');
  await page.locator('form#login-form #email').fill(email);
  await page.locator('form#login-form #password').fill(DEMO_PASSWORD);
  await page.locator('form#login-form button[type="submit"]').click();
  await expect(page).toHaveURL(/\/account$/, { timeout: ACTION_TIMEOUT });
  await waitForHydration(page);
  return page;
}
