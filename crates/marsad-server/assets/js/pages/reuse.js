// Text reuse: passages shared between documents, two occurrences side by
// side with a little of their surrounding text.
import { api, h, errorBox, empty, loading, num, count, setTitle, docLink, byteIndexer, getDoc, hashFor, shortId, originDoc, section } from '../util.js';

const CONTEXT = 160;

export async function render(main, route, alive) {
  const doc = route.params.get('doc') || '';
  const only = route.params.get('group');
  const minWords = route.params.get('min_words') || '';
  setTitle('النصوص المشتركة');
  const out = h('div', null, loading());
  main.append(h('h1', null, 'النصوص المشتركة'),
    h('p', { class: 'lead' }, 'فقرات تتكرر بين الوثائق (نقل أو إعادة صياغة قريبة)، معروضة جنباً إلى جنب.',
      doc ? [' ', h('span', null, 'الوثيقة: '), docLink(doc), ' · ', h('a', { href: '#/reuse' }, 'كل الوثائق')] : null),
    out);
  let data;
  try {
    data = await api('reuse', { doc, min_words: minWords, across: 1, limit: 100 });
  } catch (e) {
    if (alive()) out.replaceChildren(errorBox(e, 'النصوص المشتركة'));
    return;
  }
  if (!alive()) return;
  let groups = (data.groups || []).map((g, i) => ({ ...g, i, key: String(g.id ?? i) }));
  const chosen = only !== null && only !== '' ? groups.filter((g) => g.key === only) : [];
  if (chosen.length) groups = chosen;
  duplicates(main, doc, alive);
  if (!groups.length) { out.replaceChildren(empty(doc ? 'لا تشارك هذه الوثيقة نصوصاً مع وثائق أخرى.' : 'لا نصوص مشتركة بين الوثائق.')); return; }
  out.replaceChildren(h('p', { class: 'result-count' }, count(groups.length, ['مقطع مشترك واحد', 'مقطعان مشتركان', 'مقاطع مشتركة', 'مقطعاً مشتركاً'])),
    chosen.length ? h('p', null, h('a', { href: hashFor('reuse', { doc }) }, 'كل المقاطع ←')) : '');
  for (const g of groups) {
    const occ = g.occurrences || [];
    // the current document first (on the right), then the others
    const origin = originDoc(g);
    occ.sort((a, b) => (b.doc === doc) - (a.doc === doc) || (b.doc === origin) - (a.doc === origin));
    const cols = h('div', { class: 'side-by-side' });
    for (const o of occ) cols.append(occurrence(o, origin));
    out.append(h('section', { class: 'card reuse-group', 'aria-label': `مقطع مشترك ${g.i + 1}` },
      h('h2', null, `مقطع مشترك في ${count(new Set(occ.map((o) => o.doc)).size, ['وثيقة واحدة', 'وثيقتين', 'وثائق', 'وثيقة'])}${g.words ? ` · ${count(g.words, ['كلمة', 'كلمتان', 'كلمات', 'كلمة'])}` : ''}`,
        h('span', { class: 'muted small' }, ` · تشابه ${Math.round((g.similarity || 0) * 100)}%`)),
      cols));
  }
}

function occurrence(o, origin) {
  const body = h('p', { class: 'reuse-context', dir: 'rtl' }, h('mark', { class: 'reuse-mark' }, o.text));
  const col = h('article', { class: 'occurrence' },
    h('h3', null, docLink(o.doc), o.doc === origin ? h('span', { class: 'pill' }, 'الأصل المرجَّح') : ''),
    body);
  // add the surrounding text from the document when it loads
  getDoc(o.doc).then((d) => {
    const t = d.text || '';
    const idx = byteIndexer(t);
    const s = idx(o.start);
    const e = idx(o.end);
    if (!(e > s)) return;
    const a0 = Math.max(0, s - CONTEXT);
    const b0 = Math.min(t.length, e + CONTEXT);
    body.replaceChildren(
      a0 > 0 ? '…' : '', h('span', { class: 'ctx' }, t.slice(a0, s)),
      h('mark', { class: 'reuse-mark' }, t.slice(s, e)),
      h('span', { class: 'ctx' }, t.slice(e, b0)), b0 < t.length ? '…' : '');
    col.querySelector('h3').replaceChildren(docLink(o.doc, d.title || d.display_title || shortId(o.doc)),
      o.doc === origin ? h('span', { class: 'pill' }, 'الأصل المرجَّح') : '');
  }).catch(() => {});
  return col;
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
