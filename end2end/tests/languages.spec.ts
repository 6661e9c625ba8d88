/**
 * Everything in the reader's language (issue #12): every page, logged out and as each role, in Spanish and in
 * Portuguese, shows none of the English wording. "English wording" is every phrase of two words or more in the
 * English locale file that the other language does not share (the demo's own texts — co-op names, offer
 * descriptions — are the co-ops' words, not ours, and are not checked).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, BrowserContextOptions, Page } from '@playwright/test';
import { expect, test } from './fixtures';

const DEMO_PASSWORD = 'coop-travel-demo';
const LOCALES = path.join(__dirname, '..', '..', 'app', 'locales');

/** Every string of a locale file, flattened. */
function strings(file: string): string[] {
  const walk = (value: unknown): string[] =>
    typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(walk) : [];
  return walk(JSON.parse(fs.readFileSync(path.join(LOCALES, file), 'utf8')));
}

/** The phrases of two words or more between the `{{ … }}` of the English strings that `language` lacks. */
function englishPhrases(language: string): string[] {
  const theirs = strings(`${language}.json`).join('\n');
  const phrases = new Set<string>();
  for (const text of strings('en.json')) {
    for (const part of text.split(/\{\{[^}]*\}\}/)) {
      const phrase = part.replace(/^[^A-Za-z]+|[^A-Za-z]+$/g, '');
      if (phrase.split(/\s+/).length >= 2 && !theirs.includes(phrase)) phrases.add(phrase);
    }
  }
  return [...phrases];
}

const PUBLIC = [
  '/',
  '/search',
  '/networks',
  '/networks/patio',
  '/coops/telar-sur',
  '/login',
  '/signup',
  '/forgot',
  '/letters/aaaaaaaaaaaaaaaaaaaa',
];
const ROLES: [string, string[]][] = [
  [
    'traveller@demo.coop',
    ['/stays', '/trips', '/notifications', '/account', '/account/blocks', '/people/1', '/coops/telar-sur', '/report?kind=coop&target=telar-sur'],
  ],
  ['host@demo.coop', ['/inbox', '/coops/telar-sur/offers', '/coops/telar-sur/edit', '/coops/telar-sur/members', '/notifications']],
  ['coordinator@demo.coop', ['/approvals', '/networks/patio', '/networks/facttic/dashboard', '/notifications', '/moderation']],
  ['admin@demo.coop', ['/moderation', '/admin/audit']],
];

type NewContext = (options?: BrowserContextOptions) => Promise<BrowserContext>;

async function inLanguage(newContext: NewContext, baseURL: string, language: string): Promise<Page> {
  const context = await newContext({ locale: language, extraHTTPHeaders: { 'Accept-Language': language } });
  // The switcher's cookie, as choosing the language sets it.
  await context.addCookies([{ name: 'i18n_pref_locale', value: language, url: baseURL }]);
  return context.newPage();
}

async function expectNoEnglish(page: Page, where: string, phrases: string[]): Promise<void> {
  const response = await page.goto(where);
  expect(response?.status(), `GET ${where}`).toBeLessThan(500);
  const text = `${await page.title()}\n${await page.locator('body').innerText()}`;
  const found = phrases.filter((phrase) => text.includes(phrase));
  expect(found, `English on ${where}`).toEqual([]);
}

for (const language of ['es', 'pt']) {
  test(`in ${language}, no page shows our English wording`, async ({ newContext, baseURL }) => {
    const phrases = englishPhrases(language);
    expect(phrases.length, 'the English locale has phrases to look for').toBeGreaterThan(100);
    const visitor = await inLanguage(newContext, baseURL!, language);
    for (const where of PUBLIC) await expectNoEnglish(visitor, where, phrases);
    for (const [email, pages] of ROLES) {
      const page = await inLanguage(newContext, baseURL!, language);
      await page.goto('/login');
      await page.locator('#login-form #email').fill(email);
      await page.locator('#login-form #password').fill(DEMO_PASSWORD);
      await Promise.all([page.waitForURL((url) => url.pathname === '/account'), page.locator('#login-form button[type="submit"]').click()]);
      for (const where of pages) await expectNoEnglish(page, where, phrases);
      if (email === 'traveller@demo.coop') {
        await page.goto('/stays');
        const stay = await page.locator('#my-stays li.stay-line a').first().getAttribute('href');
        // And a confirmed one, with its invitation letters' section.
        const confirmed = page.locator('#my-stays li.stay-line').filter({ has: page.locator('[data-status="confirmed"]') });
        const letters = await confirmed.locator('a').first().getAttribute('href');
        await expectNoEnglish(page, stay!, phrases);
        await expectNoEnglish(page, letters!, phrases);
      }
    }
  });
}
