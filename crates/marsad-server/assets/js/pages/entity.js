// An entity's profile: roles, variants, quotes, events, documents, neighbours,
// and, on demand, a short extractive summary. The profile is asked for with
// `limit=`: the first documents, quotes and events and their totals, so the
// most present entity of a large corpus loads as fast as a rare one.
import {
  api, h, errorBox, empty, loading, num, fmtDate, docLink, entityHref, setTitle, section,
  typeLabel, eventLabel, kindLabel, hashFor, entityChip, docHref,
} from '../util.js';

const LIMIT = 30;

export async function render(main, route, alive) {
  const key = route.parts[1];
  if (!key) { location.hash = '#/entities'; return; }
  main.append(loading());
  let e;
  try {
    e = await api('entities/' + encodeURIComponent(key), { limit: LIMIT });
  } catch (err) {
    if (!alive()) return;
    if (err.status === 300 && err.body && Array.isArray(err.body.candidates)) {
      main.replaceChildren(h('h1', null, key), h('p', { class: 'lead' }, 'هذا الاسم يطابق أكثر من كيان. اختر واحداً:'),
        h('ul', { class: 'plain' }, err.body.candidates.map((c) => h('li', null, entityChip(c),
          (c.roles || []).length ? h('span', { class: 'muted small' }, ' ', c.roles.slice(0, 2).join(' · ')) : '',
          c.mentions ? h('span', { class: 'muted small' }, ` · ${num(c.mentions)} ذكر`) : ''))));
      return;
    }
    main.replaceChildren(h('h1', null, key),
      err.status === 404
        ? empty(`لا يوجد كيان باسم «${key}» في الأرشيف.`, 'جرّب صيغة أخرى للاسم أو ابحث في قائمة الكيانات.')
        : errorBox(err, 'ملف الكيان'),
      h('p', null, h('a', { href: hashFor('entities', { name: key }) }, 'البحث في الكيانات ←')));
    return;
  }
  if (!alive()) return;
  setTitle(e.name);
  main.replaceChildren();
  const docs = e.documents || [];
  const quotes = e.quotes || [];
  const events = e.events || [];
  const neighbours = e.neighbours || [];
  const totals = e.totals || { documents: docs.length || (e.docs || []).length, quotes: quotes.length, events: events.length };
  const shown = (n, total) => (total > n ? `${num(n)} من ${num(total)}` : num(total));
  main.append(
    h('nav', { class: 'crumbs', 'aria-label': 'مسار التنقل' }, h('a', { href: '#/entities' }, 'الكيانات'), ' › ', e.name),
    h('header', { class: `entity-head ent-border-${e.type}` },
      h('p', { class: `type-badge ent-${e.type}` }, typeLabel(e.type)),
      h('h1', null, e.name),
      (e.roles || []).length ? h('p', { class: 'roles' }, e.roles.join(' · ')) : null,
      h('div', { class: 'stats' },
        stat('ذكر', num(e.mentions)), stat('وثيقة', num(totals.documents)),
        stat('اقتباس', num(totals.quotes)), stat('حدث', num(totals.events))),
      h('p', { class: 'explore' },
        h('a', { class: 'btn', href: hashFor('timeline', { entity: e.id }) }, 'على الخط الزمني'),
        h('a', { class: 'btn', href: hashFor('graph', { focus: e.id }) }, 'في شبكة الفاعلين'),
        quotes.length ? h('a', { class: 'btn', href: hashFor('quotes', { speaker: e.id }) }, 'كل اقتباساته') : null,
        h('a', { class: 'btn', href: hashFor('search', { q: `"${e.name}"` }) }, 'ابحث عنه'))));

  const summaryBox = h('div');
  const grid = h('div', { class: 'entity-grid' });
  main.append(summaryBox, grid);

  grid.append(section('الأسماء والصيغ',
    h('p', { class: 'chips' }, (e.variants || [e.name]).map((v) => h('span', { class: 'chip chip-plain' }, v))),
    (e.roles || []).length ? [h('h3', null, 'الألقاب والمناصب'), h('ul', { class: 'plain' }, e.roles.map((r) => h('li', null, r)))] : null,
    h('p', { class: 'muted small' }, 'المعرّف: ', h('bdi', { class: 'mono' }, e.id))));

  grid.append(section(`الاقتباسات (${shown(Math.min(quotes.length, 20), totals.quotes)})`, quotes.length
    ? h('ul', { class: 'plain quote-list' }, quotes.slice(0, 20).map(quoteItem))
    : empty('لم يُنسب إليه أي اقتباس.')));

  grid.append(section(`الأحداث (${shown(events.length, totals.events)})`, events.length
    ? h('ol', { class: 'plain event-list' }, events.map((ev) => h('li', null,
      h('time', { datetime: ev.date, class: 'event-date' }, fmtDate(ev.date, ev.granularity) || 'بلا تاريخ'),
      h('span', { class: 'pill' }, eventLabel(ev.type)), ' ', ev.title,
      (ev.docs || []).length ? h('span', { class: 'small' }, ' — الدليل: ', ev.docs.map((d, i) => [i ? '، ' : '', docLink(d)])) : null)))
    : empty('لا أحداث مؤرخة له.')));

  grid.append(section(`الوثائق (${shown(docs.length, totals.documents)})`, docs.length
    ? h('ul', { class: 'doc-list' }, docs.map((d) => h('li', null, docLink(d.id, d.title || d.id),
      h('span', { class: 'muted small' }, ` · ${num(d.mentions)} ذكر`, d.date ? ` · ${fmtDate(d.date)}` : ''))))
    : empty('لا وثائق.')));

  grid.append(section(`الجوار في الشبكة (${num(neighbours.length)})`, neighbours.length
    ? h('ul', { class: 'plain neighbours' }, neighbours.slice(0, 30).map((n) => h('li', null,
      entityChip(n), ' ',
      h('span', { class: 'weight', title: 'عدد الجمل المشتركة' }, num(n.weight)),
      (n.kinds || []).length ? h('span', { class: 'small muted' }, ' ', n.kinds.map(kindLabel).join('، ')) : null)))
    : empty('لا جيران في الشبكة.')));

  // on demand: an extractive summary of what the corpus says about the entity
  const sumBody = h('div');
  const sumDetails = h('details', { class: 'card entity-summary' }, h('summary', null, 'الخلاصة'), sumBody);
  sumDetails.addEventListener('toggle', async () => {
    if (!sumDetails.open || sumBody.dataset.loaded) return;
    sumBody.dataset.loaded = '1';
    sumBody.replaceChildren(loading('جارٍ التلخيص…'));
    try {
      const s = await api('summary', { entity: e.id, sentences: 3 });
      sumBody.replaceChildren((s.sentences || []).length ? summaryList(s.sentences) : empty('لا خلاصة له.'));
    } catch (err) {
      delete sumBody.dataset.loaded;
      sumBody.replaceChildren(errorBox(err, 'الخلاصة'));
    }
  });
  summaryBox.append(sumDetails);
}

const stat = (label, value) => h('div', { class: 'stat' }, h('span', { class: 'stat-value' }, value), h('span', { class: 'stat-label' }, label));

export function quoteItem(q) {
  return h('li', { class: 'quote-item' },
    h('blockquote', { class: q.direct ? 'direct' : 'reported', dir: 'auto' }, q.text),
    h('p', { class: 'quote-meta small' },
      h('span', { class: 'pill' }, q.direct ? 'مباشر' : 'منقول'),
      q.verb ? ` ${q.verb}` : '',
      q.speaker_text && (!q.speaker || q.speaker_text !== q.speaker.name) ? h('span', { class: 'muted' }, ` (${q.speaker_text})`) : null,
      ' — ', docLink(q.doc)));
}

export function summaryList(sentences) {
  return h('ol', { class: 'summary' }, sentences.map((s) => h('li', null,
    h('span', { dir: 'auto' }, s.text), ' ',
    h('a', { class: 'small', href: docHref(s.doc), title: s.doc }, '[', s.date ? fmtDate(s.date) : 'المصدر', ']'))));
}
