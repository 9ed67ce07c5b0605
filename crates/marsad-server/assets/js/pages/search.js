// Search: the query box, the syntax help, ranked hits with highlighted
// snippets, facets when the API sends them, and paging. Without a query the
// page shows an overview of the store.
import {
  api, h, errorBox, empty, loading, num, count, fmtDate, docLink, docHref, markedSnippet,
  hashFor, setTitle, section, typeLabel, removalLabel,
} from '../util.js';

const PAGE = 10;

export async function render(main, route, alive) {
  const q = (route.params.get('q') || '').trim();
  const offset = Math.max(0, parseInt(route.params.get('offset') || '0', 10) || 0);
  setTitle(q ? `بحث: ${q}` : 'البحث');

  const input = h('input', {
    id: 'q', type: 'search', name: 'q', value: q, autocomplete: 'off', dir: 'auto',
    placeholder: 'ابحث في الأخبار… مثال: بوتين كيم', 'aria-describedby': 'q-hint',
  });
  const form = h('form', { class: 'search-form', role: 'search', onsubmit: (e) => {
    e.preventDefault();
    const v = input.value.trim();
    location.hash = v ? hashFor('search', { q: v }) : '#/search';
  } },
  h('label', { for: 'q', class: 'search-label' }, 'ابحث في الأرشيف'),
  h('div', { class: 'search-row' }, input, h('button', { type: 'submit', class: 'btn btn-primary' }, 'بحث')),
  h('p', { id: 'q-hint', class: 'hint' }, 'يفهم البحث السوابق واللواحق والتشكيل وصور الألف والأرقام الهندية.'));

  main.append(h('h1', { class: q ? 'visually-hidden' : null }, 'البحث في الأخبار'), form, helpPanel(!q));
  if (!q) {
    input.focus();
    await overview(main, alive);
    return;
  }

  const results = h('div', { class: 'search-results', 'aria-live': 'polite' }, loading('جارٍ البحث…'));
  main.append(results);
  let data;
  try {
    data = await api('search', { q, limit: PAGE, offset, facets: 1 });
  } catch (e) {
    if (!alive()) return;
    results.replaceChildren(errorBox(e, 'نتائج البحث'));
    if (e.status === 400) results.append(h('p', { class: 'hint' }, 'راجع صيغة الاستعلام في «صيغة البحث» أعلاه.'));
    return;
  }
  if (!alive()) return;
  const hits = data.hits || [];
  const total = data.total ?? hits.length;
  results.replaceChildren();
  const facets = normalizeFacets(data.facets);
  const layout = h('div', { class: facets.length ? 'with-facets' : 'no-facets' });
  results.append(layout);

  const list = h('div', { class: 'hits-col' });
  if (!hits.length) {
    list.append(empty(`لا توجد نتائج لـ «${q}».`, 'جرّب كلمات أقل، أو أزل علامات الاقتباس، أو تحقق من الإملاء.'));
  } else {
    list.append(h('p', { class: 'result-count' },
      count(total, ['نتيجة واحدة', 'نتيجتان', 'نتائج', 'نتيجة']),
      total > PAGE ? ` · المعروض ${num(offset + 1)}–${num(offset + hits.length)}` : ''));
    const ol = h('ol', { class: 'hits', start: offset + 1 });
    for (const hit of hits) ol.append(hitItem(hit));
    list.append(ol, pager(q, offset, total) || '');
  }
  layout.append(list);
  if (facets.length) layout.append(facetPanel(q, facets));
}

function hitItem(hit) {
  return h('li', { class: 'hit', dataset: { doc: hit.doc } },
    h('h2', { class: 'hit-title' }, h('a', { href: docHref(hit.doc) }, hit.title || hit.doc)),
    h('p', { class: 'hit-meta' },
      hit.source ? h('span', { class: 'pill' }, hit.source) : null,
      hit.date ? h('time', { datetime: hit.date }, fmtDate(hit.date)) : null,
      h('bdi', { class: 'mono muted', title: hit.doc }, hit.doc)),
    h('p', { class: 'snippet' }, markedSnippet(hit.snippet)));
}

function pager(q, offset, total) {
  if (total <= PAGE) return null;
  const prev = offset > 0 ? hashFor('search', { q, offset: Math.max(0, offset - PAGE) || '' }) : null;
  const next = offset + PAGE < total ? hashFor('search', { q, offset: offset + PAGE }) : null;
  return h('nav', { class: 'pager', 'aria-label': 'صفحات النتائج' },
    prev ? h('a', { class: 'btn', href: prev, rel: 'prev' }, '→ السابق') : h('span'),
    h('span', { class: 'muted' }, `صفحة ${num(Math.floor(offset / PAGE) + 1)} من ${num(Math.ceil(total / PAGE))}`),
    next ? h('a', { class: 'btn', href: next, rel: 'next' }, 'التالي ←') : h('span'));
}

// ---- facets -------------------------------------------------------------

const FACET_AR = { source: 'المصدر', sources: 'المصدر', date: 'التاريخ', dates: 'التاريخ', month: 'الشهر', months: 'الشهر', year: 'السنة', years: 'السنة', entity: 'الكيانات', entities: 'الكيانات' };

/** Accept {name: [{value,count}]}, {name: {value: count}}, or [{name, values}]. */
export function normalizeFacets(f) {
  if (!f) return [];
  const groups = [];
  const items = (v) => {
    if (Array.isArray(v)) {
      return v.map((x) => (Array.isArray(x)
        ? { label: String(x[0]), value: String(x[0]), count: x[1] }
        : {
          label: x.label ?? x.name ?? x.value ?? x.key ?? '—',
          value: x.value ?? x.key ?? x.name ?? x.label,
          count: x.count ?? x.docs ?? x.n,
          id: x.id, type: x.type,
        }));
    }
    if (v && typeof v === 'object') return Object.entries(v).map(([k, c]) => ({ label: k, value: k, count: c }));
    return [];
  };
  if (Array.isArray(f)) {
    for (const g of f) groups.push({ key: g.name ?? g.key ?? g.field, items: items(g.values ?? g.items ?? g.buckets) });
  } else if (typeof f === 'object') {
    for (const [k, v] of Object.entries(f)) groups.push({ key: k, items: items(v) });
  }
  return groups.filter((g) => g.items.length);
}

function facetTerm(key, item) {
  const v = String(item.value ?? item.label ?? '');
  const quote = (s) => (/\s/.test(s) ? `"${s}"` : s);
  if (/^source/.test(key)) return `source:${quote(v)}`;
  if (/^(date|month|year|day)/.test(key)) {
    const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(v);
    if (!m) return null;
    const [, y, mo, d] = m;
    if (d) return `after:${y}-${mo}-${d} before:${y}-${mo}-${d}`;
    if (mo) {
      const last = new Date(Date.UTC(+y, +mo, 0)).getUTCDate();
      return `after:${y}-${mo}-01 before:${y}-${mo}-${String(last).padStart(2, '0')}`;
    }
    return `after:${y}-01-01 before:${y}-12-31`;
  }
  return `"${item.label ?? v}"`;
}

function facetPanel(q, groups) {
  const aside = h('aside', { class: 'facets card', 'aria-label': 'تصفية النتائج' }, h('h2', null, 'تصفية'));
  for (const g of groups) {
    const isDate = /^(date|month|year|day)/.test(g.key);
    const ul = h('ul', { class: 'facet-list' });
    for (const it of g.items.slice(0, 15)) {
      const term = facetTerm(g.key, it);
      const label = isDate ? fmtDate(it.label, String(it.label).length === 7 ? 'month' : undefined) : it.label;
      ul.append(h('li', null,
        term && !q.includes(term)
          ? h('a', { href: hashFor('search', { q: `${q} ${term}` }), title: `أضف ${term}`, class: it.type ? `facet-type ent-${it.type}` : null }, label)
          : h('span', null, label),
        it.count !== undefined ? h('span', { class: 'count' }, num(it.count)) : null,
        it.id ? h('a', { class: 'facet-ent', href: '#/entity/' + encodeURIComponent(it.id), 'aria-label': `ملف ${it.label}`, title: typeLabel(it.type) }, 'الملف') : null));
    }
    aside.append(h('h3', null, FACET_AR[g.key] || g.key), ul);
  }
  return aside;
}

// ---- help and overview ----------------------------------------------------

const SYNTAX = [
  ['بوتين كيم', 'وثائق فيها أيٌّ من الكلمات؛ كلما اجتمعت الكلمات ارتفع الترتيب'],
  ['"المحادثات السداسية"', 'عبارة: الكلمات متجاورة وبالترتيب (شرط لازم)'],
  ['-ترمب', 'استبعاد الوثائق التي تحتوي الكلمة'],
  ['-"البيت الأبيض"', 'استبعاد الوثائق التي تحتوي العبارة'],
  ['source:bbc', 'من هذا المصدر فقط (يُجمع أكثر من مصدر بـ«أو»)'],
  ['source:"Al Jazeera"', 'اسم مصدر من كلمتين بين علامتي اقتباس'],
  ['-source:bbc', 'استبعاد مصدر'],
  ['after:2019-01-01', 'منشور في هذا اليوم أو بعده'],
  ['before:2023-12-31', 'منشور في هذا اليوم أو قبله'],
];

function helpPanel(open) {
  const rows = SYNTAX.map(([ex, what]) => h('tr', null,
    h('td', null, h('code', { dir: 'auto' }, ex)), h('td', null, what)));
  return h('details', { class: 'help card', open: open || null },
    h('summary', null, 'صيغة البحث'),
    h('table', { class: 'syntax' },
      h('caption', { class: 'visually-hidden' }, 'صيغة الاستعلام'),
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'اكتب'), h('th', { scope: 'col' }, 'المعنى'))),
      h('tbody', null, rows)),
    h('p', { class: 'hint' },
      'يمكن كتابة التواريخ بالأرقام الهندية: ', h('code', { dir: 'ltr' }, 'after:٢٠١٩-٠١-٠١'), '. التشكيل وأشكال الألف والتاء المربوطة والسوابق (و، ف، ب، ال…) لا تؤثر في المطابقة. ',
      'أي «مفتاح:قيمة» غير معروف يُبحث عنه ككلمات عادية.'));
}

async function overview(main, alive) {
  const box = h('div', { class: 'overview' }, loading());
  main.append(box);
  let s;
  try {
    s = await api('stats');
  } catch (e) {
    if (alive()) box.replaceChildren(errorBox(e, 'إحصاءات الأرشيف'));
    return;
  }
  if (!alive()) return;
  box.replaceChildren();
  if (!s.documents) {
    box.append(empty('الأرشيف فارغ: لم تُستورد أي وثيقة بعد.', 'استورد مقالات بالأمر: marsad ingest PATH'));
    return;
  }
  const stat = (label, value) => h('div', { class: 'stat' }, h('span', { class: 'stat-value' }, value), h('span', { class: 'stat-label' }, label));
  const range = s.date_from
    ? (s.date_from === s.date_to ? fmtDate(s.date_from) : `${fmtDate(s.date_from)} – ${fmtDate(s.date_to)}`)
    : '—';
  box.append(section('الأرشيف',
    h('div', { class: 'stats' },
      stat('وثيقة', num(s.documents)),
      stat('مصدر', num((s.sources || []).length)),
      stat('نسخة مكررة', num(s.duplicates)),
      stat('الفترة', range)),
    h('div', { class: 'two-col' },
      (s.sources || []).length ? h('div', null, h('h3', null, 'المصادر'),
        h('ul', { class: 'plain' }, s.sources.map((src) => h('li', null,
          src.name ? h('a', { href: hashFor('search', { q: `source:${/\s/.test(src.name) ? `"${src.name}"` : src.name}` }) }, src.name) : h('span', { class: 'muted' }, 'بلا مصدر'),
          ' ', h('span', { class: 'count' }, num(src.documents)))))) : null,
      (s.removals || []).length ? h('div', null, h('h3', null, 'ما أزاله التنظيف'),
        h('ul', { class: 'plain' }, s.removals.map((r) => h('li', null, h('span', { title: r.reason }, removalLabel(r.reason)), ' ', h('span', { class: 'count' }, num(r.count)))))) : null),
    h('p', { class: 'explore' },
      h('a', { class: 'btn', href: '#/entities' }, 'الكيانات'),
      h('a', { class: 'btn', href: '#/quotes' }, 'من قال ماذا'),
      h('a', { class: 'btn', href: '#/timeline' }, 'الخط الزمني'),
      h('a', { class: 'btn', href: '#/graph' }, 'شبكة الفاعلين'),
      h('a', { class: 'btn', href: '#/stories' }, 'القصص'))));
  docList(box, alive);
}

async function docList(box, alive) {
  // The newest documents, one page of titles, as a starting point.
  try {
    const page = await api('docs', { limit: 20 });
    if (!alive() || !(page.documents || []).length) return;
    box.append(section('أحدث الوثائق',
      h('ul', { class: 'doc-list' }, page.documents.map((d) => h('li', null,
        docLink(d.id, d.display_title || d.title || null),
        d.source ? h('span', { class: 'muted small' }, ' · ' + d.source) : null,
        d.date ? h('time', { class: 'muted', datetime: d.date }, ' · ' + fmtDate(d.date)) : null)))));
  } catch { /* the overview is optional */ }
}
