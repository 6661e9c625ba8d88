/**
 * Invitation letters (issue #13), against the HTML contract:
 *
 *   /stays/<id>         <section id="letters"> <form id="letter-form"> select#letter-language
 *                       <ul id="stay-letters"> <li data-state="valid|void" data-language="en|es|pt">
 *                       a[href$=".pdf"] (the PDF, while it stands)  a[href^="/letters/"] (its verification page)
 *                       <details class="letter-withdraw"> form input[name=note]
 *   /letters/<token>    public: <p id="letter-state" data-state="valid|void|unknown"> <dl id="letter-facts">
 *
 * The demo has a confirmed stay without a letter: Lucía's (traveller@demo.coop) couch nights at Diagonal Libre,
 * in La Plata, whose host admin is diagonal-libre@demo.coop.
 */
import { expect, loggedInPage, open, submit, test } from './fixtures';

const TRAVELLER = 'traveller@demo.coop';
const HOST = 'diagonal-libre@demo.coop';
const ADDRESS = 'Diagonal de los Tilos 1043';

test('the host co-op issues a letter, the traveller downloads it, anyone checks it until it is withdrawn', async ({
  newContext,
  baseURL,
}) => {
  const traveller = await loggedInPage(await newContext(), TRAVELLER);
  await open(traveller, '/stays');
  const line = traveller
    .locator('li.stay-line')
    .filter({ has: traveller.locator('[data-status="confirmed"]') })
    .filter({ hasText: 'Diagonal Libre' });
  await expect(line, 'one confirmed stay at Diagonal Libre').toHaveCount(1);
  const stay = (await line.locator('a').first().getAttribute('href')) as string;
  expect(stay).toMatch(/^\/stays\/\d+$/);
  await open(traveller, stay);
  await expect(traveller.locator('#letters'), 'no letter yet: the traveller is told to ask').toContainText('ask the host co-op');
  await expect(traveller.locator('form#letter-form'), 'only the host issues it').toHaveCount(0);

  const host = await loggedInPage(await newContext(), HOST);
  await open(host, stay);
  const form = host.locator('form#letter-form');
  await form.locator('#letter-language').selectOption('es');
  const spanish = host.locator('#stay-letters li[data-state="valid"][data-language="es"]');
  await submit(host, form, spanish);

  await open(traveller, stay);
  const letter = traveller.locator('#stay-letters li[data-state="valid"][data-language="es"]');
  await expect(letter).toHaveCount(1);
  const pdf = (await letter.locator('a[href$=".pdf"]').getAttribute('href')) as string;
  const [download] = await Promise.all([traveller.waitForEvent('download'), letter.locator('a[href$=".pdf"]').click()]);
  expect(download.suggestedFilename()).toBe(`invitation-${stay.split('/').pop()}-es.pdf`);
  const response = await traveller.request.get(pdf);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('application/pdf');
  expect((await response.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');

  // Anyone holding the letter opens its address: genuine, with what the letter says. The PDF itself is not public.
  const check = (await letter.locator('a[href^="/letters/"]').getAttribute('href')) as string;
  expect(pdf, 'the PDF prints the same token').toContain(check.split('/').pop() as string);
  const visaOffice = await (await newContext()).newPage();
  await open(visaOffice, check);
  await expect(visaOffice.locator('#letter-state')).toHaveAttribute('data-state', 'valid');
  const facts = visaOffice.locator('#letter-facts');
  await expect(facts).toContainText('Lucía Traveller');
  await expect(facts).toContainText('Diagonal Libre Cooperativa');
  await expect(facts).toContainText(ADDRESS);
  expect((await visaOffice.request.get(pdf)).status(), 'the PDF needs a logged-in party').toBe(401);
  // On a phone, in Spanish: the verdict and the facts fit the screen.
  const inSpanish = await newContext({ viewport: { width: 360, height: 740 } });
  // The language switcher's cookie, as choosing Español sets it.
  await inSpanish.addCookies([{ name: 'i18n_pref_locale', value: 'es', url: baseURL! }]);
  const phone = await inSpanish.newPage();
  await open(phone, check);
  await expect(phone.locator('#letter-state')).toHaveText('Esta carta es auténtica y está vigente.');
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  expect(width, 'the verification page fits 360 px').toBeLessThanOrEqual(360);
  const unknown = await visaOffice.goto('/letters/aaaaaaaaaaaaaaaaaaaa');
  expect(unknown?.status()).toBe(404);
  await expect(visaOffice.locator('#letter-state')).toHaveAttribute('data-state', 'unknown');

  // The host withdraws it: the same address now says it is no longer valid, and leaves out the address.
  await open(host, stay);
  const withdraw = host.locator('#stay-letters li[data-language="es"] details.letter-withdraw');
  await withdraw.locator('summary').click();
  await withdraw.locator('input[name="note"]').fill('Issued for the wrong dates.');
  await submit(host, withdraw.locator('form'), host.locator('#stay-letters li[data-state="void"][data-language="es"]'));
  await open(visaOffice, check);
  await expect(visaOffice.locator('#letter-state')).toHaveAttribute('data-state', 'void');
  await expect(visaOffice.locator('#letter-facts')).not.toContainText(ADDRESS);
  expect((await traveller.request.get(pdf)).status(), 'no PDF of a withdrawn letter').toBe(400);
});
