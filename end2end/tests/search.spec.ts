/**
 * Search by place and dates (issue #6): the offline place list, the map and the results list, in Chromium, with and
 * without JavaScript. Runs against the demo network, seeded for the server's today.
 */
import type { Page } from '@playwright/test';
import { test, expect, waitForHydration, expectNoSeriousViolations, inDays, SETTLE_TIMEOUT } from './fixtures';

const CHECK_IN = inDays(40);
const CHECK_OUT = inDays(42);

/** The offer ids of the results list, in order. */
async function listedOffers(page: Page): Promise<string[]> {
  return page.locator('#search-results .search-hit').evaluateAll((items) =>
    items.map((item) => item.getAttribute('data-offer') ?? ''),
  );
}

/** The offer ids behind the map's pins and clusters, sorted. */
async function pinnedOffers(page: Page): Promise<string[]> {
  const groups = await page
    .locator('.world-map .map-pin, .world-map .map-cluster')
    .evaluateAll((marks) => marks.map((mark) => mark.getAttribute('data-pins') ?? ''));
  return groups.flatMap((group) => group.split(',')).filter(Boolean).sort();
}

async function viewWidth(page: Page): Promise<number> {
  const box = (await page.locator('.map-canvas').getAttribute('viewBox')) ?? '';
  return Number(box.split(' ')[2]);
}

test('a city typed with suggestions, the map and the list agree, and a pin opens the offer', async ({ page }) => {
  await page.goto('/search');
  await waitForHydration(page);

  // Type part of the name without its accent; choose from the offline suggestions with the keyboard.
  const place = page.locator('#place');
  await place.fill('buenos ai');
  const option = page.locator('.place-option', { hasText: 'Buenos Aires' }).first();
  await expect(option).toBeVisible({ timeout: SETTLE_TIMEOUT });
  await expect(place).toHaveAttribute('aria-expanded', 'true');
  await place.press('ArrowDown');
  await place.press('Enter');
  await expect(place).toHaveValue('Buenos Aires, AR');

  await page.locator('#check_in').fill(CHECK_IN);
  await page.locator('#check_out').fill(CHECK_OUT);
  await page.locator('#radius').fill('100');
  await page.locator('#search-form button[type="submit"]').click();

  await expect(page).toHaveURL((url) => url.searchParams.get('place') === 'Buenos Aires, AR' && !!url.searchParams.get('lat'));
  await expect(page.locator('#search-results .search-hit').first()).toBeVisible({ timeout: SETTLE_TIMEOUT });
  const listed = await listedOffers(page);
  expect(listed.length).toBeGreaterThan(1);
  await expect(page.locator('#search-summary')).toContainText('Buenos Aires, AR');
  expect(await pinnedOffers(page), 'every listed offer has a pin, and no pin is extra').toEqual([...listed].sort());
  await expectNoSeriousViolations(page, 'the search results');

  // Place names: the searched city among them, never more than fit, none on top of another.
  const names = page.locator('.world-map .map-place text');
  await expect(names.filter({ hasText: /^Buenos Aires$/ })).toHaveCount(1);
  expect(await names.count()).toBeLessThanOrEqual(14);
  const boxes = await names.evaluateAll((texts) => texts.map((t) => t.getBoundingClientRect().toJSON()));
  for (const [i, a] of boxes.entries()) {
    for (const b of boxes.slice(i + 1)) {
      const apart = a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
      expect(apart, 'labels do not overlap').toBe(true);
    }
  }
  // Readable at this zoom: about 12 pixels high on screen, whatever the map's size.
  expect(boxes[0].height).toBeGreaterThan(9);

  // Zooming with the buttons narrows the view; the pins stay the same offers.
  const before = await viewWidth(page);
  await page.getByRole('button', { name: 'Zoom in', exact: true }).click();
  await expect.poll(() => viewWidth(page)).toBeLessThan(before);
  expect(await pinnedOffers(page)).toEqual([...listed].sort());

  // Opening a cluster (Enter from the keyboard, or a click) zooms in on its pins; offers at the very same point (a
  // co-op's offers share its one public point) never stand apart, so at the closest zoom they are listed as links
  // under the map. Either way one ends with a link to an offer.
  // Seen from the whole world, offers tens of kilometres apart are one cluster.
  await page.getByRole('button', { name: 'Whole world' }).click();
  const clusters = page.locator('.world-map .map-cluster');
  await expect(clusters.first(), 'the whole world clusters the offers of one region').toBeAttached();
  await expect(page.locator('.world-map .map-pin'), 'no lone pin from that far').toHaveCount(0);
  const together = page.locator('.map-cluster-list li a');
  const lonePin = page.locator('.world-map .map-pin a');
  for (let i = 0; i < 12 && (await together.count()) === 0 && (await lonePin.count()) === 0; i++) {
    const width = await viewWidth(page);
    const cluster = clusters.first().locator('a');
    if ((await cluster.count()) === 0) break;
    if (i === 0) {
      await cluster.focus();
      await page.keyboard.press('Enter');
    } else {
      await cluster.dispatchEvent('click');
    }
    await expect
      .poll(async () => (await together.count()) > 0 || (await viewWidth(page)) < width, { message: 'a cluster opens' })
      .toBe(true);
  }
  const pin = (await together.count()) > 0 ? together.first() : lonePin.first();
  await expect(pin).toBeAttached();
  const href = await pin.getAttribute('href');
  expect(href).toMatch(/^\/offers\/\d+$/);
  await pin.dispatchEvent('click');
  await expect(page).toHaveURL((url) => url.pathname === href);
  await expect(page.locator('h1')).toHaveText(/\S/);
});

test('clicking the map searches around that point', async ({ page }) => {
  await page.goto(`/search?place=Rosario&check_in=${CHECK_IN}&check_out=${CHECK_OUT}`);
  await waitForHydration(page);
  await expect(page.locator('#search-summary')).toContainText('Rosario, AR');
  const map = page.locator('.map-canvas');
  const box = await map.boundingBox();
  expect(box).not.toBeNull();
  // An empty spot: the top-left corner of the fitted view.
  await map.click({ position: { x: 8, y: 8 } });
  await expect(page).toHaveURL((url) => !!url.searchParams.get('lat') && url.searchParams.get('place')?.includes(',') === true);
  await expect(page.locator('#search-summary')).toBeVisible({ timeout: SETTLE_TIMEOUT });
  expect(new URL(page.url()).searchParams.get('check_in'), 'the dates are kept').toBe(CHECK_IN);
});

test.describe(() => {
  test.use({ javaScriptEnabled: false });

  test('without JavaScript a typed name is looked up on the server and the map is drawn', async ({ page }) => {
    await page.goto('/search');
    await page.locator('#place').fill('cordoba');
    await page.locator('#check_in').fill(CHECK_IN);
    await page.locator('#check_out').fill(CHECK_OUT);
    await page.locator('#search-form button[type="submit"]').click();
    await expect(page.locator('#search-summary')).toContainText('Córdoba, AR');
    // The other Córdoba is one click away.
    await expect(page.locator('a.other-place', { hasText: 'Córdoba, ES' })).toBeVisible();
    const listed = await listedOffers(page);
    expect(listed.length).toBeGreaterThan(0);
    expect(await pinnedOffers(page)).toEqual([...listed].sort());
    // The outlines come from our own server.
    await expect(page.locator('.map-canvas use')).toHaveAttribute('href', '/geo/world.svg#land');
    const svg = await page.request.get('/geo/world.svg');
    expect(svg.headers()['content-type']).toBe('image/svg+xml');

    // From the whole world, a cluster is a link to this page closer on its offers, until they stand apart or
    // are listed; the search itself is kept.
    const world = `/search?place=Buenos%20Aires&check_in=${CHECK_IN}&check_out=${CHECK_OUT}&radius=100&map=18000,9000,36000`;
    await page.goto(world);
    await expect(page.locator('.world-map .map-pin')).toHaveCount(0);
    await expect(page.locator('.world-map .map-place text').first()).toBeAttached();
    const together = page.locator('.map-cluster-list li a');
    const lonePin = page.locator('.world-map .map-pin a');
    for (let i = 0; i < 12 && (await together.count()) === 0 && (await lonePin.count()) === 0; i++) {
      const width = await viewWidth(page);
      await page.locator('.world-map .map-cluster a').first().click();
      await expect(page).toHaveURL((url) => url.searchParams.get('map') !== null && url.searchParams.get('check_in') === CHECK_IN);
      expect((await viewWidth(page)) < width || (await together.count()) > 0, 'the cluster opened').toBe(true);
    }
    const pin = (await together.count()) > 0 ? together.first() : lonePin.first();
    await expect(pin).toHaveAttribute('href', /^\/offers\/\d+$/);

    await page.goto(`/search?place=Qqqzzzville&check_in=${CHECK_IN}&check_out=${CHECK_OUT}`);
    await expect(page.locator('#unknown-place')).toContainText('Qqqzzzville');
  });
});
