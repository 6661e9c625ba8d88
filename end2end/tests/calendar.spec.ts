/**
 * A host runs an offer's availability from the calendar editor, in real Chromium:
 *
 *   /coops/<slug>/offers     <form id="offer-form"> #offer-kind #offer-title #offer-capacity … → /offers/<id>/calendar
 *   /offers/<id>/calendar    <div id="calendar-grid"> <li class="day open|full|blocked|imported|past"
 *                              data-night="YYYY-MM-DD" data-capacity data-reserved><button>
 *                            <form id="calendar-form"> #from #to days[..] op=open|block #capacity
 *                            <form id="open-90">, <form id="block-weekends">, <form id="import-form"> #ics,
 *                            <form id="feed-form"> → <input id="feed-url" value="http://…/ical/offers/<token>.ics">
 */
import type { Page } from '@playwright/test';
import { expect, inDays as isoDay, test, waitForHydration, weekday } from './fixtures';

const HOST = 'host@demo.coop';
const DEMO_PASSWORD = 'coop-travel-demo';

/** A feed's events as half-open ranges of nights, with their summaries. */
function feedEvents(body: string): { start: string; end: string; summary: string }[] {
  const unfolded = body.replace(/\r\n[ \t]/g, '');
  const iso = (d: string) => `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
  return [...unfolded.matchAll(/BEGIN:VEVENT\r\n([\s\S]*?)END:VEVENT/g)].map(([, event]) => ({
    start: iso(event.match(/^DTSTART;VALUE=DATE:(\d{8})\r?$/m)?.[1] ?? ''),
    end: iso(event.match(/^DTEND;VALUE=DATE:(\d{8})\r?$/m)?.[1] ?? ''),
    summary: event.match(/^SUMMARY:(.*?)\r?$/m)?.[1] ?? '',
  }));
}

function icsDate(iso: string): string {
  return iso.replaceAll('-', '');
}

async function logIn(page: Page): Promise<void> {
  await page.goto('/login');
  await waitForHydration(page);
  await page.locator('#login-form #email').fill(HOST);
  await page.locator('#login-form #password').fill(DEMO_PASSWORD);
  await page.locator('#login-form button[type="submit"]').click();
  await expect(page).toHaveURL(/\/account$/);
}

const night = (page: Page, iso: string) => page.locator(`#calendar-grid li[data-night="${iso}"]`);

test('a host opens nights, blocks a range and the weekends, imports an .ics and publishes a feed', async ({ page }) => {
  await logIn(page);
  await page.goto('/coops/telar-sur/offers');
  await waitForHydration(page);
  const title = `E2E room ${Date.now()}`;
  await page.locator('#offer-form #offer-kind').selectOption('room');
  await page.locator('#offer-form #offer-title').fill(title);
  await page.locator('#offer-form #offer-capacity').fill('3');
  await page.locator('#offer-form #offer-address').fill('Calle de Prueba 1');
  await page.locator('#offer-form button[type="submit"]').click();
  await expect(page).toHaveURL(/\/offers\/\d+\/calendar$/);
  await expect(page.locator('h1')).toContainText(title);

  // A new offer starts closed; open the next 90 days with its default capacity.
  const tenDays = isoDay(10);
  await expect(night(page, tenDays)).toHaveAttribute('data-capacity', '0');
  await page.locator('#open-90 button').click();
  await expect(night(page, tenDays)).toHaveAttribute('data-capacity', '3');
  await expect(page.locator('#edit-result'), 'the page says how many nights changed').toContainText(/\d/);
  await expect(night(page, tenDays)).toHaveClass(/open/);

  // Pick a range in the grid (first and last night), then block it.
  const [first, last] = [isoDay(12), isoDay(14)];
  await night(page, first).locator('button').click();
  await night(page, last).locator('button').click();
  await expect(page.locator('#calendar-form #from')).toHaveValue(first);
  await expect(page.locator('#calendar-form #to')).toHaveValue(isoDay(15));
  await expect(night(page, isoDay(13)), 'the picked range shows in the grid').toHaveClass(/selected/);
  await page.locator('#calendar-form input[name="op"][value="block"]').check();
  await page.locator('#calendar-form button[type="submit"]').click();
  for (const iso of [isoDay(12), isoDay(13), isoDay(14)]) {
    await expect(night(page, iso)).toHaveClass(/blocked/);
  }
  await expect(night(page, isoDay(15))).toHaveClass(/open/);

  // Every weekend (Friday and Saturday nights) of the first month shown.
  const firstMonth = page.locator('#calendar-grid section.month').first().locator('li.day:not(.past)');
  const before = await firstMonth.evaluateAll((items) =>
    items.map((li) => ({ night: li.getAttribute('data-night') ?? '', capacity: li.getAttribute('data-capacity') })),
  );
  const isWeekendNight = (iso: string): boolean => [5, 6].includes(weekday(iso));
  await page.locator('#block-weekends button').click();
  const weekendOpen = before.filter((d) => isWeekendNight(d.night) && d.capacity !== '0');
  for (const d of weekendOpen) {
    await expect(night(page, d.night), `${d.night} is a weekend night`).toHaveAttribute('data-capacity', '0');
  }
  for (const d of before.filter((d) => !isWeekendNight(d.night) && d.capacity === '3')) {
    await expect(night(page, d.night), `${d.night} stays open`).toHaveAttribute('data-capacity', '3');
  }

  // Import busy dates from another calendar: two open weekday nights, so that what is imported is not already blocked.
  let busyOffset = 20;
  while ([busyOffset, busyOffset + 1].some((o) => isWeekendNight(isoDay(o)))) busyOffset++;
  const [busyStart, busyEnd] = [isoDay(busyOffset), isoDay(busyOffset + 2)];
  const ics = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//e2e//EN',
    'BEGIN:VEVENT',
    'UID:e2e-busy@test',
    'DTSTAMP:20261101T000000Z',
    `DTSTART;VALUE=DATE:${icsDate(busyStart)}`,
    `DTEND;VALUE=DATE:${icsDate(busyEnd)}`,
    'SUMMARY:Family visit',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
  await page.locator('#import-form #ics').fill(ics);
  await page.locator('#import-form button[type="submit"]').click();
  await expect(page.locator('#import-result')).toBeVisible();
  await expect(night(page, busyStart)).toHaveClass(/imported/);
  await expect(night(page, isoDay(busyOffset + 1))).toHaveClass(/imported/);
  await expect(night(page, busyEnd)).not.toHaveClass(/imported/);

  // A secret feed with the host's own blocks.
  await page.locator('#feed-form button[type="submit"]').click();
  const feedUrl = await page.locator('#feed-url').inputValue({ timeout: 10_000 });
  expect(feedUrl, 'the whole address, to paste into another calendar').toMatch(
    /^https?:\/\/[^/]+\/ical\/offers\/[A-Za-z0-9_-]+\.ics$/,
  );
  await expect(page.locator('button[data-copy="feed-url"]'), 'a copy button once the script runs').toBeVisible();
  const feed = await page.request.get(feedUrl);
  expect(feed.status()).toBe(200);
  expect(feed.headers()['content-type']).toContain('text/calendar');
  const body = await feed.text();
  expect(body).toContain('BEGIN:VCALENDAR');
  // What the feed must say, however it joins neighbouring blocks into events: every night the host blocked is
  // covered by exactly one "Not available" event, and no open or imported night is.
  const blocks = feedEvents(body).filter((e) => e.summary === 'Not available');
  const covering = (iso: string) => blocks.filter((e) => e.start <= iso && iso < e.end).length;
  const grid = await page.locator('#calendar-grid li.day:not(.past)').evaluateAll((items) =>
    items.map((li) => ({ night: li.getAttribute('data-night') ?? '', className: li.className })),
  );
  const hostBlocked = [first, isoDay(13), last, ...weekendOpen.map((d) => d.night)];
  for (const iso of hostBlocked) expect(covering(iso), `${iso} is blocked by the host`).toBe(1);
  for (const d of grid.filter((d) => /\b(open|imported)\b/.test(d.className))) {
    expect(covering(d.night), `${d.night} is not blocked by the host`).toBe(0);
  }
});

test('without JavaScript the calendar is readable and editable through the plain form', async ({ newContext }) => {
  const context = await newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/login');
  await page.locator('#login-form #email').fill(HOST);
  await page.locator('#login-form #password').fill(DEMO_PASSWORD);
  await page.locator('#login-form button[type="submit"]').click();
  await expect(page).toHaveURL(/\/account$/);
  await page.goto('/coops/telar-sur/offers');
  const link = page.locator('#coop-offers li a[href$="/calendar"]').first();
  await link.click();
  await expect(page).toHaveURL(/\/offers\/\d+\/calendar/);
  await expect(page.locator('#calendar-grid li.day').first()).toBeVisible();
  const target = isoDay(40);
  await page.locator('#calendar-form #from').fill(target);
  await page.locator('#calendar-form #to').fill(isoDay(41));
  await page.locator('#calendar-form input[name="op"][value="open"]').check();
  await page.locator('#calendar-form #capacity').fill('7');
  await page.locator('#calendar-form button[type="submit"]').click();
  await expect(page).toHaveURL(/\/offers\/\d+\/calendar/);
  await expect(page.locator('#edit-result'), 'a plain post says what it did').toContainText('1');
  const month = target.slice(0, 7);
  await page.goto(`${page.url().split('?')[0]}?month=${month}`);
  await expect(night(page, target)).toHaveAttribute('data-capacity', '7');
});
