/**
 * Accounts, co-ops and networks: the golden path, in real Chromium, written against the HTML contract:
 *
 *   /signup   <form id="signup-form"> #email #display_name #password <button type="submit">
 *   /login    <form id="login-form">  #email #password (hidden `next`) <button type="submit">
 *   /account  <p id="account-identity">name · email</p>  <a href="/coops/new">  <form id="logout-form">
 *             <form id="email-form"> #new_email #email_current_password   <form id="logout-elsewhere-form">
 *   /forgot   <form id="forgot-form"> #email → /forgot/sent <p id="forgot-sent">
 *   /reset?token=…          <form id="reset-form"> #new_password → /account?reset=1 <p id="reset-done">
 *   /email/confirm?token=…  <form id="email-confirm-form"> → /account?email=changed <p id="email-changed">
 *   /account  <a id="export-link" href="/api/auth/export">  <form id="delete-form"> #delete_current_password
 *             [name=confirm] → /?deleted=1 <p id="account-deleted">
 *   header    <a id="nav-account">display name</a> when logged in; <a id="nav-login"> and <a id="nav-signup"> if not
 *   /coops/new          <form id="coop-form"> #slug #name #country #city #lat #lon #website #description #languages
 *   /coops/<slug>       <h1>name</h1> <dd id="public-location">lat, lon (3 decimals, fuzzed 500–1500 m)</dd>
 *                       <ul id="coop-networks"> <li data-network="…" data-status="pending|verified|revoked">
 *                       host admins: <form id="join-form"> <select id="network"> <textarea id="note">
 *   /networks/<slug>    <ul id="verified-coops"> <li data-slug="…">
 *                       coordinators: <ul id="verification-queue"> <li class="queue-item" data-slug="…">
 *                         <input name="note"> <button name="decision" value="verify|revoke">
 *                       <table id="audit-trail"> rows <tr data-action="membership_verified">: when · who · what · co-op · note
 *   errors    <p class="form-error" role="alert"> next to the form
 *
 * Forms are Leptos ActionForms: with JavaScript they post with fetch and the client follows the server's
 * redirect without reloading; without JavaScript they are plain posts answered with a redirect.
 *
 * Log-in and sign-up are rate-limited per address (a burst of 10, then 1 every 6 s): this file makes six such
 * posts per run (three sign-ups, seven log-ins, a reset asked and used, an address confirmed), so back-to-back runs of the whole suite may meet a 429.
 */
import type { Locator, Page } from '@playwright/test';
import {
  confirmationLink,
  expect,
  expectNoSeriousViolations,
  inDays,
  mailedLink,
  test,
  waitForHydration,
} from './fixtures';

const DEMO_PASSWORD = 'coop-travel-demo';
const HOST = 'host@demo.coop';
const COORDINATOR = 'coordinator@demo.coop';
const SESSION_COOKIE = '__Host-ct_session';
/** A server-function round trip plus the client-side navigation or re-render that follows it. */
const ACTION_TIMEOUT = 10_000;

/** Unique per run (and per call), safe in e-mail addresses and slugs. */
function unique(): string {
  return `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
}

const heading = (page: Page): Locator => page.locator('main#main h1');
const submitButton = (page: Page, form: string): Locator => page.locator(`form#${form} button[type="submit"]`);

/**
 * Clicks `button` and waits until the page is at `pathname`. Fails early with the form's error text if the form
 * shows one instead (e.g. a validation error, or 429 from the rate limit).
 */
async function submitAndExpectPath(page: Page, button: Locator, pathname: string | RegExp): Promise<void> {
  await button.click();
  await expect(async () => {
    const errors = await page.locator('.form-error').allInnerTexts();
    expect(errors, 'the form should be accepted, not show an error').toEqual([]);
    const path = new URL(page.url()).pathname;
    if (typeof pathname === 'string') expect(path, 'where the form leads').toBe(pathname);
    else expect(path, 'where the form leads').toMatch(pathname);
  }).toPass({ timeout: ACTION_TIMEOUT });
}

/** Opens /login, waits for hydration and logs in with the form (so the JavaScript path). */
async function logIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  const response = await page.goto('/login');
  expect(response?.status(), 'GET /login should answer 200').toBe(200);
  await waitForHydration(page);
  await page.locator('form#login-form #email').fill(email);
  await page.locator('form#login-form #password').fill(password);
  await submitAndExpectPath(page, submitButton(page, 'login-form'), '/account');
  await expect(page.locator('#nav-account'), 'the header links to the account').toBeVisible();
}

/** Great-circle distance in metres. */
function distanceMetres([lat1, lon1]: [number, number], [lat2, lon2]: [number, number]): number {
  const rad = (deg: number): number => (deg * Math.PI) / 180;
  const a =
    Math.sin(rad(lat2 - lat1) / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(rad(lon2 - lon1) / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(a));
}

// ---------------------------------------------------------------------------------------------
// Tests.
// ---------------------------------------------------------------------------------------------

test('a new member signs up, creates a co-op and asks to join a network; a coordinator verifies it', async ({
  page,
  newContext,
}) => {
  test.slow();
  const n = unique();
  const email = `e2e-${n}@example.org`;
  const displayName = `E2E Member ${n}`;
  const password = `orchard-llama-tandem-${n}`;
  const slug = `e2e-coop-${n}`;
  const coopName = `E2E Co-op ${n}`;
  const exact: [number, number] = [-34.9058, -56.1913];

  // --- Sign up (JavaScript on: the form is still a plain post; the page script shows it is being sent).
  const signup = await page.goto('/signup');
  expect(signup?.status(), 'GET /signup should answer 200').toBe(200);
  await waitForHydration(page);
  await page.locator('form#signup-form #email').fill(email);
  await page.locator('form#signup-form #display_name').fill(displayName);
  await page.locator('form#signup-form #password').fill(password);
  await submitAndExpectPath(page, submitButton(page, 'signup-form'), '/signup/sent');
  await expect(page.locator('#signup-sent')).toBeVisible();

  // --- Confirm the address with the e-mailed link (the link opens a page; its button confirms and logs in).
  await page.goto(await confirmationLink(email));
  await waitForHydration(page);
  await submitAndExpectPath(page, submitButton(page, 'verify-form'), '/account');
  await expect(page.locator('#account-identity')).toContainText(displayName);
  await expect(page.locator('#account-identity')).toContainText(email);
  await expect(page.locator('header #nav-account'), 'the header shows who is logged in').toHaveText(displayName);
  await expect(page.locator('header #nav-login'), 'no log-in link once logged in').toHaveCount(0);

  // --- Create a co-op.
  const createLink = page.getByRole('link', { name: 'Create a co-op' });
  await expect(createLink).toHaveAttribute('href', '/coops/new');
  await createLink.click();
  await expect(page).toHaveURL((url) => url.pathname === '/coops/new');
  const form = page.locator('form#coop-form');
  await form.locator('#slug').fill(slug);
  await form.locator('#name').fill(coopName);
  await form.locator('#country').fill('UY');
  await form.locator('#city').fill('Montevideo');
  await form.locator('#lat').fill(String(exact[0]));
  await form.locator('#lon').fill(String(exact[1]));
  await form.locator('#website').fill('https://e2e.coop.example');
  await form.locator('#description').fill('A co-op created by the end-to-end tests.');
  await form.locator('#languages').fill('es, en');
  await submitAndExpectPath(page, submitButton(page, 'coop-form'), `/coops/${slug}`);
  await expect(heading(page)).toHaveText(coopName);

  // The public location is fuzzed: at least 500 m from the exact point (shown with 3 decimals, so allow for rounding).
  const location = page.locator('#public-location');
  await expect(location).toHaveText(/^\s*-?\d+\.\d{3}, -?\d+\.\d{3}\s*$/);
  const shown = (await location.innerText()).trim();
  expect(shown, 'the exact location must not be shown').not.toBe('-34.906, -56.191');
  const [lat, lon] = shown.split(',').map((part) => Number(part.trim()));
  const metres = distanceMetres(exact, [lat, lon]);
  expect(metres, `public location ${shown} should be ≥ 500 m from the exact one (less rounding)`).toBeGreaterThan(420);
  expect(metres, `public location ${shown} should stay within 1500 m of the exact one (plus rounding)`).toBeLessThan(
    1_580,
  );

  // --- Ask to join Patio.
  const join = page.locator('form#join-form');
  await join.locator('select#network').selectOption('patio');
  await join.locator('textarea#note').fill('We would like to host travellers from Patio.');
  await join.locator('button[type="submit"]').click();
  await expect(page.locator('#coop-networks li[data-network="patio"]'), 'the request is pending').toHaveAttribute(
    'data-status',
    'pending',
    { timeout: ACTION_TIMEOUT },
  );
  await expect(page.locator('form#join-form .form-error')).toHaveCount(0);

  // --- Log out.
  await page.goto('/account');
  await waitForHydration(page);
  await submitAndExpectPath(page, submitButton(page, 'logout-form'), '/');
  await expect(page.locator('header #nav-login'), 'the header offers to log in again').toBeVisible();
  await expect(page.locator('header #nav-account')).toHaveCount(0);
  // The server deletes the session; the browser must drop the cookie too (a `__Host-` cookie is only replaced or
  // removed by a Set-Cookie that is itself `Secure; Path=/`). Soft, so the rest of the path still runs.
  expect
    .soft(
      (await page.context().cookies()).map((cookie) => cookie.name),
      'log-out removes the session cookie from the browser',
    )
    .not.toContain(SESSION_COOKIE);

  // --- A coordinator of Patio verifies the co-op, in a context of their own.
  const coordinatorContext = await newContext();
  const coordinator = await coordinatorContext.newPage();
  await logIn(coordinator, COORDINATOR);
  await coordinator.goto('/networks/patio');
  await waitForHydration(coordinator);
  const item = coordinator.locator(`#verification-queue li.queue-item[data-slug="${slug}"]`);
  await expect(item, 'the new co-op waits in the verification queue').toBeVisible();
  await item.locator('input[name="note"]').fill('Statutes checked');
  await item.locator('button[name="decision"][value="verify"]').click();
  await expect(item, 'a verified co-op leaves the queue').toHaveCount(0, { timeout: ACTION_TIMEOUT });
  await expect(coordinator.locator(`#verified-coops li[data-slug="${slug}"]`), 'and is listed as verified').toBeVisible();
  const auditRow = coordinator
    .locator('#audit-trail tbody tr[data-action="membership_verified"]')
    .filter({ hasText: coopName })
    .filter({ hasText: 'Statutes checked' });
  await expect(auditRow, 'the decision is in the audit trail, with its note').toHaveCount(1);

  // --- Anyone (the first context, now logged out) sees the co-op verified in Patio.
  const coopPage = await page.goto(`/coops/${slug}`);
  expect(coopPage?.status()).toBe(200);
  await waitForHydration(page);
  await expect(page.locator('#coop-networks li[data-network="patio"][data-status="verified"]')).toBeVisible();
  await expect(page.locator('form#join-form'), 'a visitor cannot ask to join on the co-op’s behalf').toHaveCount(0);
});

test.describe(() => {
  test.use({ javaScriptEnabled: false });

  test('without JavaScript, signing up and logging in are plain forms', async ({ page, newContext }) => {
    const n = unique();
    const email = `e2e-nojs-${n}@example.org`;
    const displayName = `E2E No-JS ${n}`;

    await page.goto('/signup');
    await page.locator('form#signup-form #email').fill(email);
    await page.locator('form#signup-form #display_name').fill(displayName);
    await page.locator('form#signup-form #password').fill(`orchard-llama-tandem-${n}`);
    await Promise.all([page.waitForEvent('load'), submitButton(page, 'signup-form').click()]);
    await expect(page, 'the plain post is answered with a redirect to "check your inbox"').toHaveURL(
      (url) => url.pathname === '/signup/sent',
    );
    await page.goto(await confirmationLink(email));
    await Promise.all([page.waitForEvent('load'), submitButton(page, 'verify-form').click()]);
    await expect(page, 'confirming is a plain post too, answered with a redirect to the account').toHaveURL(
      (url) => url.pathname === '/account',
    );
    await expect(page.locator('#account-identity')).toContainText(displayName);
    await expect(page.locator('header #nav-account')).toHaveText(displayName);
    await expect(page.locator('body'), 'no script ran').not.toHaveAttribute('data-hydrated');

    // A wrong password, from a fresh context without JavaScript: back on /login with an alert.
    const other = await newContext({ javaScriptEnabled: false });
    const login = await other.newPage();
    await login.goto('/login');
    await login.locator('form#login-form #email').fill(email);
    await login.locator('form#login-form #password').fill('not-the-password-at-all');
    await Promise.all([login.waitForEvent('load'), submitButton(login, 'login-form').click()]);
    await expect(login, 'a refused log-in redirects back to the form (not to the raw server-function response)').toHaveURL(
      (url) => url.pathname === '/login',
    );
    const error = login.locator('form#login-form .form-error');
    await expect(error).toHaveAttribute('role', 'alert');
    await expect(error).toContainText('not right');
    await expect(login.locator('form#login-form #email'), 'the address comes back as typed').toHaveValue(email);
    await expect(login.locator('form#login-form #password'), 'the password never does').toHaveValue('');
    await expect(login.locator('header #nav-login'), 'still logged out').toBeVisible();
  });
});

test('in Spanish, without JavaScript: sign up, reset a forgotten password, change the address, export, delete', async ({
  newContext,
}) => {
  test.slow();
  const n = unique();
  const email = `e2e-olvido-${n}@example.org`;
  const moved = `e2e-nueva-${n}@example.org`;
  const password = `orchard-llama-tandem-${n}`;
  const newPassword = `juniper-kettle-harbour-${n}`;
  const spanish = { javaScriptEnabled: false, locale: 'es-AR', extraHTTPHeaders: { 'Accept-Language': 'es-AR' } };
  const page = await (await newContext(spanish)).newPage();

  // --- Sign up and confirm the address.
  await page.goto('/signup');
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await page.locator('form#signup-form #email').fill(email);
  await page.locator('form#signup-form #display_name').fill(`Olvido ${n}`);
  await page.locator('form#signup-form #password').fill(password);
  await submitAndExpectPath(page, submitButton(page, 'signup-form'), '/signup/sent');
  await page.goto(await confirmationLink(email));
  await submitAndExpectPath(page, submitButton(page, 'verify-form'), '/account');

  // A second browser, logged in before the reset.
  const other = await (await newContext(spanish)).newPage();
  await other.goto('/login');
  await other.locator('form#login-form #email').fill(email);
  await other.locator('form#login-form #password').fill(password);
  await submitAndExpectPath(other, submitButton(other, 'login-form'), '/account');

  // --- Forget the password: the link comes by e-mail.
  await submitAndExpectPath(page, submitButton(page, 'logout-form'), '/');
  await page.goto('/login');
  await page.locator('#forgot-link').click();
  await expect(page).toHaveURL((url) => url.pathname === '/forgot');
  await page.locator('form#forgot-form #email').fill(email);
  await submitAndExpectPath(page, submitButton(page, 'forgot-form'), '/forgot/sent');
  await expect(page.locator('#forgot-sent')).toContainText('Si una cuenta tiene esta dirección');

  await page.goto(await mailedLink(email, '/reset'));
  await page.locator('form#reset-form #new_password').fill(newPassword);
  await submitAndExpectPath(page, submitButton(page, 'reset-form'), '/account');
  await expect(page.locator('#reset-done')).toContainText('Tu contraseña nueva está guardada');
  await expect(page.locator('#account-identity')).toContainText(email);
  await other.goto('/account');
  await expect(other.locator('header #nav-login'), 'the session from before the reset ended').toBeVisible();

  // --- Change the address: a link to the new one, opened there.
  const emailForm = page.locator('form#email-form');
  await emailForm.locator('#new_email').fill(moved);
  await emailForm.locator('#email_current_password').fill(newPassword);
  await submitAndExpectPath(page, emailForm.locator('button[type="submit"]'), '/account');
  await expect(emailForm.locator('.form-done')).toContainText('Va en camino un enlace a la dirección nueva');
  await expect(page.locator('#account-identity'), 'nothing changes before the link is opened').toContainText(email);

  await page.goto(await mailedLink(moved, '/email/confirm'));
  await submitAndExpectPath(page, submitButton(page, 'email-confirm-form'), '/account');
  await expect(page.locator('#email-changed')).toContainText('Tu cuenta tiene su nueva dirección');
  await expect(page.locator('#account-identity')).toContainText(moved);
  await expect(page.locator('body'), 'no script ran').not.toHaveAttribute('data-hydrated');

  // The new address and the new password log in.
  const third = await (await newContext(spanish)).newPage();
  await third.goto('/login');
  await third.locator('form#login-form #email').fill(moved);
  await third.locator('form#login-form #password').fill(newPassword);
  await submitAndExpectPath(third, submitButton(third, 'login-form'), '/account');

  // --- Download my data, then delete the account: personal data erased, every session ended.
  const exported = await page.request.get('/api/auth/export');
  expect(exported.status()).toBe(200);
  expect(exported.headers()['content-disposition']).toContain('attachment');
  expect((await exported.json()).profile.email).toBe(moved);
  const deleteForm = page.locator('form#delete-form');
  await deleteForm.locator('#delete_current_password').fill(newPassword);
  await deleteForm.locator('input[name="confirm"]').check();
  await submitAndExpectPath(page, deleteForm.locator('button[type="submit"]'), '/');
  await expect(page.locator('#account-deleted')).toContainText('Tu cuenta está borrada');
  await expect(page.locator('header #nav-login')).toBeVisible();
  await third.goto('/account');
  await expect(third.locator('header #nav-login'), 'every other session ended too').toBeVisible();
  await third.goto('/login');
  await third.locator('form#login-form #email').fill(moved);
  await third.locator('form#login-form #password').fill(newPassword);
  await Promise.all([third.waitForEvent('load'), submitButton(third, 'login-form').click()]);
  await expect(third.locator('form#login-form .form-error')).toContainText('no son correctas');
});

test("a refusal is said in the reader's language, by its rule and what it names", async ({ newContext }) => {
  // A wrong password, in Spanish, without JavaScript: the plain post comes back to the form with the rule.
  const spanish = await newContext({
    javaScriptEnabled: false,
    locale: 'es-AR',
    extraHTTPHeaders: { 'Accept-Language': 'es-AR' },
  });
  const login = await spanish.newPage();
  await login.goto('/login');
  await expect(login.locator('html')).toHaveAttribute('lang', 'es');
  await login.locator('form#login-form #email').fill(HOST);
  await login.locator('form#login-form #password').fill('not-the-password-at-all');
  await Promise.all([login.waitForEvent('load'), submitButton(login, 'login-form').click()]);
  const error = login.locator('form#login-form .form-error');
  await expect(error).toContainText('no son correctas');
  await expect(error).not.toContainText('not right');

  // A search from a night already past, in Portuguese: the dates are in the sentence.
  const portuguese = await newContext({ locale: 'pt-BR', extraHTTPHeaders: { 'Accept-Language': 'pt-BR' } });
  const search = await portuguese.newPage();
  const past = inDays(-10);
  await search.goto(`/search?place=Rosario&check_in=${past}&check_out=${inDays(-8)}`);
  await expect(search.locator('html')).toHaveAttribute('lang', 'pt');
  const notice = search.locator('main [role="alert"]');
  await expect(notice).toContainText(`A data de chegada ${past} já passou`);
  await expect(notice).not.toContainText('in the past');
});

test('a cross-origin form post is refused', async ({ request, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const evil = 'https://evil.example';

  const login = await request.post('/api/auth/login', {
    form: { email: HOST, password: DEMO_PASSWORD },
    headers: { Origin: evil },
    maxRedirects: 0,
  });
  expect(login.status(), 'log-in posted from another site').toBe(403);
  expect(login.headers()['set-cookie'], 'no session for a refused log-in').toBeUndefined();

  const crossLocale = await request.post('/locale', {
    form: { locale: 'es', next: '/' },
    headers: { Origin: evil },
    maxRedirects: 0,
  });
  expect(crossLocale.status(), 'language switch posted from another site').toBe(403);

  const anonymousLocale = await request.post('/locale', { form: { locale: 'es', next: '/' }, maxRedirects: 0 });
  expect(anonymousLocale.status(), 'a post with neither Origin nor Sec-Fetch-Site').toBe(403);

  const sameLocale = await request.post('/locale', {
    form: { locale: 'es', next: '/' },
    headers: { Origin: origin },
    maxRedirects: 0,
  });
  expect(sameLocale.status(), 'language switch posted from our own pages').toBe(303);
  expect(sameLocale.headers()['location']).toBe('/');
});

test('the account pages have no serious accessibility violations', async ({ page, newContext }) => {
  test.slow();
  const check = async (p: Page, path: string): Promise<void> => {
    const response = await p.goto(path);
    expect(response?.status(), `GET ${path}`).toBe(200);
    await waitForHydration(p);
    await expect(heading(p), `${path} has one <h1>`).toHaveCount(1);
    await expectNoSeriousViolations(p, path);
  };

  // Anonymous.
  await check(page, '/signup');
  await check(page, '/signup/sent');
  await check(page, '/verify?token=not-a-link');
  await check(page, '/login');

  // A host admin.
  await logIn(page, HOST);
  await check(page, '/account');
  await expect(page.locator('#account-identity')).toBeVisible();
  await check(page, '/coops/telar-sur');
  await expect(page.locator('form#join-form, nav.manage').first(), 'the host admin view').toBeVisible();
  await check(page, '/coops/telar-sur/members');
  await expect(page.locator('table.members')).toBeVisible();

  // A coordinator, with the verification queue and the audit trail.
  const coordinatorContext = await newContext();
  const coordinator = await coordinatorContext.newPage();
  await logIn(coordinator, COORDINATOR);
  await check(coordinator, '/networks/patio');
  await expect(coordinator.locator('#audit-trail')).toBeVisible();
});
