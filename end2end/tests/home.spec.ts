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
 * Every test runs in a fresh browser context, watched by the automatic `traffic` fixture of
 * ./fixtures.ts: no console errors, no page errors, no request to another origin.
 */
import type { Locator, Page } from '@playwright/test';
import {
  expect,
  expectNoSeriousViolations,
  isApiRequest,
  SETTLE_TIMEOUT,
  test,
  waitForHydration,
} from './fixtures';

const OFFER_KINDS = ['room', 'bed', 'couch', 'desk', 'visit'] as const;
const MIN_COOPS = 12;
const MIN_COUNTRIES = 5;
const MIN_AR_COOPS = 4;

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

test('with JavaScript, choosing a country applies the filter at once', async ({ page }) => {
  await openHome(page);
  await waitForHydration(page);

  // The page script sends the filter's form on change: no button press, the server renders the filtered page.
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/' && url.searchParams.get('country') === 'AR'),
    page.locator('#country').selectOption('AR'),
  ]);
  await expectOnlyCountry(page, 'AR', MIN_AR_COOPS);
  await expectCountShown(page);
  await expect(page.locator('#country'), 'the select shows the active filter').toHaveValue('AR');

  await waitForHydration(page);
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/' && !url.searchParams.get('country')),
    page.locator('#country').selectOption(''),
  ]);
  await expectAllCountries(page);
  await expectCountShown(page);
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

    test('with JavaScript: Spanish from Accept-Language, then English after the redirect', async ({ page }) => {
      const html = page.locator('html');
      await openHome(page);
      await expect(html).toHaveAttribute('lang', 'es');
      await waitForHydration(page);

      const spanishHeading = (await heading(page).innerText()).trim();
      expect(spanishHeading, 'the Spanish <h1> has text').not.toBe('');

      await Promise.all([page.waitForEvent('load'), switcherButton(page, 'en').click()]);
      await expect(html).toHaveAttribute('lang', 'en');
      await expect(heading(page)).toHaveText(/\S/);
      await expect(heading(page), 'the <h1> should be translated').not.toHaveText(spanishHeading);
      await expect(switcherButton(page, 'en')).toHaveAttribute('aria-pressed', 'true');
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

  await expectNoSeriousViolations(page, 'the home page');
});
