// Marsad web UI: hash routing. Every page module exports render(main, route)
// and may return a cleanup function (called before the next page renders).
import { parseHash, errorBox, h, setTitle } from './util.js';
import * as search from './pages/search.js';
import * as doc from './pages/doc.js';
import * as entities from './pages/entities.js';
import * as entity from './pages/entity.js';
import * as quotes from './pages/quotes.js';
import * as timeline from './pages/timeline.js';
import * as graph from './pages/graph.js';
import * as stories from './pages/stories.js';
import * as reuse from './pages/reuse.js';

const ROUTES = {
  '': search, search, doc, entities, entity, quotes, timeline, graph, stories, reuse,
};
// which navigation entry is current for each route
const NAV_OF = { '': 'search', doc: 'search', entity: 'entities' };

let cleanup = null;
let renderSeq = 0;

async function route() {
  const hash = location.hash;
  // in-page anchors (the skip link) are not routes
  if (hash && !hash.startsWith('#/')) return;
  const r = parseHash(hash);
  const name = r.parts[0] || '';
  const page = ROUTES[name];
  const main = document.getElementById('main');
  if (typeof cleanup === 'function') { try { cleanup(); } catch { /* ignore */ } }
  cleanup = null;
  const seq = ++renderSeq;
  main.replaceChildren();
  main.setAttribute('aria-busy', 'true');
  const navKey = NAV_OF[name] ?? name;
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.route === navKey) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  closeNav();
  try {
    if (!page) {
      setTitle('صفحة غير موجودة');
      main.append(h('h1', null, 'صفحة غير موجودة'),
        h('p', null, 'لا توجد صفحة بهذا العنوان. ', h('a', { href: '#/' }, 'العودة إلى البحث')));
    } else {
      const c = await page.render(main, r, () => seq === renderSeq);
      if (seq === renderSeq) cleanup = c; else if (typeof c === 'function') c();
    }
  } catch (e) {
    console.error(e);
    if (seq === renderSeq) main.append(errorBox(e));
  } finally {
    if (seq === renderSeq) main.removeAttribute('aria-busy');
  }
  if (seq === renderSeq && route.moved) {
    // move focus to the page heading for screen-reader and keyboard users
    const h1 = main.querySelector('h1');
    if (h1) { h1.setAttribute('tabindex', '-1'); h1.focus({ preventScroll: true }); }
    window.scrollTo(0, 0);
  }
  route.moved = true;
}
route.moved = false;

function closeNav() {
  const t = document.querySelector('.nav-toggle');
  if (t) { t.setAttribute('aria-expanded', 'false'); document.body.classList.remove('nav-open'); }
}

function setup() {
  const t = document.querySelector('.nav-toggle');
  t.addEventListener('click', () => {
    const open = t.getAttribute('aria-expanded') !== 'true';
    t.setAttribute('aria-expanded', String(open));
    document.body.classList.toggle('nav-open', open);
  });
  document.querySelector('.skip').addEventListener('click', (e) => {
    e.preventDefault();
    const m = document.getElementById('main');
    m.focus();
    m.scrollIntoView();
  });
  window.addEventListener('hashchange', route);
  route();
}

setup();
