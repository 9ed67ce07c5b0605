// Text reuse: passages shared between documents, occurrences side by side
// with a little of their surrounding text. One request a page: the list
// brings each occurrence's title and context (`context=`), never the
// documents themselves.
import { api, h, errorBox, empty, loading, num, count, setTitle, docLink, hashFor, originDoc, section } from '../util.js';

const CONTEXT = 160;
const PAGE = 20;
/** Occurrences shown side by side; the rest are listed by title. */
const SIDE = 4;
/** Occurrences asked for per group (a boilerplate passage has hundreds). */
const OCCURRENCES = 12;

export async function render(main, route, alive) {
  const doc = route.params.get('doc') || '';
  const only = route.params.get('group');
  const minWords = route.params.get('min_words') || '';
  const offset = Math.max(0, parseInt(route.params.get('offset') || '0', 10) || 0);
  setTitle('النصوص المشتركة');
  const out = h('div', null, loading());
  main.append(h('h1', null, 'النصوص المشتركة'),
    h('p', { class: 'lead' }, 'فقرات تتكرر بين الوثائق (نقل أو إعادة صياغة قريبة)، معروضة جنباً إلى جنب.',
      doc ? [' ', h('span', null, 'الوثيقة: '), docLink(doc), ' · ', h('a', { href: '#/reuse' }, 'كل الوثائق')] : null),
    out);
  let data;
  try {
    data = await api('reuse', { doc, min_words: minWords, across: 1, limit: PAGE, offset, context: CONTEXT, occurrences: OCCURRENCES });
  } catch (e) {
    if (alive()) out.replaceChildren(errorBox(e, 'النصوص المشتركة'));
    return;
  }
  if (!alive()) return;
  let groups = (data.groups || []).map((g, i) => ({ ...g, i: offset + i, key: String(g.id ?? i) }));
  const total = data.total ?? groups.length;
  const chosen = only !== null && only !== '' ? groups.filter((g) => g.key === only) : [];
  if (chosen.length) groups = chosen;
  duplicates(main, doc, alive);
  if (!groups.length) { out.replaceChildren(empty(doc ? 'لا تشارك هذه الوثيقة نصوصاً مع وثائق أخرى.' : 'لا نصوص مشتركة بين الوثائق.')); return; }
  out.replaceChildren(h('p', { class: 'result-count' }, count(chosen.length ? groups.length : total, ['مقطع مشترك واحد', 'مقطعان مشتركان', 'مقاطع مشتركة', 'مقطعاً مشتركاً'])),
    chosen.length ? h('p', null, h('a', { href: hashFor('reuse', { doc }) }, 'كل المقاطع ←')) : '');
  for (const g of groups) {
    const occ = (g.occurrences || []).map((o, k) => ({ ...o, ctx: (g.contexts || [])[k] }));
    // the current document first (on the right), then the others
    const origin = originDoc(g);
    occ.sort((a, b) => (b.doc === doc) - (a.doc === doc) || (b.doc === origin) - (a.doc === origin));
    const cols = h('div', { class: 'side-by-side' });
    for (const o of occ.slice(0, SIDE)) cols.append(occurrence(o, origin));
    const rest = occ.slice(SIDE);
    out.append(h('section', { class: 'card reuse-group', 'aria-label': `مقطع مشترك ${g.i + 1}` },
      h('h2', null, `مقطع مشترك في ${count(new Set(occ.map((o) => o.doc)).size, ['وثيقة واحدة', 'وثيقتين', 'وثائق', 'وثيقة'])}${g.words ? ` · ${count(g.words, ['كلمة', 'كلمتان', 'كلمات', 'كلمة'])}` : ''}`,
        h('span', { class: 'muted small' }, ` · تشابه ${Math.round((g.similarity || 0) * 100)}%`)),
      cols,
      rest.length ? h('details', { class: 'reuse-more' }, h('summary', null, `مواضع أخرى (${num((g.occurrence_count ?? occ.length) - SIDE)})`),
        h('ul', { class: 'doc-list' }, rest.map((o) => h('li', null, docLink(o.doc, (o.ctx && o.ctx.title) || null))))) : ''));
  }
  if (!chosen.length && total > PAGE) {
    out.append(h('nav', { class: 'pager', 'aria-label': 'صفحات' },
      offset > 0 ? h('a', { class: 'btn', href: hashFor('reuse', { doc, min_words: minWords, offset: Math.max(0, offset - PAGE) || null }) }, '→ السابق') : h('span'),
      h('span', { class: 'muted' }, `${num(offset + 1)}–${num(Math.min(total, offset + PAGE))} من ${num(total)}`),
      offset + PAGE < total ? h('a', { class: 'btn', href: hashFor('reuse', { doc, min_words: minWords, offset: offset + PAGE }) }, 'التالي ←') : h('span')));
  }
}

function occurrence(o, origin) {
  const c = o.ctx || {};
  const body = h('p', { class: 'reuse-context', dir: 'rtl' },
    c.before ? ['…', h('span', { class: 'ctx' }, c.before)] : '',
    h('mark', { class: 'reuse-mark' }, o.text),
    c.after ? [h('span', { class: 'ctx' }, c.after), '…'] : '');
  return h('article', { class: 'occurrence' },
    h('h3', null, docLink(o.doc, c.title || null), o.doc === origin ? h('span', { class: 'pill' }, 'الأصل المرجَّح') : ''),
    body);
}

/** Near-duplicate documents (whole articles republished), when there are any. */
async function duplicates(main, doc, alive) {
  let r;
  try { r = await api('duplicates', { doc }); } catch { return; }
  if (!alive() || !(r.groups || []).length) return;
  main.append(section('وثائق شبه مطابقة', h('ul', { class: 'plain' }, r.groups.map((g) => h('li', { class: 'dup-group' },
    g.docs.map((d, i) => [i ? ' ⟷ ' : '', docLink(d), typeof g.origin === 'number' && g.origin === i ? h('span', { class: 'pill' }, 'الأقدم') : '']),
    h('span', { class: 'muted small' }, ` · تشابه ${Math.round((g.similarity || 0) * 100)}% · تغطية ${Math.round((g.coverage || 0) * 100)}%`))))));
}
