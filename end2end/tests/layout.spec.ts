/**
 * Every page on a phone (issue #10): at 360 px wide nothing is wider than the screen, logged out and as each role;
 * the header's menu folds; and the page assets are served as a CDN would (hashed names, precompressed, cached for
 * a year), so a repeat visit downloads none of them again.
 */
import type { Page } from '@playwright/test';
import { expect, test, waitForHydration } from './fixtures';

const DEMO_PASSWORD = 'coop-travel-demo';
const PHONE = { width: 360, height: 740 };

async function logIn(page: Page, email: string): Promise<void> {
  await page.goto('/login');
  await page.locator('#login-form #email').fill(email);
  await page.locator('#login-form #password').fill(DEMO_PASSWORD);
  await Promise.all([page.waitForURL((url) => url.pathname === '/account'), page.locator('#login-form button[type="submit"]').click()]);
}

/** The first offer of Telar Sur (the demo host's co-op), from the public directory. */
async function firstOffer(page: Page): Promise<string> {
  await page.goto('/?country=AR');
  const href = await page.locator('.coop-card[data-slug="telar-sur"] a.offer-title').first().getAttribute('href');
  expect(href).toMatch(/^\/offers\/\d+$/);
  return href!;
}

/** How far the page reaches past the screen's right edge, and the widest element that does. */
async function overflow(page: Page): Promise<{ width: number; culprit: string }> {
  return page.evaluate(() => {
    const width = document.documentElement.scrollWidth;
    let culprit = '';
    let widest = window.innerWidth;
    for (const element of Array.from(document.querySelectorAll('body *'))) {
      // Folded content (the closed menu) is laid out but not shown.
      if (!element.checkVisibility({ contentVisibilityAuto: true, visibilityProperty: true })) continue;
      const right = element.getBoundingClientRect().right;
      if (right > widest + 1) {
        widest = right;
        culprit = `${element.tagName.toLowerCase()}${element.id ? '#' + element.id : ''}.${element.className}`;
      }
    }
    return { width, culprit };
  });
}

async function expectFits(page: Page, path: string): Promise<void> {
  const response = await page.goto(path);
  expect(response?.status(), `GET ${path}`).toBeLessThan(500);
  const { width, culprit } = await overflow(page);
  expect(width, `${path} is ${width} px wide at ${PHONE.width} px (widest: ${culprit})`).toBeLessThanOrEqual(PHONE.width);
}

test.use({ viewport: PHONE });

test('logged out, every public page fits a 360 px screen', async ({ page }) => {
  const offer = await firstOffer(page);
  for (const path of [
    '/',
    '/?country=AR',
    '/search',
    '/search?place=Rosario&check_in=2027-04-10&check_out=2027-04-12',
    '/networks',
    '/networks/patio',
    '/coops/telar-sur',
    offer,
    '/login',
    '/signup',
    '/forgot',
    '/forgot/sent',
    '/reset?token=x',
    '/email/confirm?token=x',
    '/account',
    '/letters/aaaaaaaaaaaaaaaaaaaa',
    '/no-such-page',
  ]) {
    await expectFits(page, path);
  }
});

for (const [who, email, paths] of [
  [
    'a traveller',
    'traveller@demo.coop',
    [
      '/stays',
      '/trips',
      '/notifications',
      '/account',
      '/account/blocks',
      '/people/1',
      '/coops/telar-sur',
      '/coops/algarrobo-lab',
      '/report?kind=coop&target=telar-sur',
    ],
  ],
  [
    'a host',
    'host@demo.coop',
    ['/inbox', '/coops/telar-sur/offers', '/coops/telar-sur/edit', '/coops/telar-sur/members', '/notifications'],
  ],
  [
    'a coordinator',
    'coordinator@demo.coop',
    ['/approvals', '/networks/patio', '/networks', '/networks/facttic/dashboard', '/networks/patio/dashboard', '/moderation'],
  ],
  ['the admin', 'admin@demo.coop', ['/account', '/approvals', '/networks', '/moderation', '/admin/audit']],
] as const) {
  test(`as ${who}, every page of theirs fits a 360 px screen`, async ({ page }) => {
    await logIn(page, email);
    for (const path of paths) await expectFits(page, path);
    if (email === 'host@demo.coop') {
      const offer = await firstOffer(page);
      for (const path of [offer, `${offer}/edit`, `${offer}/calendar`]) await expectFits(page, path);
    }
    if (email === 'traveller@demo.coop') {
      await page.goto('/stays');
      const stay = await page.locator('#my-stays li.stay-line a').first().getAttribute('href');
      // And a confirmed one, with its invitation letters' section.
      const confirmed = page.locator('#my-stays li.stay-line').filter({ has: page.locator('[data-status="confirmed"]') });
      const letters = await confirmed.locator('a').first().getAttribute('href');
      await expectFits(page, stay!);
      await expectFits(page, letters!);
    }
  });
}

test('on a phone the menu folds behind one button and opens without script', async ({ browser }) => {
  const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
  const page = await context.newPage();
  await logIn(page, 'host@demo.coop');
  const summary = page.locator('header details.site-menu > summary');
  await expect(summary).toBeVisible();
  await expect(page.locator('header nav a[href="/inbox"]'), 'folded').toBeHidden();
  await summary.click();
  await expect(page.locator('header nav a[href="/inbox"]'), 'the host sees the inbox').toBeVisible();
  await expect(page.locator('header nav a[href="/approvals"]'), 'a host who coordinates nothing: no approvals').toHaveCount(0);
  await context.close();
});

test('page assets have hashed names, come precompressed and are cached for a year', async ({ page, request }) => {
  const assets: string[] = [];
  page.on('response', (response) => {
    if (new URL(response.url()).pathname.startsWith('/pkg/')) assets.push(response.url());
  });
  await page.goto('/search');
  await waitForHydration(page);
  expect(assets.some((url) => url.endsWith('.wasm')), 'the islands load').toBe(true);
  for (const url of assets) {
    expect(new URL(url).pathname, 'a content hash in the name').toMatch(/^\/pkg\/[\w-]+\.[A-Za-z0-9_-]{20,}\.(js|wasm|css|json)$/);
    const response = await request.get(url, { headers: { 'Accept-Encoding': 'br, gzip' } });
    expect(response.status()).toBe(200);
    expect(response.headers()['cache-control'], url).toBe('public, max-age=31536000, immutable');
    expect(response.headers()['content-encoding'], `${url} is sent as built`).toBe('br');
  }

  // A second visit: every asset comes from the browser's cache, no byte of them is downloaded again.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const urls = new Map<string, string>();
  const downloaded: string[] = [];
  cdp.on('Network.requestWillBeSent', (event) => urls.set(event.requestId, event.request.url));
  cdp.on('Network.loadingFinished', (event) => {
    const url = urls.get(event.requestId) ?? '';
    if (url.includes('/pkg/') && event.encodedDataLength > 0) downloaded.push(`${url} (${event.encodedDataLength} B)`);
  });
  await page.goto('/');
  await waitForHydration(page);
  expect(downloaded, 'assets downloaded again on a repeat visit').toEqual([]);
});
