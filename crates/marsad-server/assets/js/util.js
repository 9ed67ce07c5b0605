// Small helpers shared by every page: DOM building, the API client, Arabic
// labels, number and date formatting, and UTF-8 byte offsets → JS indexes.

import VOCABULARY from './vocabulary.js';

/** Build an element: h('a', {href: '#/x', class: 'y'}, 'text', childNode, [more]). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (v === true) el.setAttribute(k, '');
      else el.setAttribute(k, String(v));
    }
  }
  append(el, children);
  return el;
}

/** Append children (strings, nodes, arrays, null) to a node. */
export function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
  return el;
}

/** SVG element builder. */
export function svg(tag, attrs, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

/** The API's error, with the message already in Arabic for people. */
export class ApiError extends Error {
  constructor(status, message, detail, body) {
    super(message);
    this.status = status;
    this.detail = detail;
    this.body = body;
  }
}

const STATUS_AR = {
  300: 'الاسم يطابق أكثر من كيان',
  400: 'الطلب غير صالح',
  404: 'غير موجود',
  500: 'خطأ داخلي في الخادم',
  503: 'الخدمة غير متاحة حالياً',
};

/** GET /api/PATH with query params; returns parsed JSON or throws ApiError. */
export async function api(path, params) {
  const url = new URL('/api/' + path, location.origin);
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, v);
  }
  let res;
  try {
    res = await fetch(url, { headers: { Accept: 'application/json' } });
  } catch (e) {
    throw new ApiError(0, 'تعذّر الاتصال بالخادم. تأكد من أن «مرصد» يعمل ثم أعد المحاولة.', String(e));
  }
  let body = null;
  const text = await res.text();
  try { body = text ? JSON.parse(text) : null; } catch { body = null; }
  if (!res.ok) {
    const detail = body && body.error && body.error.message ? body.error.message : text.slice(0, 300);
    const msg = STATUS_AR[res.status] || `خطأ (${res.status})`;
    throw new ApiError(res.status, msg, detail, body);
  }
  if (body === null) throw new ApiError(res.status, 'ردّ غير متوقع من الخادم', text.slice(0, 300));
  return body;
}

/** A clear Arabic error box for a failed request. */
export function errorBox(err, what) {
  const status = err instanceof ApiError ? err.status : 0;
  const title = what ? `تعذّر تحميل ${what}` : 'حدث خطأ';
  return h('div', { class: 'notice notice-error', role: 'alert' },
    h('strong', null, title),
    h('p', null, err instanceof ApiError ? err.message : 'خطأ غير متوقع في الواجهة.'),
    err && (err.detail || (!(err instanceof ApiError) && err.message))
      ? h('p', { class: 'detail', dir: 'auto' }, (status ? `(${status}) ` : '') + (err.detail || err.message))
      : null);
}

/** An empty-state message. */
export function empty(text, hint) {
  return h('div', { class: 'notice notice-empty', role: 'status' },
    h('p', null, text), hint ? h('p', { class: 'hint' }, hint) : null);
}

export function loading(text = 'جارٍ التحميل…') {
  return h('div', { class: 'loading', role: 'status', 'aria-live': 'polite' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), text);
}

const nf = new Intl.NumberFormat('ar-u-nu-latn');
export const num = (n) => (n === null || n === undefined ? '—' : nf.format(n));

/**
 * A count with the Arabic noun in the right number:
 * forms = [one, two, few (3–10, plural), many (11+, singular accusative)].
 */
export function count(n, [one, two, few, many]) {
  if (n === 1) return one;
  if (n === 2) return two;
  if (n >= 3 && n <= 10) return `${num(n)} ${few}`;
  return `${num(n)} ${many}`;
}

const MONTH_FMT = new Intl.DateTimeFormat('ar-u-nu-latn', { year: 'numeric', month: 'long', timeZone: 'UTC' });
const DAY_FMT = new Intl.DateTimeFormat('ar-u-nu-latn', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });

/** "2019" / "2000-03" / "1948-10-12" / ISO datetime → readable Arabic date. */
export function fmtDate(s, granularity) {
  if (!s) return '';
  const m = /^(-?\d{1,4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(String(s));
  if (!m) return String(s);
  const [, y, mo, d] = m;
  if (granularity === 'decade') return `عقد ${y}`;
  if (!mo || granularity === 'year') return y;
  if (!d || granularity === 'month') return MONTH_FMT.format(Date.UTC(+y, +mo - 1, 1));
  return DAY_FMT.format(Date.UTC(+y, +mo - 1, +d));
}

// The labels of the closed vocabularies come from the server
// (`js/vocabulary.js`, written by `marsad serve` from the same table as
// `/api/vocabulary`): the UI keeps no copy of its own.
const labels = (terms, field = 'label') => Object.fromEntries(terms.map((t) => [t.key, t[field]]));
export const TYPE_AR = labels(VOCABULARY.entity_types);
export const TYPE_AR_PLURAL = labels(VOCABULARY.entity_types, 'plural');
export const typeLabel = (t) => TYPE_AR[t] || t || '—';

export const EVENT_AR = labels(VOCABULARY.event_types);
export const eventLabel = (t) => EVENT_AR[t] || t || 'حدث';

export const KIND_AR = labels(VOCABULARY.relation_kinds);
export const kindLabel = (k) => KIND_AR[k] || k;

const REMOVAL_AR = {
  'boilerplate: comment form': 'حشو: نموذج التعليقات',
  'boilerplate: read-more block': 'حشو: «اقرأ أيضاً»',
  'boilerplate: CMS leftover': 'حشو: بقايا نظام النشر',
  'boilerplate: share/subscribe line': 'حشو: سطر مشاركة أو اشتراك',
  'boilerplate: news ticker': 'حشو: شريط الأخبار العاجلة',
  'repeated paragraph': 'فقرة مكررة',
};
/** Why cleaning removed a paragraph, in Arabic (the English reason in the title). */
export function removalLabel(reason) {
  const r = String(reason || '');
  if (REMOVAL_AR[r]) return REMOVAL_AR[r];
  const m = /^repeated paragraph \(copy of paragraph (\d+)\)$/.exec(r);
  if (m) return `فقرة مكررة (نسخة من الفقرة ${m[1]})`;
  return r;
}

export const entityHref = (idOrName) => '#/entity/' + encodeURIComponent(idOrName);
export const docHref = (id) => '#/doc/' + encodeURIComponent(id);

/** A link to an entity, coloured by type. */
export function entityChip(e, extra) {
  if (!e) return null;
  return h('a', { class: `chip ent-${e.type || 'misc'}`, href: entityHref(e.id || e.name), title: typeLabel(e.type) },
    e.name, extra !== undefined && extra !== null ? h('span', { class: 'chip-count' }, extra) : null);
}

/** Document ids look like 002_da7ccb45ff20fa50: show the short form, keep the full one in the title. */
export function docLink(id, title) {
  return h('a', { class: 'doc-link', href: docHref(id), title: id },
    title ? title : h('bdi', { class: 'mono' }, shortId(id)));
}
export const shortId = (id) => (id && id.length > 12 ? id.slice(0, 12) + '…' : id);

/**
 * Turn an HTML snippet whose only markup is <mark>…</mark> (everything else
 * escaped by the server) into DOM nodes without trusting any other markup.
 */
export function markedSnippet(html) {
  const tpl = document.createElement('template');
  tpl.innerHTML = html || '';
  const frag = document.createDocumentFragment();
  const walk = (node, into) => {
    for (const c of node.childNodes) {
      if (c.nodeType === Node.TEXT_NODE) into.appendChild(document.createTextNode(c.nodeValue));
      else if (c.nodeType === Node.ELEMENT_NODE && c.tagName === 'MARK') {
        const m = document.createElement('mark');
        m.textContent = c.textContent;
        into.appendChild(m);
      } else if (c.nodeType === Node.ELEMENT_NODE) walk(c, into);
    }
  };
  walk(tpl.content, frag);
  return frag;
}

/**
 * Map UTF-8 byte offsets (what the analysis spans use) to JS string (UTF-16)
 * indexes. Returns a function; offsets inside a character snap to its start,
 * offsets past the end clamp to the length.
 */
export function byteIndexer(text) {
  const enc = new TextEncoder();
  const bytes = enc.encode(text).length;
  const map = new Int32Array(bytes + 1);
  let b = 0;
  let i = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0);
    const n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (let k = 0; k < n; k++) map[b + k] = i;
    b += n;
    i += ch.length;
  }
  map[bytes] = text.length;
  return (off) => {
    if (off === null || off === undefined || off < 0) return 0;
    if (off >= bytes) return text.length;
    return map[off];
  };
}

/** Parse "#/route/a/b?x=1" → {parts: ['route','a','b'], params: URLSearchParams}. */
export function parseHash(hash) {
  const raw = (hash || '').replace(/^#\/?/, '');
  const [path, query] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map((p) => {
    try { return decodeURIComponent(p); } catch { return p; }
  });
  return { parts, params: new URLSearchParams(query || '') };
}

/** Build a hash from a route and params, dropping empty params. */
export function hashFor(route, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return '#/' + route + (s ? '?' + s : '');
}

export function setTitle(t) {
  document.title = t ? `${t} · مرصد` : 'مرصد';
}

/** A section with a heading (h2) for page bodies. */
export function section(title, ...children) {
  const id = 'sec-' + Math.random().toString(36).slice(2, 8);
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

/** The document a reuse group names as its origin (an index into occurrences, or an id). */
export function originDoc(g) {
  if (typeof g.origin === 'number') return (g.occurrences || [])[g.origin]?.doc ?? null;
  return g.origin || null;
}

/** A document cache so pages that need several documents fetch each once. */
const docCache = new Map();
export function getDoc(id) {
  if (!docCache.has(id)) {
    const p = api('docs/' + encodeURIComponent(id));
    p.catch(() => docCache.delete(id));
    docCache.set(id, p);
  }
  return docCache.get(id);
}
