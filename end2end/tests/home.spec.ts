/**
 * Home page (`/`) end-to-end tests, written against the HTML contract:
 *
 *   <html lang="en|es|pt">            language from cookie or Accept-Language
 *   <body data-hydrated="true">       set by a client effect once the WASM has hydrated
 *   <header><nav>…  <main id="main"> (one <h1>)  <footer>
 *   <form class="lang-switcher" method="post" action="/locale"> <button name="locale" value="en|es|pt">
 *   <form id="coop-filter" method="get" action="/"> <select id="country" name="country"> <button id="filter-submit">
 *   <ul id="coop-list"> <li class="coop-card" data-country="AR" data-slug="…"> <h3> <ul class="offer-list">
 *                       <li class="offer" data-kind="room|bed|couch|desk|visit">
 *   <p id="coop-count">
 *
 * Every test runs in a fresh browser context. The `traffic` fixture (automatic, so no test can
 * forget it) records console errors, uncaught page errors and every request of that context, and
 * when the test body has passed it asserts that there were no errors and that no request left the
 * app's own origin (the platform must not call CDNs, font hosts, analytics, …).
 */
import { test as base, expect, type BrowserContext, type Locator, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import type { NodeResult, Result as AxeViolation } from 'axe-core';

declare global {
  interface Window {
    /** Marker set by a test; it survives client-side navigation but not a full page load. */
    __noReload?: number;
  }
}

const OFFER_KINDS = ['room', 'bed', 'couch', 'desk', 'visit'] as const;
const MIN_COOPS = 12;
const MIN_COUNTRIES = 5;
const MIN_AR_COOPS = 4;
/** Loading and instantiating the WASM bundle can be slow on a 2-core machine, more so for a debug build. */
const HYDRATION_TIMEOUT = 20_000;
/** How long a filtered list may take to settle (server-function round trip plus re-render). */
const SETTLE_TIMEOUT = 10_000;

// ---------------------------------------------------------------------------------------------
// Shared helper: watch a context's console, page errors and network traffic.
// ---------------------------------------------------------------------------------------------

interface SeenRequest {
  method: string;
  url: string;
}

interface Traffic {
  readonly consoleErrors: string[];
  readonly pageErrors: string[];
  readonly requests: SeenRequest[];
}

function watchTraffic(context: BrowserContext): Traffic {
  const traffic: Traffic = { consoleErrors: [], pageErrors: [], requests: [] };
  context.on('console', (message) => {
    if (message.type() !== 'error') return;
    const { url, lineNumber } = message.location();
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
function foreignRequests(requests: readonly SeenRequest[], origin: string): string[] {
  return requests
    .filter(({ url }) => {
      const parsed = new URL(url);
      if (parsed.protocol === 'data:' || parsed.protocol === 'blob:') return false;
      return parsed.origin !== origin;
    })
    .map(({ method, url }) => `${method} ${url}`);
}

const test = base.extend<{ traffic: Traffic }>({
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
});

// ---------------------------------------------------------------------------------------------
// Page helpers.
// ---------------------------------------------------------------------------------------------

interface CardSummary {
  country: string;
  slug: string;
  name: string;
  offerKinds: string[];
}

const cards = (page: Page): Locator => page.locator('#coop-list .coop-card');
const heading = (page: Page): Locator => page.locator('main#main h1');
const switcherButton = (page: Page, locale: 'en' | 'es' | 'pt'): Locator =>
  page.locator(`form.lang-switcher button[type="submit"][name="locale"][value="${locale}"]`);

async function openHome(page: Page): Promise<void> {
  const response = await page.goto('/');
  expect(response?.status(), 'GET / should answer 200').toBe(200);
}

async function waitForHydration(page: Page): Promise<void> {
  await expect(page.locator('body'), 'the WASM client should hydrate the page').toHaveAttribute(
    'data-hydrated',
    'true',
    { timeout: HYDRATION_TIMEOUT },
  );
}

async function summariseCards(page: Page): Promise<CardSummary[]> {
  return cards(page).evaluateAll((elements) =>
    elements.map((card) => ({
      country: card.getAttribute('data-country') ?? '',
      slug: card.getAttribute('data-slug') ?? '',
      name: card.querySelector('h3')?.textContent?.trim() ?? '',
      offerKinds: Array.from(card.querySelectorAll('.offer-list .offer'), (offer) => offer.getAttribute('data-kind') ?? ''),
    })),
  );
}

async function cardCountries(page: Page): Promise<string[]> {
  return cards(page).evaluateAll((elements) => elements.map((card) => card.getAttribute('data-country') ?? ''));
}

/** Waits until the list shows at least `min` cards, all from `country`. */
async function expectOnlyCountry(page: Page, country: string, min: number): Promise<void> {
  await expect(async () => {
    const countries = await cardCountries(page);
    expect(countries.length, `at least ${min} co-ops in ${country}`).toBeGreaterThanOrEqual(min);
    expect(
      countries.filter((c) => c !== country),
      `cards from countries other than ${country}`,
    ).toEqual([]);
  }).toPass({ timeout: SETTLE_TIMEOUT });
}

/** Waits until the unfiltered list is back: at least MIN_COOPS cards from at least MIN_COUNTRIES countries. */
async function expectAllCountries(page: Page): Promise<void> {
  await expect(async () => {
    const countries = await cardCountries(page);
    expect(countries.length, `at least ${MIN_COOPS} co-ops`).toBeGreaterThanOrEqual(MIN_COOPS);
    expect(new Set(countries).size, `at least ${MIN_COUNTRIES} countries`).toBeGreaterThanOrEqual(MIN_COUNTRIES);
  }).toPass({ timeout: SETTLE_TIMEOUT });
}

/** `#coop-count` shows the number of cards listed (as a whole number somewhere in its text). */
async function expectCountShown(page: Page): Promise<void> {
  const shown = await cards(page).count();
  await expect(page.locator('#coop-count'), `#coop-count should show ${shown}`).toHaveText(
    new RegExp(`(^|\\D)${shown}(\\D|$)`),
  );
}

function isApiRequest({ url }: SeenRequest): boolean {
  return new URL(url).pathname.startsWith('/api/');
}

function formatViolations(violations: readonly AxeViolation[]): string {
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

// ---------------------------------------------------------------------------------------------
// Tests.
// ---------------------------------------------------------------------------------------------

test('the demo co-ops render from the database', async ({ page }) => {
  await openHome(page);
  await expect
    .poll(() => cards(page).count(), { message: `at least ${MIN_COOPS} co-op cards` })
    .toBeGreaterThanOrEqual(MIN_COOPS);

  const coops = await summariseCards(page);

  const countries = coops.map((c) => c.country);
  expect(
    countries.filter((c) => !/^[A-Z]{2}$/.test(c)),
    'data-country must be an ISO 3166-1 alpha-2 code',
  ).toEqual([]);
  expect(new Set(countries).size, `co-ops in at least ${MIN_COUNTRIES} countries`).toBeGreaterThanOrEqual(
    MIN_COUNTRIES,
  );
  expect(
    countries.filter((c) => c === 'AR').length,
    `at least ${MIN_AR_COOPS} co-ops in Argentina`,
  ).toBeGreaterThanOrEqual(MIN_AR_COOPS);

  const slugs = coops.map((c) => c.slug);
  expect(slugs.filter((s) => s === ''), 'every card has a data-slug').toEqual([]);
  expect(new Set(slugs).size, 'data-slug values are unique').toBe(slugs.length);
  expect(
    coops.filter((c) => c.name === '').map((c) => c.slug),
    'cards whose <h3> name is empty',
  ).toEqual([]);

  const kinds = coops.flatMap((c) => c.offerKinds);
  expect(kinds.length, 'at least one offer overall').toBeGreaterThanOrEqual(1);
  expect(
    kinds.filter((k) => !(OFFER_KINDS as readonly string[]).includes(k)),
    `offers must have data-kind in ${OFFER_KINDS.join('|')}`,
  ).toEqual([]);
  expect([...new Set(kinds)], 'each offer kind appears at least once').toEqual(
    expect.arrayContaining([...OFFER_KINDS]),
  );

  // The filter offers "all countries" first, then ISO codes, including every country listed.
  const options = await page.locator('#coop-filter select#country option').evaluateAll((elements) =>
    elements.map((option) => (option as HTMLOptionElement).value),
  );
  expect(options[0], 'the first option is "all countries" (value "")').toBe('');
  expect(
    options.slice(1).filter((o) => !/^[A-Z]{2}$/.test(o)),
    'country options must be ISO 3166-1 alpha-2 codes',
  ).toEqual([]);
  expect(options, 'every listed country can be selected').toEqual(expect.arrayContaining([...new Set(countries)]));
  await expect(page.locator('#coop-filter label[for="country"]')).toHaveCount(1);

  await expectCountShown(page);
});

test('hydration makes the country filter work without a reload', async ({ page, traffic }) => {
  await openHome(page);
  await waitForHydration(page);
  await page.evaluate(() => {
    window.__noReload = 42;
  });

  const requestsBefore = traffic.requests.length;
  await page.locator('#country').selectOption('AR');
  await expect(page).toHaveURL((url) => url.pathname === '/' && url.searchParams.get('country') === 'AR');
  await expectOnlyCountry(page, 'AR', MIN_AR_COOPS);
  await expectCountShown(page);

  expect(await page.evaluate(() => window.__noReload), 'selecting a country must not reload the page').toBe(42);
  expect(
    traffic.requests.slice(requestsBefore).filter(isApiRequest),
    'the filtered list should come from a server-function call (/api/…)',
  ).not.toEqual([]);

  await page.locator('#country').selectOption('');
  await expect(page).toHaveURL((url) => url.pathname === '/' && !url.searchParams.get('country'));
  await expectAllCountries(page);
  await expectCountShown(page);
  expect(await page.evaluate(() => window.__noReload), 'clearing the filter must not reload the page').toBe(42);
});

test.describe(() => {
  test.use({ javaScriptEnabled: false });

  test('without JavaScript the filter is a plain form', async ({ page }) => {
    await openHome(page);
    await page.locator('#country').selectOption('AR');
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('country') === 'AR'),
      page.locator('#filter-submit').click(),
    ]);
    await expect(page).toHaveURL((url) => url.pathname === '/' && url.searchParams.get('country') === 'AR');
    await expectOnlyCountry(page, 'AR', MIN_AR_COOPS);
    await expectCountShown(page);
    await expect(page.locator('#country'), 'the server-rendered select shows the active filter').toHaveValue('AR');
    await expect(page.locator('body')).not.toHaveAttribute('data-hydrated');
  });
});

test.describe("the page speaks the visitor's language", () => {
  test.describe(() => {
    test.use({ locale: 'es-AR', extraHTTPHeaders: { 'Accept-Language': 'es-AR,es;q=0.9' } });

    test('with JavaScript: Spanish from Accept-Language, then English in place', async ({ page }) => {
      const html = page.locator('html');
      await openHome(page);
      await expect(html).toHaveAttribute('lang', 'es');
      await waitForHydration(page);

      const spanishHeading = (await heading(page).innerText()).trim();
      expect(spanishHeading, 'the Spanish <h1> has text').not.toBe('');
      await page.evaluate(() => {
        window.__noReload = 42;
      });

      await switcherButton(page, 'en').click();
      await expect(html).toHaveAttribute('lang', 'en');
      await expect(heading(page)).toHaveText(/\S/);
      await expect(heading(page), 'the <h1> should be translated').not.toHaveText(spanishHeading);
      expect(await page.evaluate(() => window.__noReload), 'switching language must not reload the page').toBe(42);
    });
  });

  test.describe(() => {
    test.use({
      javaScriptEnabled: false,
      locale: 'pt-BR',
      extraHTTPHeaders: { 'Accept-Language': 'pt-BR' },
    });

    test('without JavaScript: Portuguese from Accept-Language, then Spanish after the redirect', async ({
      page,
    }) => {
      const html = page.locator('html');
      await openHome(page);
      await expect(html).toHaveAttribute('lang', 'pt');
      const portugueseHeading = (await heading(page).innerText()).trim();
      expect(portugueseHeading, 'the Portuguese <h1> has text').not.toBe('');

      await Promise.all([
        page.waitForRequest((request) => request.method() === 'POST' && new URL(request.url()).pathname === '/locale'),
        page.waitForEvent('load'),
        switcherButton(page, 'es').click(),
      ]);
      await expect(html).toHaveAttribute('lang', 'es');
      await expect(page, 'the server redirects back to the home page').toHaveURL((url) => url.pathname === '/');
      await expect(heading(page)).toHaveText(/\S/);
      await expect(heading(page), 'the <h1> should be translated').not.toHaveText(portugueseHeading);
    });
  });
});

test('no serious accessibility violations', async ({ page }) => {
  await openHome(page);
  await waitForHydration(page);

  // Landmarks from the contract.
  await expect(page.locator('header nav').first(), '<header> contains a <nav>').toBeAttached();
  await expect(page.locator('main#main'), 'one <main id="main">').toHaveCount(1);
  await expect(heading(page), 'exactly one <h1> in <main>').toHaveCount(1);
  await expect(page.locator('footer').first(), 'a <footer>').toBeAttached();

  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => v.id), `serious or critical axe violations:\n${formatViolations(serious)}`).toEqual([]);
});
