// Browser tests of the Marsad web UI against a server over the seed corpus
// (started by ../run.sh). They assert on entity names, document id prefixes
// and years only, never on article sentences.
import { test, expect } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ART = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts');
mkdirSync(ART, { recursive: true });
const shot = (page, name) => page.screenshot({ path: join(ART, name), fullPage: true });
const hash = (route) => '/#/' + route;

// Every request must stay on the Marsad server: nothing from a CDN.
test.beforeEach(async ({ page, baseURL }) => {
  const origin = new URL(baseURL).origin;
  page.foreign = [];
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) page.foreign.push(u);
  });
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  // every asset the page loads exists
  page.on('response', (r) => {
    if (r.url().includes('/assets/') && r.status() >= 400) page.errors.push(`${r.status()} ${r.url()}`);
  });
});
test.afterEach(async ({ page }) => {
  // no placeholder values leaked into the page
  await expectNoPlaceholders(page);
  expect(page.foreign, 'requests outside the Marsad server').toEqual([]);
  expect(page.errors, 'uncaught errors in the page').toEqual([]);
});

async function expectNoPlaceholders(page) {
  const text = await page.evaluate(() => document.querySelector('main')?.innerText || '');
  expect(text).not.toMatch(/\b(null|undefined|NaN)\b|\[object Object\]/);
}

async function expectRtlAndFont(page) {
  expect(await page.evaluate(() => getComputedStyle(document.body).direction)).toBe('rtl');
  expect(await page.evaluate(() => document.documentElement.getAttribute('dir'))).toBe('rtl');
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('ar');
  const font = await page.evaluate(async () => {
    await document.fonts.ready;
    await document.fonts.load('16px "Noto Naskh Arabic"', 'بوتين');
    const faces = [...document.fonts].filter((f) => f.family.replace(/"/g, '') === 'Noto Naskh Arabic');
    return {
      check: document.fonts.check('16px "Noto Naskh Arabic"', 'بوتين'),
      loaded: faces.filter((f) => f.status === 'loaded').length,
      family: getComputedStyle(document.body).fontFamily,
    };
  });
  expect(font.family).toMatch(/^"?Noto Naskh Arabic"?/);
  expect(font.check).toBe(true);
  expect(font.loaded).toBeGreaterThan(0);
}

test('search بيسكوف shows documents 002_ and 004_ with highlighted snippets', async ({ page }) => {
  await page.goto(hash('search?q=' + encodeURIComponent('بيسكوف')));
  const hits = page.locator('.hit');
  await expect(hits.first()).toBeVisible();
  const docs = await hits.evaluateAll((els) => els.map((e) => e.dataset.doc));
  expect(docs.some((d) => d.startsWith('002_'))).toBe(true);
  expect(docs.some((d) => d.startsWith('004_'))).toBe(true);
  for (const prefix of ['002_', '004_']) {
    const mark = page.locator(`.hit[data-doc^="${prefix}"] .snippet mark`).first();
    await expect(mark).toBeVisible();
    await expect(mark).toHaveText(/بيسكوف/);
    // the mark is a real highlight, not escaped markup shown as text
    await expect(page.locator(`.hit[data-doc^="${prefix}"] .snippet`)).not.toContainText('<mark>');
  }
  await expect(page.locator('.result-count')).toBeVisible();
  await expectRtlAndFont(page);
  // the query syntax help is there
  await expect(page.locator('details.help summary')).toHaveText('صيغة البحث');
  await shot(page, 'search.png');
});

test('search without results and a malformed query are explained in Arabic', async ({ page }) => {
  await page.goto(hash('search?q=' + encodeURIComponent('كلمةغيرموجودةأبدا')));
  await expect(page.locator('.notice-empty')).toContainText('لا توجد نتائج');
  await page.goto(hash('search?q=' + encodeURIComponent('"بوتين')));
  // either the server accepts the unclosed quote or it explains the error
  await expect(page.locator('.hit, .notice-error, .notice-empty').first()).toBeVisible();
});

test('document view renders RTL text with entities, quotes and dates highlighted', async ({ page }) => {
  await page.goto(hash('search?q=' + encodeURIComponent('بيسكوف')));
  await page.locator('.hit[data-doc^="002_"] .hit-title a').click();
  await expect(page).toHaveURL(/#\/doc\/002_/);
  const text = page.locator('article.doc-text');
  await expect(text).toBeVisible();
  expect(await text.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
  // entity highlights come from byte offsets: the spans must cover whole names
  const putin = text.locator('a.ent.ent-person', { hasText: 'بوتين' }).first();
  await expect(putin).toBeVisible();
  await expect(putin).toHaveText(/^(فلاديمير )?بوتين$/);
  const peskov = text.locator('a.ent.ent-person', { hasText: 'بيسكوف' }).first();
  await expect(peskov).toHaveText(/^(ديمتري )?بيسكوف$/);
  expect(await text.locator('a.ent').count()).toBeGreaterThan(5);
  expect(await text.locator('.quote').count()).toBeGreaterThan(0);
  await expect(text.locator('time.date', { hasText: '2019' }).first()).toBeVisible();
  // highlighted entities are visibly coloured
  const bg = await putin.evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(bg).not.toBe('rgba(0, 0, 0, 0)');
  // removed boilerplate lives apart, collapsed
  await expect(page.locator('details.removed')).toHaveCount(1);
  await expectRtlAndFont(page);
  await shot(page, 'document.png');
  // an entity highlight opens the entity profile
  await putin.click();
  await expect(page).toHaveURL(/#\/entity\//);
  await expect(page.locator('h1')).toContainText('بوتين');
});

test('a missing document shows an Arabic error', async ({ page }) => {
  await page.goto(hash('doc/999_nonexistent'));
  await expect(page.locator('.notice-error, .notice-empty').first()).toBeVisible();
  await expect(page.locator('.notice-error, .notice-empty').first()).toContainText(/[\u0600-\u06FF]/);
});

test('timeline shows events from 2019 and 2023, zooms, and links to evidence', async ({ page }) => {
  await page.goto(hash('timeline'));
  const cards = page.locator('.tl-card');
  await expect(cards.first()).toBeVisible();
  expect(await cards.count()).toBeGreaterThan(3);
  await expect(page.locator('.tl-list')).toContainText('2019');
  await expect(page.locator('.tl-list')).toContainText('2023');
  await expect(page.locator('.tl-card', { hasText: '2019' }).first()).toBeAttached();
  await expect(page.locator('.tl-card', { hasText: '2023' }).first()).toBeAttached();
  // event types are shown with the server's Arabic labels, never as keys
  const pills = await page.locator('.tl-list .pill').allTextContents();
  expect(pills.length).toBeGreaterThan(0);
  for (const p of pills) expect(p, 'an event type shown as its key').not.toMatch(/^[a-z_]+$/);
  await shot(page, 'timeline.png');
  // zoom with the button and with the wheel
  const inner = page.locator('.tl-inner');
  const w0 = await inner.evaluate((el) => el.offsetWidth);
  await page.getByRole('button', { name: 'تكبير' }).click();
  const w1 = await inner.evaluate((el) => el.offsetWidth);
  expect(w1).toBeGreaterThan(w0);
  await page.locator('.tl-viewport').hover();
  await page.mouse.wheel(0, -300);
  await expect.poll(() => inner.evaluate((el) => el.offsetWidth)).toBeGreaterThan(w1);
  // every event links to its evidence document
  const href = await page.locator('.tl-list .doc-link').first().getAttribute('href');
  expect(href).toMatch(/^#\/doc\/\d{3}_/);
});

test('actor graph shows the Putin node and clicking it opens the entity page', async ({ page }) => {
  await page.goto(hash('graph'));
  const nodes = page.locator('svg.graph g.node');
  await expect(nodes.first()).toBeAttached();
  expect(await nodes.count()).toBeGreaterThan(10);
  const putin = page.locator('svg.graph g.node[aria-label*="بوتين"]').first();
  await expect(putin).toBeVisible();
  await expect(putin.locator('text')).toBeVisible();
  await expect(page.locator('svg.graph')).toHaveAttribute('data-settled', 'true', { timeout: 20_000 });
  await shot(page, 'graph.png');
  await putin.locator('circle').click();
  await expect(page).toHaveURL(/#\/entity\/P-/);
  await expect(page.locator('h1')).toContainText('بوتين');
  await expect(page.locator('.entity-grid')).toBeVisible();
  await shot(page, 'entity.png');
});

test('who said what groups quotes by speaker', async ({ page }) => {
  await page.goto(hash('quotes'));
  await expect(page.locator('.speaker-group').first()).toBeVisible();
  await expect(page.locator('.speaker-group h2 a', { hasText: 'بوتين' }).first()).toBeVisible();
  await shot(page, 'quotes.png');
});

test('home, stories, reuse and entities pages render without errors', async ({ page }) => {
  for (const [route, sel] of [['', '.overview .stats'], ['stories', '.story, .notice-empty'], ['reuse', '.reuse-group, .notice-empty'], ['entities', '.entity-card']]) {
    await page.goto(hash(route));
    await expect(page.locator(sel).first()).toBeVisible();
    await expect(page.locator('.notice-error')).toHaveCount(0);
    await shot(page, `${route || 'home'}.png`);
  }
});

test('phone width: search is readable with no horizontal scrolling', async ({ browser, baseURL }) => {
  const ctx = await browser.newContext({ baseURL, viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'ar' });
  const page = await ctx.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  await page.goto(hash('search?q=' + encodeURIComponent('بيسكوف')));
  await expect(page.locator('.hit').first()).toBeVisible();
  await expectRtlAndFont(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expect(page.locator('.nav-toggle')).toBeVisible();
  await page.screenshot({ path: join(ART, 'search-phone.png'), fullPage: true });
  await page.goto(hash('doc/' + (await page.locator('.hit').first().getAttribute('data-doc'))));
  await expect(page.locator('article.doc-text')).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: join(ART, 'document-phone.png') });
  await expectNoPlaceholders(page);
  expect(page.errors).toEqual([]);
  await ctx.close();
});
