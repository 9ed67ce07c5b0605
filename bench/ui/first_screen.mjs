// Time to first screen of every page of the web UI, in headless Debian
// chromium, against a running `marsad serve` (MARSAD_URL). For each page:
// when its first screen is visible (the page's own content, not the
// spinner), how many /api requests it made and how many bytes they
// brought by then, the largest response, and when it settled (no request
// in flight for 500 ms; capped at 60 s). Prints a Markdown table.
//
// Run by bench/ui_first_screen.sh, which builds, ingests and serves. Needs
// @playwright/test from crates/marsad-server/tests/browser/node_modules.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(HERE, '../../crates/marsad-server/tests/browser/package.json'));
const { chromium } = require('@playwright/test');

const BASE = (process.env.MARSAD_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
const CAP_MS = +(process.env.SETTLE_CAP_MS || 60000);

async function json(path) {
  const r = await fetch(BASE + '/api/' + path);
  return r.json();
}

// A document, an entity and a search word from the store itself.
const stats = await json('stats');
const top = await json('entities?limit=1&doc_ids=0');
const entity = top.entities && top.entities[0] ? top.entities[0].id : null;
const word = process.env.QUERY || 'السعودية';
const hits = await json('search?q=' + encodeURIComponent(word) + '&limit=1');
const doc = hits.hits && hits.hits[0] ? hits.hits[0].doc : null;

const PAGES = [
  ['home', '', '.overview .stats'],
  ['search', 'search?q=' + encodeURIComponent(word), '.hit'],
  ['document', doc ? 'doc/' + doc : null, 'article.doc-text'],
  ['entities', 'entities', '.entity-card'],
  ['entity', entity ? 'entity/' + entity : null, '.entity-head'],
  ['quotes', 'quotes', '.speaker-group'],
  ['timeline', 'timeline', '.tl-card, .tl-item'],
  ['graph', 'graph', 'svg.graph g.node'],
  ['stories', 'stories', '.story'],
  ['reuse', 'reuse', '.reuse-group'],
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const rows = [];
for (const [name, route, sel] of PAGES) {
  if (route === null) continue;
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ar' });
  const page = await ctx.newPage();
  // warm the static assets so the figure is about the data, not the cache
  await page.goto(BASE + '/#/nonexistent-page');
  await page.waitForLoadState('networkidle');
  const reqs = [];
  let inflight = 0;
  let lastActivity = Date.now();
  page.on('request', (r) => { if (r.url().includes('/api/')) { inflight++; lastActivity = Date.now(); reqs.push({ url: r.url(), bytes: 0, done: false }); } });
  const finish = async (r) => {
    if (!r.url().includes('/api/')) return;
    inflight--; lastActivity = Date.now();
    const rec = reqs.find((x) => x.url === r.url() && !x.done);
    if (rec) {
      rec.done = true;
      try { const s = await r.sizes(); rec.bytes = s.responseBodySize; } catch { /* aborted */ }
    }
  };
  page.on('requestfinished', finish);
  page.on('requestfailed', finish);
  const t0 = Date.now();
  await page.evaluate((h) => { location.hash = h; }, '#/' + route);
  let first = null;
  try {
    await page.locator(sel).first().waitFor({ state: 'visible', timeout: CAP_MS });
    first = Date.now() - t0;
  } catch { /* never */ }
  const reqAtFirst = reqs.length;
  const bytesAtFirst = reqs.reduce((a, r) => a + r.bytes, 0);
  let settled = null;
  while (Date.now() - t0 < CAP_MS) {
    if (inflight <= 0 && Date.now() - lastActivity > 500) { settled = lastActivity - t0; break; }
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 200));
  const total = reqs.reduce((a, r) => a + r.bytes, 0);
  const largest = reqs.reduce((a, r) => Math.max(a, r.bytes), 0);
  rows.push({ name, first, reqAtFirst, bytesAtFirst, requests: reqs.length, total, largest, settled });
  await ctx.close();
}
await browser.close();

const kb = (b) => (b / 1024).toFixed(b < 10240 ? 1 : 0) + ' KB';
const ms = (t) => (t === null ? `> ${CAP_MS / 1000} s` : t < 1000 ? `${t} ms` : `${(t / 1000).toFixed(1)} s`);
console.log(`${stats.documents} documents at ${BASE}`);
console.log('');
console.log('| page | first screen | API requests by then | API bytes by then | API requests in all | API bytes in all | largest response | last API response |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.name} | ${ms(r.first)} | ${r.reqAtFirst} | ${kb(r.bytesAtFirst)} | ${r.requests} | ${kb(r.total)} | ${kb(r.largest)} | ${ms(r.settled)} |`);
}
