// One document: the cleaned text with entities (coloured by type), quotes,
// dates and reused passages highlighted from the analysis spans (UTF-8 byte
// offsets, converted to JS indexes), the metadata, what cleaning removed
// (collapsible, apart from the text), and links to the other occurrences of
// reused passages.
import {
  api, h, errorBox, empty, loading, num, fmtDate, docLink, docHref, entityHref, byteIndexer,
  setTitle, section, typeLabel, eventLabel, getDoc, hashFor, TYPE_AR_PLURAL, shortId, originDoc, removalLabel,
} from '../util.js';

export async function render(main, route, alive) {
  const id = route.parts[1];
  if (!id) { main.append(empty('لم يُحدَّد معرّف الوثيقة.')); return; }
  main.append(loading());
  let d;
  try {
    d = await getDoc(id);
  } catch (e) {
    if (!alive()) return;
    main.replaceChildren(h('h1', null, 'وثيقة'), errorBox(e, `الوثيقة ${id}`));
    return;
  }
  if (!alive()) return;
  main.replaceChildren();
  const title = d.title || d.display_title || d.id;
  setTitle(title);
  const a = d.analysis || {};
  const entities = a.entities || [];

  const article = h('article', { class: 'doc-text', lang: 'ar', dir: 'rtl', 'aria-label': 'نص الوثيقة' });
  const aside = h('aside', { class: 'doc-side' });

  main.append(
    h('nav', { class: 'crumbs', 'aria-label': 'مسار التنقل' }, h('a', { href: '#/' }, 'البحث'), ' › ', h('bdi', { class: 'mono' }, shortId(d.id))),
    h('header', { class: 'doc-head' },
      h('h1', { class: 'doc-title', dir: 'auto' }, title),
      h('p', { class: 'hit-meta' },
        d.source ? h('span', { class: 'pill' }, d.source) : null,
        d.date ? h('time', { datetime: d.date }, fmtDate(d.date)) : h('span', { class: 'muted' }, 'بلا تاريخ نشر'),
        d.author ? h('span', null, 'بقلم ', d.author) : null,
        h('bdi', { class: 'mono muted' }, d.id))),
    h('div', { class: 'doc-layout' }, h('div', { class: 'doc-main' }, layerToggles(article), article), aside));

  // text with highlights; reuse spans join once /api/reuse answers
  const paint = (reuseSpans) => article.replaceChildren(...renderText(d.text || '', a, entities, reuseSpans));
  paint([]);
  if (!(d.text || '').trim()) article.replaceChildren(empty('لم يبقَ نص بعد التنظيف.'));

  aside.append(metaCard(d));
  const reuseBox = section('نصوص مشتركة مع وثائق أخرى', loading());
  aside.append(entityCard(entities), reuseBox, quotesCard(a, entities), eventsCard(a, entities) || '', removedCard(d));
  if ((d.duplicates || []).length) {
    aside.append(section('نسخ مطابقة', h('ul', { class: 'plain' }, d.duplicates.map((x) => h('li', null, typeof x === 'string' && /^\d{3}_/.test(x) ? docLink(x) : h('bdi', { dir: 'auto' }, typeof x === 'string' ? x : JSON.stringify(x)))))));
  }

  try {
    const r = await api('reuse', { doc: d.id, across: 1 });
    if (!alive()) return;
    const groups = r.groups || [];
    const idx = byteIndexer(d.text || '');
    const spans = [];
    const items = [];
    groups.forEach((g, gi) => {
      const mine = (g.occurrences || []).filter((o) => o.doc === d.id);
      const others = (g.occurrences || []).filter((o) => o.doc !== d.id);
      for (const o of mine) spans.push({ start: idx(o.start), end: idx(o.end), kind: 'reuse', group: gi, others });
      items.push(h('li', { class: 'reuse-item' },
        h('p', { class: 'reuse-text', dir: 'auto' }, '«', clip(g.text, 160), '»'),
        h('p', { class: 'muted small' }, `تشابه ${Math.round((g.similarity || 0) * 100)}%`,
          originDoc(g) ? [' · الأصل المرجَّح: ', originDoc(g) === d.id ? 'هذه الوثيقة' : docLink(originDoc(g))] : null),
        h('p', { class: 'small' }, 'يرد أيضاً في: ',
          others.length ? others.map((o, i) => [i ? '، ' : '', h('a', { href: hashFor('reuse', { doc: d.id, group: g.id ?? gi }), title: o.doc }, shortId(o.doc))]) : '—'),
        mine.length ? h('button', { class: 'btn btn-small', type: 'button', onclick: () => jumpTo(article, gi) }, 'أظهر في النص') : null));
    });
    if (!groups.length) reuseBox.replaceChildren(reuseBox.firstChild, empty('لا نصوص مشتركة مع وثائق أخرى.'));
    else {
      reuseBox.replaceChildren(reuseBox.firstChild, h('ul', { class: 'plain reuse-list' }, items),
        h('p', null, h('a', { href: hashFor('reuse', { doc: d.id }) }, 'مقارنة جنباً إلى جنب ←')));
      paint(spans);
    }
  } catch (e) {
    if (!alive()) return;
    reuseBox.replaceChildren(reuseBox.firstChild, errorBox(e, 'النصوص المشتركة'));
  }
}

function clip(s, n) { s = s || ''; return s.length > n ? s.slice(0, n) + '…' : s; }

function jumpTo(article, gi) {
  const el = article.querySelector(`[data-reuse="${gi}"]`);
  if (!el) return;
  el.scrollIntoView({ behavior: 'smooth', block: 'center' });
  el.classList.add('flash');
  setTimeout(() => el.classList.remove('flash'), 1600);
}

const LAYERS = [
  ['ent', 'الكيانات'], ['quote', 'الاقتباسات'], ['date', 'التواريخ'], ['reuse', 'النص المشترك'],
];

function layerToggles(article) {
  const box = h('fieldset', { class: 'layers' }, h('legend', null, 'إبراز'));
  for (const [k, label] of LAYERS) {
    const cb = h('input', { type: 'checkbox', id: 'layer-' + k, checked: true, onchange: () => article.classList.toggle('hide-' + k, !cb.checked) });
    box.append(h('label', { for: 'layer-' + k, class: 'layer layer-' + k }, cb, h('span', { class: 'swatch', 'aria-hidden': 'true' }), label));
  }
  box.append(h('span', { class: 'legend' },
    ['person', 'organization', 'place', 'misc'].map((t) => h('span', { class: `ent ent-${t} legend-item` }, typeLabel(t)))));
  return box;
}

/**
 * Nest the spans (sorted by start, longer first; a span that crosses its
 * parent's end is clipped) and render text with paragraph breaks.
 */
export function renderText(text, a, entities, extra) {
  const idx = byteIndexer(text);
  const spans = [];
  for (const m of a.mentions || []) {
    const e = entities[m.entity] || {};
    spans.push({ start: idx(m.span.start), end: idx(m.span.end), kind: 'ent', type: m.entity_type || e.entity_type, name: e.name || m.name, role: m.role });
  }
  for (const q of a.quotes || []) {
    const sp = q.speaker !== null && q.speaker !== undefined ? entities[q.speaker] : null;
    spans.push({ start: idx(q.span.start), end: idx(q.span.end), kind: 'quote', speaker: sp ? sp.name : q.speaker_text, direct: q.direct });
  }
  for (const dt of a.dates || []) {
    spans.push({ start: idx(dt.span.start), end: idx(dt.span.end), kind: 'date', value: dt.value, granularity: dt.granularity });
  }
  for (const s of extra || []) spans.push(s);
  const rank = { reuse: 0, quote: 1, date: 2, ent: 3 };
  spans.sort((x, y) => x.start - y.start || y.end - x.end || rank[x.kind] - rank[y.kind]);

  const root = { start: 0, end: text.length, children: [] };
  const stack = [root];
  for (const s0 of spans) {
    if (!(s0.end > s0.start)) continue;
    while (stack.length > 1 && s0.start >= stack[stack.length - 1].end) stack.pop();
    const top = stack[stack.length - 1];
    const s = { ...s0, end: Math.min(s0.end, top.end), children: [] };
    if (s.end <= s.start) continue;
    top.children.push(s);
    stack.push(s);
  }

  const textNodes = (from, to) => {
    const out = [];
    const parts = text.slice(from, to).split('\n');
    parts.forEach((p, i) => {
      if (i) out.push(h('span', { class: 'pb', 'aria-hidden': 'true' }));
      if (p) out.push(document.createTextNode(p));
    });
    return out;
  };
  const emit = (node) => {
    const out = [];
    let pos = node.start;
    for (const c of node.children) {
      out.push(...textNodes(pos, c.start));
      const el = spanEl(c);
      el.append(...emit(c));
      out.push(el);
      pos = c.end;
    }
    out.push(...textNodes(pos, node.end));
    return out;
  };
  return emit(root);
}

function spanEl(s) {
  switch (s.kind) {
    case 'ent':
      return h('a', {
        class: `ent ent-${s.type || 'misc'}`, href: entityHref(s.name),
        title: `${typeLabel(s.type)}: ${s.name}${s.role ? ' — ' + s.role : ''}`,
      });
    case 'quote':
      return h('span', { class: 'quote' + (s.direct ? ' direct' : ''), title: `${s.direct ? 'اقتباس مباشر' : 'قول منقول'} — ${s.speaker || 'متحدث غير محدد'}` });
    case 'date':
      return h('time', { class: 'date', datetime: s.value || null, title: s.value ? fmtDate(s.value, s.granularity) : 'تاريخ نسبي' });
    case 'reuse':
      return h('span', { class: 'reuse', dataset: { reuse: s.group }, title: 'نص مشترك مع: ' + (s.others || []).map((o) => o.doc).join('، ') });
    default:
      return h('span');
  }
}

function metaCard(d) {
  const row = (k, v) => (v ? [h('dt', null, k), h('dd', null, v)] : null);
  return section('بيانات الوثيقة', h('dl', { class: 'meta' },
    row('المصدر', d.source),
    row('التاريخ', d.date ? fmtDate(d.date) : null),
    row('الكاتب', d.author),
    row('الرابط', d.url ? h('a', { href: d.url, rel: 'noopener noreferrer', target: '_blank', dir: 'ltr', class: 'url' }, d.url) : null),
    row('الصيغة', d.format),
    row('الملف', d.origin ? h('bdi', { dir: 'ltr', class: 'mono small url' }, d.origin) : null),
    row('المعرّف', h('bdi', { class: 'mono small' }, d.id))),
  h('p', null, h('a', { href: `/api/docs/${encodeURIComponent(d.id)}/raw`, target: '_blank', rel: 'noopener' }, 'النص الأصلي كما وصل ↗')));
}

function entityCard(entities) {
  if (!entities.length) return section('الكيانات', empty('لم يُعثر على كيانات.'));
  const byType = {};
  for (const e of entities) (byType[e.entity_type] ||= []).push(e);
  const blocks = [];
  for (const t of ['person', 'organization', 'place', 'misc']) {
    const list = (byType[t] || []).sort((x, y) => (y.mentions || 0) - (x.mentions || 0));
    if (!list.length) continue;
    blocks.push(h('h3', null, TYPE_AR_PLURAL[t]), h('p', { class: 'chips' }, list.map((e) =>
      h('a', { class: `chip ent-${t}`, href: entityHref(e.name), title: (e.roles || []).join('، ') || typeLabel(t) }, e.name,
        e.mentions > 1 ? h('span', { class: 'chip-count' }, num(e.mentions)) : null))));
  }
  return section('الكيانات', ...blocks);
}

function quotesCard(a, entities) {
  const qs = a.quotes || [];
  if (!qs.length) return section('الاقتباسات', empty('لا اقتباسات في هذه الوثيقة.'));
  return section(`الاقتباسات (${num(qs.length)})`, h('ul', { class: 'plain quotes-mini' }, qs.map((q) => {
    const sp = q.speaker !== null && q.speaker !== undefined ? entities[q.speaker] : null;
    return h('li', null,
      sp ? h('a', { href: entityHref(sp.name), class: 'speaker' }, sp.name) : h('span', { class: 'speaker muted' }, q.speaker_text || 'غير محدد'),
      h('span', { class: 'muted small' }, ` ${q.verb || ''}: `),
      h('q', null, clip(q.text, 140)));
  })));
}

function eventsCard(a, entities) {
  const ev = a.events || [];
  if (!ev.length) return null;
  return section('الأحداث', h('ul', { class: 'plain events-mini' }, ev.map((e) => h('li', null,
    h('span', { class: 'pill' }, eventLabel(e.event_type)), ' ',
    e.date ? h('time', { datetime: e.date }, fmtDate(e.date, e.granularity)) : h('span', { class: 'muted' }, 'بلا تاريخ'),
    ' — ', e.title || '',
    (e.actors || []).length ? h('span', { class: 'small' }, ' (', (e.actors || []).map((i, k) => [k ? '، ' : '', entities[i] ? h('a', { href: entityHref(entities[i].name) }, entities[i].name) : '']), ')') : null))));
}

function removedCard(d) {
  const rm = d.removed || [];
  const body = rm.length
    ? h('ol', { class: 'removed-list' }, rm.map((r) => h('li', null,
      h('p', { class: 'removed-reason', title: r.reason }, removalLabel(r.reason || r.kind)),
      h('p', { class: 'removed-text', dir: 'auto' }, r.text))))
    : h('p', { class: 'muted' }, 'لم يُحذف شيء: النص كما ورد.');
  return h('section', { class: 'card' }, h('details', { class: 'removed' },
    h('summary', null, `ما أزاله التنظيف (${num(rm.length)})`), body));
}

export { docHref };
