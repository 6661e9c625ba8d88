/**
 * Safety (issue #14), against the HTML contract:
 *
 *   /people/<id>        <div class="safety-controls"> a.report-link  <details class="block-person"> form#block-form
 *   /account/blocks     <ul id="blocks"> <li data-person> form (unblock)   <p id="no-blocks">
 *   /stays/<id>         <ol id="messages"> <li data-message> a.report-link
 *   /report?kind=&target=   form#report-form (input[name=reason] radios, #report-note)
 *   /moderation         <ol id="open-reports"> <li class="report" data-report data-kind> form.moderate-form
 *                       (input[name=action] dismiss|hide|warn|suspend, input[name=days], textarea[name=note])
 *
 * The people: Lucía (traveller@demo.coop) has an accepted request at Algarrobo Lab, whose host admin is
 * algarrobo-lab@demo.coop; Núria (viajera@demo.coop) withdrew her request at Hinterhof Code, whose host admin is
 * hinterhof-code@demo.coop; Ana (coordinator@demo.coop) coordinates Patio, the network of Núria's request.
 */
import type { Page } from '@playwright/test';
import { ACTION_TIMEOUT, DEMO_PASSWORD, expect, loggedInPage, open, submit, test } from './fixtures';

/** The address of `page`'s one stay line at the co-op named `coop`. */
async function stayAt(page: Page, coop: string): Promise<string> {
  await open(page, '/stays');
  const line = page.locator('li.stay-line').filter({ hasText: coop });
  await expect(line, `one stay at ${coop}`).toHaveCount(1);
  const stay = (await line.locator('a').first().getAttribute('href')) as string;
  expect(stay).toMatch(/^\/stays\/\d+$/);
  return stay;
}

test('a host blocks a traveller: she can no longer message them or find their offers, until unblocked', async ({
  newContext,
}) => {
  const traveller = await loggedInPage(await newContext(), 'traveller@demo.coop');
  const stay = await stayAt(traveller, 'Algarrobo Lab');
  await open(traveller, stay);
  const offer = (await traveller.locator('h1 a[href^="/offers/"]').getAttribute('href')) as string;

  const host = await loggedInPage(await newContext(), 'algarrobo-lab@demo.coop');
  await open(host, stay);
  await host.locator('a[href^="/people/"]').filter({ hasText: 'Lucía' }).first().click();
  await expect(host).toHaveURL(/\/people\/\d+$/);
  const profile = new URL(host.url()).pathname;
  await host.locator('details.block-person summary').click();
  await host.locator('form#block-form button[type="submit"]').click();
  await expect(host).toHaveURL(/\/account\/blocks$/, { timeout: ACTION_TIMEOUT });
  await expect(host.locator('#blocks li')).toContainText('Lucía');

  // Lucía cannot write in the thread, her profile is gone for the host, and the co-op's offers for her.
  await open(traveller, stay);
  const form = traveller.locator('form#message-form');
  await form.locator('textarea[name="body"]').fill('Are you there?');
  await form.locator('button[type="submit"]').click();
  await expect(traveller.locator('.form-error')).toContainText('blocked', { timeout: ACTION_TIMEOUT });
  await expect(traveller.locator('#messages')).not.toContainText('Are you there?');
  expect((await traveller.goto(offer))?.status(), 'the offer is not hers to see, nor to ask for').toBe(404);
  expect((await host.goto(profile))?.status()).toBe(404);

  // Lifted, it all comes back (and the rest of the suite finds the demo as it was).
  await open(host, '/account/blocks');
  const line = host.locator('#blocks li').filter({ hasText: 'Lucía' });
  await submit(host, line.locator('form'), host.locator('#no-blocks'));
  await open(traveller, offer);
});

test('a traveller reports a message; the coordinator suspends its author, whose session ends at once', async ({
  newContext,
}) => {
  const traveller = await loggedInPage(await newContext(), 'viajera@demo.coop');
  const stay = await stayAt(traveller, 'Hinterhof Code');

  const host = await loggedInPage(await newContext(), 'hinterhof-code@demo.coop');
  await open(host, stay);
  const write = host.locator('form#message-form');
  await write.locator('textarea[name="body"]').fill('Pay the deposit to my own account first, or no room.');
  await submit(host, write, host.locator('#messages').getByText('Pay the deposit'));

  await open(traveller, stay);
  const message = traveller.locator('#messages li').filter({ hasText: 'Pay the deposit' });
  await message.locator('a.report-link').click();
  await expect(traveller).toHaveURL(/\/report\?kind=message&target=\d+$/);
  await expect(traveller.locator('#report-subject')).toContainText('Pay the deposit');
  const report = traveller.locator('form#report-form');
  await report.locator('input[name="reason"][value="scam"]').check();
  await report.locator('#report-note').fill('Asks for money outside the platform.');
  await submit(traveller, report, traveller.locator('.form-done'));

  const coordinator = await loggedInPage(await newContext(), 'coordinator@demo.coop');
  await open(coordinator, '/moderation');
  const card = coordinator.locator('#open-reports li.report[data-kind="message"]').filter({ hasText: 'Pay the deposit' });
  await expect(card).toHaveCount(1);
  await expect(card).toContainText('Asks for money outside the platform.');
  const decide = card.locator('form.moderate-form');
  await decide.locator('input[name="action"][value="suspend"]').check();
  await decide.locator('textarea[name="note"]').fill('Scam attempt in a stay thread.');
  await submit(coordinator, decide, coordinator.locator('#handled-reports li.report[data-kind="message"]').filter({ hasText: 'Pay the deposit' }));

  // The host's session has ended: the next page is an anonymous one, and logging in again is refused.
  await host.goto(stay);
  await expect(host.locator('#nav-login')).toBeVisible();
  await expect(host.locator('#messages')).toHaveCount(0);
  await open(host, '/login');
  await host.locator('form#login-form #email').fill('hinterhof-code@demo.coop');
  await host.locator('form#login-form #password').fill(DEMO_PASSWORD);
  await host.locator('form#login-form button[type="submit"]').click();
  await expect(host.locator('.form-error')).toContainText('suspended', { timeout: ACTION_TIMEOUT });

  // The reporter hears that it was handled, not how.
  await open(traveller, '/notifications');
  await expect(traveller.locator('main')).toContainText('the moderators have handled your report');
});
