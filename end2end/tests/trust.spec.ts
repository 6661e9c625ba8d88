/**
 * Trust between co-ops (issue #13), against the HTML contract:
 *
 *   /stays/<id>         <section id="references"> <form id="reference-form"> input[name=recommend][value=yes|no]
 *                       textarea#reference-body textarea#reference-note  <ul id="stay-references">
 *                       <li class="reference" data-side="traveller|host">  <p class="reference-waiting">
 *   /coops/<slug>       <section id="coop-trust"> <p class="reputation" data-new> <dl id="ledger-totals">
 *                       <dd data-figure="hosted|sent|balance">  <a id="ledger-csv">  (#trust-members-only otherwise)
 *   /people/<id>        <article class="person-profile"> <dd id="person-skills"> <dd id="person-countries">
 *   /account            <form id="profile-form"> #bio #profile-languages #skills
 *
 * The demo has a completed stay with no references yet: Lucía's (traveller@demo.coop) desk days at Telar Sur a
 * week before the demo's today. She writes first; Tomás (host@demo.coop, Telar Sur's host admin) cannot read it
 * until he has written his.
 */
import fs from 'node:fs';
import type { Page } from '@playwright/test';
import { addDays, expect, loggedInPage, open, submit, test, TODAY, waitForHydration } from './fixtures';

const TRAVELLER = 'traveller@demo.coop';
const HOST = 'host@demo.coop';

/** The traveller's completed stay at Telar Sur (the desk days), from their list of requests. */
async function completedStayAtTelar(page: Page): Promise<string> {
  await open(page, '/stays');
  const line = page
    .locator('li.stay-line')
    .filter({ has: page.locator('[data-status="completed"]') })
    .filter({ hasText: 'Telar Sur' });
  await expect(line, 'one completed stay at Telar Sur').toHaveCount(1);
  const href = await line.locator('a').first().getAttribute('href');
  expect(href).toMatch(/^\/stays\/\d+$/);
  return href as string;
}

async function writeReference(page: Page, words: string): Promise<void> {
  const form = page.locator('form#reference-form');
  await expect(form, 'the reference form, while the window is open').toBeVisible();
  await form.locator('input[name="recommend"][value="yes"]').check();
  await form.locator('#reference-body').fill(words);
  await submit(page, form, page.locator('#stay-references li.reference', { hasText: words }));
  await expect(page.locator('form#reference-form'), 'one reference per side').toHaveCount(0);
}

test('the first reference is hidden from the other side until it writes its own', async ({ newContext }) => {
  const traveller = await loggedInPage(await newContext(), TRAVELLER);
  const host = await loggedInPage(await newContext(), HOST);
  const stay = await completedStayAtTelar(traveller);

  await open(traveller, stay);
  await writeReference(traveller, 'Two calm days at a big shared table; the team paired with me on the census app.');

  await open(host, stay);
  await expect(host.locator('#references .reference-waiting'), 'the host sees that a reference waits').toHaveCount(1);
  await expect(host.locator('#references'), 'but not its words').not.toContainText('big shared table');
  await writeReference(host, 'Lucía was a focused, friendly guest who left the desk tidier than she found it.');
  await expect(host.locator('#stay-references li.reference'), 'both show once both wrote').toHaveCount(2);
  await expect(host.locator('#references .reference-waiting')).toHaveCount(0);

  await open(traveller, stay);
  await expect(traveller.locator('#stay-references li.reference')).toHaveCount(2);
  await expect(traveller.locator('#stay-references li[data-side="host"]')).toContainText('focused, friendly guest');

  // The host hears of the traveller's reference once, and the traveller that both now show.
  await open(traveller, '/notifications');
  await expect(traveller.locator('#notifications li', { hasText: 'both show now' })).toHaveCount(1);
});

test('a co-op page shows its networks’ members the reputation and the ledger, as a table and as CSV', async ({
  newContext,
}) => {
  const host = await loggedInPage(await newContext(), HOST);
  await open(host, '/coops/telar-sur');
  const trust = host.locator('#coop-trust');
  await expect(trust.locator('p.reputation[data-new="false"]')).toContainText('guest-nights hosted');
  const figure = async (name: string) => Number(await trust.locator(`[data-figure="${name}"]`).innerText());
  const [hosted, sent, balance] = [await figure('hosted'), await figure('sent'), await figure('balance')];
  expect(hosted, 'the demo has completed stays at Telar Sur').toBeGreaterThan(0);
  expect(sent, 'and Tomás travelled to Algarrobo Lab').toBeGreaterThan(0);
  expect(balance).toBe(hosted - sent);
  await expect(trust.locator('#ledger-partners tr[data-slug="algarrobo-lab"]')).toBeVisible();
  await expect(trust.locator('#coop-references li.reference').first()).toBeVisible();

  const [download] = await Promise.all([host.waitForEvent('download'), trust.locator('#ledger-csv').click()]);
  expect(download.suggestedFilename()).toBe('telar-sur-ledger.csv');
  const csv = fs.readFileSync(await download.path(), 'utf8').trim().split('\n');
  expect(csv[0]).toBe('kind,slug,name,guest_nights_hosted,guest_nights_sent,balance');
  expect(csv).toContain(`total,telar-sur,Cooperativa Telar Sur,${hosted},${sent},${balance}`);

  // Logged out: the page is public, its trust section is not.
  const anonymous = await (await newContext()).newPage();
  await open(anonymous, '/coops/telar-sur');
  await expect(anonymous.locator('#trust-members-only')).toBeVisible();
  await expect(anonymous.locator('#ledger-totals')).toHaveCount(0);
  const response = await anonymous.request.get('/coops/telar-sur/ledger.csv');
  expect(response.status()).toBe(401);
});

test('a member writes their profile, and the members of their networks read it without their address', async ({
  newContext,
}) => {
  const traveller = await loggedInPage(await newContext(), TRAVELLER);
  await open(traveller, '/account');
  const form = traveller.locator('form#profile-form');
  await form.locator('#bio').fill('Backend developer at Ribera Software, happy to pair on Rust.');
  await form.locator('#profile-languages').fill('es, en');
  await form.locator('#skills').fill('Rust, Facilitation, rust');
  await submit(traveller, form, traveller.locator('#profile-form .form-done'));
  await expect(traveller.locator('#skills')).toHaveValue('rust, facilitation');

  const host = await loggedInPage(await newContext(), HOST);
  const stay = await completedStayAtTelar(traveller);
  await open(host, stay);
  await host.locator('dl.facts a[href^="/people/"]').click();
  await expect(host).toHaveURL(/\/people\/\d+$/);
  const profile = host.locator('article.person-profile');
  await expect(profile.locator('h1')).toHaveText('Lucía Traveller');
  await expect(profile.locator('#person-skills')).toHaveText('rust, facilitation');
  await expect(profile.locator('#person-countries')).toContainText('Uruguay');
  await expect(profile, 'no e-mail address on a profile').not.toContainText('@');

  // Telar Sur's room asks for Rust; Lucía's waiting request there brings it.
  await open(host, '/inbox');
  await expect(host.locator('li.inbox-item .skills-match .badge[data-skill="rust"]').first()).toBeVisible();

  const anonymous = await (await newContext()).newPage();
  const response = await anonymous.goto(new URL(host.url()).pathname);
  expect(response?.status(), 'profiles are for logged-in members only').toBe(401);
});

test('a coordinator reads the network’s dashboard: charts drawn without script, their tables and CSV', async ({
  newContext,
}) => {
  const coordinator = await loggedInPage(await newContext(), 'coordinator@demo.coop');
  await open(coordinator, '/networks/facttic');
  await coordinator.locator('#dashboard-link').click();
  await expect(coordinator).toHaveURL(/\/networks\/facttic\/dashboard$/);
  await waitForHydration(coordinator);
  await expect(coordinator.locator('svg#chart-requests rect').first()).toBeVisible();
  await expect(coordinator.locator('svg#chart-requests')).toHaveAttribute('role', 'img');
  await expect(coordinator.locator('#table-requests tbody tr')).toHaveCount(12);
  await expect(coordinator.locator('#table-countries tr[data-country="AR"]')).toBeVisible();
  await expect(coordinator.locator('#table-balances tr[data-slug="telar-sur"]')).toBeVisible();

  const [download] = await Promise.all([
    coordinator.waitForEvent('download'),
    coordinator.locator('#csv-requests').click(),
  ]);
  expect(download.suggestedFilename()).toBe('facttic-requests.csv');
  const lines = fs.readFileSync(await download.path(), 'utf8').trim().split('\n');
  expect(lines[0]).toBe('month,confirmed,declined,rejected,expired,withdrawn,waiting,total');
  expect(lines).toHaveLength(13);

  // Not for the network's members.
  const host = await loggedInPage(await newContext(), HOST);
  const response = await host.goto('/networks/facttic/dashboard');
  expect(response?.status()).toBe(403);
  await expect(host.locator('#chart-requests')).toHaveCount(0);
});

test('a member finds the co-ops that ask for the skills they bring, each match shown', async ({ newContext }) => {
  const traveller = await loggedInPage(await newContext(), TRAVELLER);
  const checkIn = addDays(TODAY, 40);
  const search = `/search?place=Buenos+Aires&check_in=${checkIn}&check_out=${addDays(checkIn, 2)}&radius=400`;
  await open(traveller, search);
  const hits = traveller.locator('#search-results li.search-hit');
  const all = await hits.count();
  expect(all, 'offers around Buenos Aires').toBeGreaterThan(0);
  // Each host co-op's reputation in the member's networks, as on its page; a visitor sees none.
  const telar = hits.filter({ hasText: 'Telar Sur' }).first();
  await expect(telar.locator('p.reputation[data-new="false"]')).toContainText('guest-nights hosted');
  const visitor = await (await newContext()).newPage();
  await open(visitor, search);
  await expect(visitor.locator('#search-results li.search-hit').first()).toBeVisible();
  await expect(visitor.locator('#search-results p.reputation')).toHaveCount(0);
  await open(traveller, `${search}&skills=mine`);
  await expect(traveller.locator('#skills')).toBeChecked();
  const matching = await hits.count();
  expect(matching, 'some ask for Rust or facilitation, not all').toBeGreaterThan(0);
  expect(matching).toBeLessThan(all);
  for (let i = 0; i < matching; i++) {
    await expect(hits.nth(i).locator('.badge[data-brought="true"]').first()).toBeVisible();
  }
});
