/**
 * Stay requests: the golden path in three browser contexts (traveller, host, coordinator), written against the
 * HTML contract:
 *
 *   /?country=AR        <li class="coop-card" data-slug="telar-sur"> <li class="offer" data-kind="room">
 *                       <a class="offer-title" href="/offers/<id>">
 *   /offers/<id>        <dl class="facts"> (… "Days of notice" …)
 *                       <form id="request-form"> #check_in #check_out (type=date) #guests select#purpose #message
 *                       #skills_offered <button type="submit">  → redirect to /stays/<id>
 *                       <table class="nights"> <tr data-night="YYYY-MM-DD"><td>day</td><td>free / capacity</td>
 *                       (the coming 60 nights, from the server's today)
 *   /stays              <ul id="my-stays"> <li class="stay-line" data-stay="<id>"> <a href="/stays/<id>">
 *                       <span class="badge" data-status="…"> <p class="stay-dates">in → out · …</p>
 *   /stays/<id>         <p id="stay-status"><span class="badge" data-status="…"></p>  <dd id="stay-address">
 *                       <form class="action-form" data-action="withdraw|cancel|…"> (note input, submit)
 *                       <ol id="messages"><li>  <form id="message-form"> textarea#body <button type="submit">
 *                       <ol id="stay-trail"> <li data-to="requested|accepted|confirmed|…">
 *   /inbox              <li class="inbox-item" data-stay="<id>" data-status="…"> <table class="nights">
 *                       <form class="action-form" data-action="accept|decline"> and <form class="suggest-form">
 *   /approvals          <li class="approval-item" data-stay="<id>"> <form class="action-form" data-action="approve|reject">
 *   /notifications      <p id="unread-count"> <form id="read-form"> <ul id="notifications"> <li class="unread|read">
 *   header              <a id="nav-notifications"> <span id="unread-badge">n</span> when there are unread ones
 *   errors              <p class="form-error" role="alert"> next to the form
 *
 * The traveller is viajera@demo.coop (Teixit Obert, verified only in Patio) asking at Telar Sur (verified in
 * FACTTIC and Patio): the request goes through Patio, which does not approve automatically, so a coordinator
 * decides. Dates are chosen from the offer's own calendar (free at full capacity, clear of the traveller's other
 * requests), so no request is refused and re-runs on the same database pick other nights.
 *
 * Each context logs in once (log-in is rate-limited per address: a burst of 10, then 1 every 6 s); this file makes
 * four log-ins per run.
 */
import type { BrowserContext, Locator, Page } from '@playwright/test';
import { addDays, expect, test, TODAY, waitForHydration } from './fixtures';

const DEMO_PASSWORD = 'coop-travel-demo';
const TRAVELLER = 'viajera@demo.coop';
const FIRST_TRAVELLER = 'traveller@demo.coop';
const HOST = 'host@demo.coop';
const COORDINATOR = 'coordinator@demo.coop';
/** Telar Sur's private room (demo data): its exact address, shown only to the host and a confirmed traveller. */
const HOST_SLUG = 'telar-sur';
const ROOM_ADDRESS = 'Pasaje de los Telares 412, Buenos Aires';
const ADDRESS_HIDDEN = 'Shown once the stay is confirmed';
/** A server-function round trip plus the client-side navigation or re-render that follows it. */
const ACTION_TIMEOUT = 10_000;
const NIGHTS = 2;
const GUESTS = 1;
/** Statuses that block the traveller's overlapping dates (see the request service). */
const ACTIVE = ['requested', 'accepted', 'confirmed'];

function unique(): string {
  return `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
}

// ---------------------------------------------------------------------------------------------
// Dates (plain YYYY-MM-DD strings; UTC arithmetic, so no time zone can shift a day).
// ---------------------------------------------------------------------------------------------

/** The nights of a stay: check-in up to, not including, check-out. */
function nightsOf(checkIn: string, checkOut: string): string[] {
  const nights: string[] = [];
  for (let night = checkIn; night < checkOut; night = addDays(night, 1)) nights.push(night);
  return nights;
}

interface Range {
  checkIn: string;
  checkOut: string;
}

const overlaps = (a: Range, b: Range): boolean => a.checkIn < b.checkOut && b.checkIn < a.checkOut;

interface Night {
  night: string;
  free: number;
  capacity: number;
}

// ---------------------------------------------------------------------------------------------
// Page helpers.
// ---------------------------------------------------------------------------------------------

const submitButton = (page: Page, form: string): Locator => page.locator(`form${form} button[type="submit"]`);
/** The submit button of a form already located. */
const submitOf = (form: Locator): Locator => form.locator('button[type="submit"]');
const statusBadge = (page: Page): Locator => page.locator('#stay-status [data-status]');
const nightRow = (page: Page, night: string): Locator => page.locator(`table.nights tr[data-night="${night}"]`);
/** The "free / capacity" cell of a night. */
const freeCell = (page: Page, night: string): Locator => nightRow(page, night).locator('td').nth(1);
const freeText = (free: number, capacity: number): RegExp => new RegExp(`^\\s*${free}\\s*/\\s*${capacity}\\s*$`);

/** Fails early with the page's form errors, if any (a refused server action shows one instead of moving on). */
async function expectNoFormError(page: Page): Promise<void> {
  const errors = await page.locator('.form-error').allInnerTexts();
  expect(errors, 'the form should be accepted, not show an error').toEqual([]);
}

/** Clicks `button` and waits until the page is at `pathname`, failing early with the form's error text. */
async function submitAndExpectPath(page: Page, button: Locator, pathname: string | RegExp): Promise<void> {
  await button.click();
  await expect(async () => {
    await expectNoFormError(page);
    const path = new URL(page.url()).pathname;
    if (typeof pathname === 'string') expect(path, 'where the form leads').toBe(pathname);
    else expect(path, 'where the form leads').toMatch(pathname);
  }).toPass({ timeout: ACTION_TIMEOUT });
}

/** Clicks `button` and waits until `locator` has `attribute` = `value`, failing early with a form error. */
async function submitAndExpectAttribute(
  page: Page,
  button: Locator,
  locator: Locator,
  attribute: string,
  value: string,
  what: string,
): Promise<void> {
  await button.click();
  await expect(async () => {
    await expectNoFormError(page);
    expect(await locator.getAttribute(attribute, { timeout: 1_000 }), what).toBe(value);
  }).toPass({ timeout: ACTION_TIMEOUT });
}

/**
 * Forms are plain posts answered with a redirect (only islands run script): after one, the page it leads to is
 * served whole and its page script is live again, so the next form is guarded against a second press.
 */
async function expectAnswered(page: Page, what: string): Promise<void> {
  await expect(page.locator('form[aria-busy="true"]'), `${what}: no form is left waiting`).toHaveCount(0);
  await waitForHydration(page);
}

/** Opens `path`, expects 200 and waits for its islands. */
async function open(page: Page, path: string): Promise<void> {
  const response = await page.goto(path);
  expect(response?.status(), `GET ${path} should answer 200`).toBe(200);
  await waitForHydration(page);
}

/** Opens a new context, logs in with the form (the JavaScript path) and returns its page. */
async function loggedInPage(context: BrowserContext, email: string): Promise<Page> {
  const page = await context.newPage();
  await open(page, '/login');
  await page.locator('form#login-form #email').fill(email);
  await page.locator('form#login-form #password').fill(DEMO_PASSWORD);
  await submitAndExpectPath(page, submitButton(page, '#login-form'), '/account');
  await expect(page.locator('#nav-account'), 'the header links to the account').toBeVisible();
  return page;
}

/** The offer page's calendar, as shown. */
async function readNights(page: Page): Promise<Night[]> {
  return page.locator('table.nights tbody tr[data-night]').evaluateAll((rows) =>
    rows.map((row) => {
      const cell = row.querySelectorAll('td')[1]?.textContent ?? '';
      const [free, capacity] = cell.split('/').map((part) => Number(part.trim()));
      return { night: row.getAttribute('data-night') ?? '', free, capacity };
    }),
  );
}

/** The traveller's requests that still hold their dates, from /stays. */
async function activeRanges(page: Page): Promise<Range[]> {
  await open(page, '/stays');
  await expect(page.locator('main#main h1')).toHaveText('My stays');
  const lines = await page.locator('#my-stays li.stay-line').evaluateAll((items) =>
    items.map((item) => ({
      status: item.querySelector('[data-status]')?.getAttribute('data-status') ?? '',
      dates: item.querySelector('.stay-dates')?.textContent ?? '',
    })),
  );
  return lines
    .filter(({ status }) => ACTIVE.includes(status))
    .map(({ dates }) => {
      const found = dates.match(/(\d{4}-\d{2}-\d{2})\s*→\s*(\d{4}-\d{2}-\d{2})/);
      expect(found, `the dates of a stay line: ${dates}`).not.toBeNull();
      return { checkIn: found![1], checkOut: found![2] };
    });
}

/**
 * The first `NIGHTS`-night range at least `earliest` days after the calendar's first night (the server's today)
 * whose nights are all open at full capacity and which overlaps none of `avoid`.
 */
function pickRange(nights: readonly Night[], earliest: number, avoid: readonly Range[]): Range {
  const byNight = new Map(nights.map((n) => [n.night, n]));
  const today = nights[0].night;
  for (let offset = earliest; offset + NIGHTS <= nights.length; offset++) {
    const range = { checkIn: addDays(today, offset), checkOut: addDays(today, offset + NIGHTS) };
    const allFree = nightsOf(range.checkIn, range.checkOut).every((night) => {
      const n = byNight.get(night);
      return n !== undefined && n.capacity >= GUESTS && n.free === n.capacity;
    });
    if (allFree && !avoid.some((other) => overlaps(range, other))) return range;
  }
  throw new Error(
    `no ${NIGHTS}-night range free at full capacity in the offer's calendar (restart the server with a fresh database)`,
  );
}

/** Fills and sends the request form on the offer page; returns the new request's id (from /stays/<id>). */
async function requestStay(page: Page, range: Range, message: string, skills: string): Promise<number> {
  const form = page.locator('form#request-form');
  await form.locator('#check_in').fill(range.checkIn);
  await form.locator('#check_out').fill(range.checkOut);
  await form.locator('#guests').fill(String(GUESTS));
  await form.locator('select#purpose').selectOption('project');
  await form.locator('#message').fill(message);
  await form.locator('#skills_offered').fill(skills);
  await submitAndExpectPath(page, submitButton(page, '#request-form'), /^\/stays\/\d+$/);
  await expectAnswered(page, 'asking to stay');
  return Number(new URL(page.url()).pathname.split('/').pop());
}

/** Expects every night of `range` on the offer page to show `free / capacity`. */
async function expectFree(page: Page, range: Range, free: number, capacity: number, what: string): Promise<void> {
  for (const night of nightsOf(range.checkIn, range.checkOut)) {
    await expect(freeCell(page, night), `${what}: the night of ${night}`).toHaveText(freeText(free, capacity));
  }
}

/** The <dd> after the <dt> labelled `term` in the page's facts. */
const fact = (page: Page, term: string): Locator =>
  page.locator('dl.facts dt').filter({ hasText: new RegExp(`^\\s*${term}\\s*$`) }).locator('xpath=following-sibling::dd[1]');

// ---------------------------------------------------------------------------------------------
// Tests.
// ---------------------------------------------------------------------------------------------

test('a traveller asks, the host accepts, a coordinator approves; messages, notifications and a withdrawal', async ({
  newContext,
}) => {
  test.setTimeout(180_000);
  const n = unique();

  // --- Three people, each in a context of their own, each logged in once.
  const traveller = await loggedInPage(await newContext(), TRAVELLER);
  const host = await loggedInPage(await newContext(), HOST);
  const coordinator = await loggedInPage(await newContext(), COORDINATOR);

  // --- The traveller finds Telar Sur's room from the directory.
  const busy = await activeRanges(traveller);
  await open(traveller, '/?country=AR');
  const roomLink = traveller.locator(
    `#coop-list .coop-card[data-slug="${HOST_SLUG}"] .offer[data-kind="room"] a.offer-title`,
  );
  await expect(roomLink, 'Telar Sur lists a room').toHaveCount(1);
  const offerHref = await roomLink.getAttribute('href');
  expect(offerHref).toMatch(/^\/offers\/\d+$/);
  const offerPath = offerHref!;
  await roomLink.click();
  await expect(traveller).toHaveURL((url) => url.pathname === offerPath);
  await expect(traveller.locator('form#request-form')).toBeVisible();
  await waitForHydration(traveller);

  // Two ranges free at full capacity: A for the confirmed stay, B for the withdrawal.
  const notice = Number((await fact(traveller, 'Days of notice').innerText()).trim());
  expect(notice, 'the offer shows its days of notice').toBeGreaterThanOrEqual(0);
  const calendar = await readNights(traveller);
  expect(calendar.length, 'the offer page shows the coming weeks').toBeGreaterThan(notice + 2 * NIGHTS + 2);
  const earliest = Math.max(notice + 1, 7);
  const rangeA = pickRange(calendar, earliest, busy);
  // B keeps a night's distance from A, so the two stays never touch.
  const aroundA = { checkIn: addDays(rangeA.checkIn, -1), checkOut: addDays(rangeA.checkOut, 1) };
  const rangeB = pickRange(calendar, earliest, [...busy, aroundA]);
  const capacity = calendar.find((night) => night.night === rangeA.checkIn)!.capacity;
  const capacityB = calendar.find((night) => night.night === rangeB.checkIn)!.capacity;

  // --- The traveller asks for range A.
  const message = `Could we pair on your payroll module? (e2e ${n})`;
  const skills = `Catalan localisation, Weblate (e2e ${n})`;
  const stayA = await requestStay(traveller, rangeA, message, skills);
  const stayAPath = `/stays/${stayA}`;
  await expect(statusBadge(traveller), 'a new request is "requested"').toHaveAttribute('data-status', 'requested');
  await expect(traveller.locator('#stay-address'), 'no address before confirmation').toContainText(ADDRESS_HIDDEN);
  await expect(traveller.locator('#stay-address')).not.toContainText(ROOM_ADDRESS);
  await expect(fact(traveller, 'Network'), 'the only network both co-ops share').toHaveText('Patio');
  await expect(fact(traveller, 'Dates')).toContainText(`${rangeA.checkIn} → ${rangeA.checkOut}`);
  await expect(traveller.locator('#stay-trail li').first()).toHaveAttribute('data-to', 'requested');

  // --- The host sees it in the inbox, with the calendar beside it, and accepts.
  await open(host, '/inbox');
  const itemA = host.locator(`#inbox li.inbox-item[data-stay="${stayA}"]`);
  await expect(itemA, 'the request is in the host inbox').toHaveCount(1);
  await expect(itemA).toHaveAttribute('data-status', 'requested');
  const inboxStatuses = await host
    .locator('#inbox li.inbox-item')
    .evaluateAll((items) => items.map((item) => item.getAttribute('data-status') ?? ''));
  const pending = inboxStatuses.filter((status) => status === 'requested').length;
  expect(inboxStatuses.slice(0, pending), `pending requests come first: ${inboxStatuses.join(', ')}`).toEqual(
    Array(pending).fill('requested'),
  );
  await expect(itemA, "the traveller's co-op").toContainText('Teixit Obert');
  await expect(itemA, 'the purpose').toContainText('project');
  await expect(itemA, 'the skills offered').toContainText(skills);
  await expect(itemA.locator('table.nights tr[data-night]'), 'one row per night').toHaveCount(NIGHTS);
  for (const night of nightsOf(rangeA.checkIn, rangeA.checkOut)) {
    await expect(itemA.locator(`table.nights tr[data-night="${night}"] td`).nth(1)).toHaveText(freeText(capacity, capacity));
  }
  await expect(itemA.locator('form.action-form[data-action="decline"]')).toHaveCount(1);
  await expect(itemA.locator('form.suggest-form')).toHaveCount(1);
  const acceptA = itemA.locator('form.action-form[data-action="accept"]');
  await acceptA.locator('input[name="note"]').fill('Welcome! We will keep the room for you.');
  await submitAndExpectAttribute(host, submitOf(acceptA), itemA, 'data-status', 'accepted', 'after accepting');
  await expect(itemA.locator('form.action-form'), 'no more decisions for the host').toHaveCount(0);
  await expectAnswered(host, 'accepting');
  for (const night of nightsOf(rangeA.checkIn, rangeA.checkOut)) {
    await expect(
      itemA.locator(`table.nights tr[data-night="${night}"] td`).nth(1),
      'accepting holds the nights',
    ).toHaveText(freeText(capacity - GUESTS, capacity));
  }

  // --- Patio does not approve automatically: the traveller still waits.
  await open(traveller, stayAPath);
  await expect(statusBadge(traveller), 'accepted, awaiting a coordinator').toHaveAttribute('data-status', 'accepted');
  await expect(traveller.locator('#stay-address')).toContainText(ADDRESS_HIDDEN);

  // --- The coordinator approves, with a note.
  await open(coordinator, '/approvals');
  const approvalA = coordinator.locator(`#approvals li.approval-item[data-stay="${stayA}"]`);
  await expect(approvalA, 'the accepted request waits for approval').toHaveCount(1);
  await expect(approvalA).toContainText('Teixit Obert');
  await expect(approvalA.locator('form.action-form[data-action="reject"]')).toHaveCount(1);
  const approveA = approvalA.locator('form.action-form[data-action="approve"]');
  const approvalNote = `Both co-ops verified in Patio (e2e ${n})`;
  await approveA.getByLabel('Note (optional)').fill(approvalNote);
  await submitOf(approveA).click();
  await expect(approvalA, 'an approved request leaves the queue').toHaveCount(0, { timeout: ACTION_TIMEOUT });
  await expectNoFormError(coordinator);
  await expectAnswered(coordinator, 'approving');

  // --- The traveller sees it confirmed, with the exact address and the whole history.
  await open(traveller, stayAPath);
  await expect(statusBadge(traveller)).toHaveAttribute('data-status', 'confirmed');
  await expect(traveller.locator('#stay-address'), 'the exact address once confirmed').toContainText(ROOM_ADDRESS);
  await expect(traveller.locator('#stay-address')).not.toContainText(ADDRESS_HIDDEN);
  const trail = traveller.locator('#stay-trail li');
  await expect(trail).toHaveCount(3);
  expect(await trail.evaluateAll((items) => items.map((item) => item.getAttribute('data-to')))).toEqual([
    'requested',
    'accepted',
    'confirmed',
  ]);
  await expect(trail.nth(2), 'the approval note is in the history').toContainText(approvalNote);
  await expect(traveller.locator('form.action-form[data-action="withdraw"]'), 'a confirmed stay is not withdrawn').toHaveCount(0);

  // --- The host's calendar shows the nights taken.
  await open(host, offerPath);
  await expectFree(host, rangeA, capacity - GUESTS, capacity, 'a confirmed stay takes its places');

  // --- Messages and notifications. The host starts with nothing unread.
  await open(host, '/notifications');
  await host.locator('form#read-form button[type="submit"]').click();
  await expect(host.locator('#unread-count'), 'all read').toHaveText('Unread: 0', { timeout: ACTION_TIMEOUT });
  await expect(host.locator('#notifications li.unread')).toHaveCount(0);

  const question = `What time can we check in? (e2e ${n})`;
  await open(traveller, stayAPath);
  await traveller.locator('form#message-form textarea#body').fill(question);
  await submitButton(traveller, '#message-form').click();
  await expect(traveller.locator('#messages li').filter({ hasText: question }), 'the message is in the thread').toHaveCount(
    1,
    { timeout: ACTION_TIMEOUT },
  );
  await expectNoFormError(traveller);
  await expectAnswered(traveller, 'posting a message');

  await open(host, stayAPath);
  await expect(host.locator('#messages li').filter({ hasText: question }), 'the host reads it').toHaveCount(1);
  await expect(host.locator('#stay-address'), 'the host always sees the address').toContainText(ROOM_ADDRESS);
  await expect(host.locator('header #unread-badge'), 'one unread notification: the message').toHaveText('1');
  await open(host, '/notifications');
  await expect(host.locator('#unread-count')).toHaveText('Unread: 1');
  const notice1 = host.locator('#notifications li.unread').filter({ hasText: question });
  await expect(notice1, 'the message is listed as a notification').toHaveCount(1);
  await expect(notice1.locator('a')).toHaveAttribute('href', stayAPath);

  const answer = `From 15:00, see you then (e2e ${n})`;
  await open(host, stayAPath);
  await host.locator('form#message-form textarea#body').fill(answer);
  await submitButton(host, '#message-form').click();
  await expect(host.locator('#messages li').filter({ hasText: answer })).toHaveCount(1, { timeout: ACTION_TIMEOUT });
  await expectNoFormError(host);

  await open(traveller, stayAPath);
  const thread = traveller.locator('#messages li');
  await expect(thread.filter({ hasText: question })).toHaveCount(1);
  await expect(thread.filter({ hasText: answer }), 'the traveller reads the answer').toHaveCount(1);
  await expect(traveller.locator('header #unread-badge'), 'the traveller has unread notifications').toBeVisible();
  await open(traveller, '/notifications');
  await expect(traveller.locator('#notifications li.unread').filter({ hasText: answer })).toHaveCount(1);

  // --- A second request, accepted, then withdrawn: the nights are held, then released.
  await open(traveller, offerPath);
  const stayB = await requestStay(traveller, rangeB, `A second visit (e2e ${n})`, 'proofreading');
  const stayBPath = `/stays/${stayB}`;
  await expect(statusBadge(traveller)).toHaveAttribute('data-status', 'requested');

  await open(host, '/inbox');
  const itemB = host.locator(`#inbox li.inbox-item[data-stay="${stayB}"]`);
  await expect(itemB).toHaveAttribute('data-status', 'requested');
  const acceptB = itemB.locator('form.action-form[data-action="accept"]');
  await submitAndExpectAttribute(host, submitOf(acceptB), itemB, 'data-status', 'accepted', 'after accepting');
  await open(host, offerPath);
  await expectFree(host, rangeB, capacityB - GUESTS, capacityB, 'an accepted request holds its places');

  await open(coordinator, '/approvals');
  const approvalB = coordinator.locator(`#approvals li.approval-item[data-stay="${stayB}"]`);
  await expect(approvalB, 'the accepted request waits for approval').toHaveCount(1);

  await open(traveller, stayBPath);
  await expect(statusBadge(traveller)).toHaveAttribute('data-status', 'accepted');
  const withdraw = traveller.locator('form.action-form[data-action="withdraw"]');
  await withdraw.locator('input[name="note"]').fill('Plans changed, sorry.');
  await submitAndExpectAttribute(
    traveller,
    submitOf(withdraw),
    statusBadge(traveller),
    'data-status',
    'withdrawn',
    'after withdrawing',
  );
  await expect(traveller.locator('#stay-trail li').last()).toHaveAttribute('data-to', 'withdrawn');
  await expect(traveller.locator('form.action-form'), 'nothing left to do on a withdrawn request').toHaveCount(0);
  await expectAnswered(traveller, 'withdrawing');

  await open(host, offerPath);
  await expectFree(host, rangeB, capacityB, capacityB, 'withdrawing releases the places');
  await expectFree(host, rangeA, capacity - GUESTS, capacity, 'the confirmed stay keeps its places');

  await open(coordinator, '/approvals');
  await expect(approvalB, 'a withdrawn request leaves the approval queue').toHaveCount(0);

  // --- The traveller's list shows both, with their statuses.
  await open(traveller, '/stays');
  await expect(traveller.locator(`#my-stays li.stay-line[data-stay="${stayA}"] [data-status]`)).toHaveAttribute(
    'data-status',
    'confirmed',
  );
  await expect(traveller.locator(`#my-stays li.stay-line[data-stay="${stayB}"] [data-status]`)).toHaveAttribute(
    'data-status',
    'withdrawn',
  );
});

test('a traveller subscribes to their trips: the whole feed address, a copy button, a calendar that answers', async ({
  browser,
}) => {
  const context = await browser.newContext();
  const traveller = await loggedInPage(context, FIRST_TRAVELLER);
  await open(traveller, '/trips');
  await traveller.locator('#trips-feed-form button[type="submit"]').click();
  const field = traveller.locator('#trips-feed-url');
  await expect(field, 'the address is shown once, whole').toHaveValue(/^https?:\/\/[^/]+\/ical\/trips\/[A-Za-z0-9_-]+\.ics$/);
  const copy = traveller.locator('button[data-copy="trips-feed-url"]');
  await expect(copy).toBeVisible();
  await copy.click();
  await expect(copy, 'the button says it copied').toHaveText('Copied');
  const feed = await traveller.request.get(await field.inputValue());
  expect(feed.status()).toBe(200);
  expect(feed.headers()['content-type']).toContain('text/calendar');
  expect(await feed.text()).toContain('BEGIN:VCALENDAR');
  await open(traveller, '/trips');
  await expect(traveller.locator('#trips-feed-url'), 'shown only once').toHaveCount(0);
  await expect(traveller.locator('#trips-feed-exists')).toBeVisible();
  await context.close();
});

test.describe(() => {
  test.use({ javaScriptEnabled: false });

  test('without JavaScript, a traveller’s stays and a stay’s page are rendered by the server', async ({ page }) => {
    await page.goto('/login');
    await page.locator('form#login-form #email').fill(FIRST_TRAVELLER);
    await page.locator('form#login-form #password').fill(DEMO_PASSWORD);
    await Promise.all([page.waitForEvent('load'), submitButton(page, '#login-form').click()]);
    await expect(page, 'the plain post is answered with a redirect to the account').toHaveURL(
      (url) => url.pathname === '/account',
    );

    const response = await page.goto('/stays');
    expect(response?.status(), 'GET /stays').toBe(200);
    await expect(page.locator('body'), 'no script ran').not.toHaveAttribute('data-hydrated');
    const lines = page.locator('#my-stays li.stay-line');
    // The demo gives this traveller requests in several states.
    expect(await lines.count(), 'the demo requests are listed').toBeGreaterThanOrEqual(4);
    const summary = await lines.evaluateAll((items) =>
      items.map((item) => ({
        id: item.getAttribute('data-stay') ?? '',
        href: item.querySelector('a')?.getAttribute('href') ?? '',
        status: item.querySelector('.badge[data-status]')?.getAttribute('data-status') ?? '',
        dates: item.querySelector('.stay-dates')?.textContent ?? '',
      })),
    );
    for (const line of summary) {
      expect(line.href, 'each line links to its request').toBe(`/stays/${line.id}`);
      expect(line.status, 'each line has a status badge').not.toBe('');
      expect(line.dates).toMatch(/\d{4}-\d{2}-\d{2}\s*→\s*\d{4}-\d{2}-\d{2}/);
    }
    const statuses = summary.map((line) => line.status);
    expect(statuses).toContain('confirmed');
    expect(statuses).toContain('requested');

    // A confirmed stay shows the exact address; a pending one does not.
    const confirmed = summary.find((line) => line.status === 'confirmed')!;
    await page.goto(confirmed.href);
    await expect(page.locator('#stay-status [data-status]')).toHaveAttribute('data-status', 'confirmed');
    await expect(page.locator('#stay-address')).not.toContainText(ADDRESS_HIDDEN);
    await expect(page.locator('#stay-address')).not.toBeEmpty();
    expect(
      await page.locator('#stay-trail li').evaluateAll((items) => items.map((item) => item.getAttribute('data-to'))),
    ).toEqual(['requested', 'accepted', 'confirmed']);

    const requested = summary.find((line) => line.status === 'requested')!;
    await page.goto(requested.href);
    await expect(page.locator('#stay-status [data-status]')).toHaveAttribute('data-status', 'requested');
    await expect(page.locator('#stay-address')).toContainText(ADDRESS_HIDDEN);
    await expect(page.locator('form.action-form[data-action="withdraw"]'), 'the traveller may withdraw').toHaveCount(1);
  });

  test('without JavaScript, a refused request comes back with what was typed', async ({ page }) => {
    await page.goto('/login');
    await page.locator('form#login-form #email').fill(TRAVELLER);
    await page.locator('form#login-form #password').fill(DEMO_PASSWORD);
    await Promise.all([page.waitForEvent('load'), submitButton(page, '#login-form').click()]);
    await page.goto('/?country=AR');
    const offer = await page.locator(`.coop-card[data-slug="${HOST_SLUG}"] a.offer-title`).first().getAttribute('href');
    await page.goto(offer!);
    const form = page.locator('form#request-form');
    // A check-out before the check-in: the server refuses it (the browser does not check the order).
    const message = 'We would like to learn how you run your assemblies. (no-JS e2e)';
    await form.locator('#check_in').fill(addDays(TODAY, 30));
    await form.locator('#check_out').fill(addDays(TODAY, 28));
    await form.locator('select#purpose').selectOption('learning');
    await form.locator('#message').fill(message);
    await form.locator('#skills_offered').fill('facilitation');
    await Promise.all([page.waitForEvent('load'), submitButton(page, '#request-form').click()]);
    await expect(page, 'back on the offer page').toHaveURL((url) => url.pathname === offer);
    await expect(form.locator('.form-error'), 'the reason is shown at the form').toBeVisible();
    await expect(form.locator('#message'), 'the message is still there').toHaveValue(message);
    await expect(form.locator('#check_in')).toHaveValue(addDays(TODAY, 30));
    await expect(form.locator('select#purpose')).toHaveValue('learning');
    await expect(form.locator('#skills_offered')).toHaveValue('facilitation');
    // Once: a fresh visit shows an empty form.
    await page.goto(offer!);
    await expect(form.locator('#message')).toHaveValue('');
  });
});
