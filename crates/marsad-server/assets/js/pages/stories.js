// Stories: clusters of documents about the same thing, each with its
// entities, terms, outlets, date range and first titles.
//
// A page of stories is one request (`/api/stories?preview=`): the list
// carries what it shows, so the page costs the same at 26k or 250k
// articles. A story's full document list and its summary are fetched only
// when the reader opens them.
import { api, h, errorBox, empty, loading, num, count, fmtDate, setTitle, docLink, entityChip, hashFor } from '../util.js';
import { summaryList } from './entity.js';

const PAGE = 20;
const PREVIEW = 5;

export async function render(main, route, alive) {
  setTitle('القصص');
  const offset = Math.max(0, parseInt(route.params.get('offset') || '0', 10) || 0);
  const out = h('div', null, loading());
  main.append(h('h1', null, 'القصص'), h('p', { class: 'lead' }, 'وثائق تروي الحدث نفسه، مجمّعة في قصص، مع خلاصة من جملها الأهم.'), out);
  let data;
  try {
    data = await api('stories', { limit: PAGE, offset, preview: PREVIEW });
  } catch (e) {
    if (alive()) out.replaceChildren(errorBox(e, 'القصص'));
    return;
  }
  if (!alive()) return;
  const stories = data.stories || [];
  const total = data.total ?? stories.length;
  if (!stories.length) { out.replaceChildren(empty(offset ? 'لا قصص في هذه الصفحة.' : 'لم تتكوّن قصص بعد.', 'تتكوّن القصة من وثيقتين أو أكثر تشترك في الكيانات والمفردات.')); return; }
  const list = h('ol', { class: 'plain stories', start: offset + 1 });
  out.replaceChildren(h('p', { class: 'result-count' }, count(total, ['قصة واحدة', 'قصتان', 'قصص', 'قصة'])), list, pager(offset, total));
  for (const s of stories) list.append(storyCard(s));
}

function storyCard(s) {
  const size = s.size ?? (s.docs || []).length;
  const titles = s.titles || [];
  const sources = (s.sources || []).filter((x) => x.name);
  const sumBox = h('div', { class: 'story-summary' });
  const sumDetails = h('details', { class: 'story-summary-toggle' }, h('summary', null, 'الخلاصة'), sumBox);
  sumDetails.addEventListener('toggle', () => {
    if (!sumDetails.open || sumBox.dataset.loaded) return;
    sumBox.dataset.loaded = '1';
    sumBox.replaceChildren(loading('جارٍ تلخيص القصة…'));
    api('summary', { story: s.id, sentences: 3 })
      .then((r) => sumBox.replaceChildren((r.sentences || []).length ? summaryList(r.sentences) : empty('لا خلاصة لهذه القصة.')))
      .catch((e) => { delete sumBox.dataset.loaded; sumBox.replaceChildren(errorBox(e, 'الخلاصة')); });
  });
  const docsBox = h('div');
  const more = (s.docs || []).length > titles.length;
  const docsDetails = more ? h('details', { class: 'story-docs' }, h('summary', null, `كل الوثائق (${num((s.docs || []).length)})`), docsBox) : null;
  if (docsDetails) {
    docsDetails.addEventListener('toggle', () => {
      if (!docsDetails.open || docsBox.dataset.loaded) return;
      docsBox.dataset.loaded = '1';
      docsBox.replaceChildren(loading());
      api('stories/' + encodeURIComponent(s.id))
        .then((d) => docsBox.replaceChildren(docList(d.documents || [])))
        .catch((e) => { delete docsBox.dataset.loaded; docsBox.replaceChildren(errorBox(e, 'وثائق القصة')); });
    });
  }
  return h('li', { class: 'card story', id: 'story-' + s.id },
    h('h2', null, s.label || s.id),
    h('p', { class: 'hit-meta' },
      s.from ? h('span', null, s.from === s.to || !s.to ? fmtDate(s.from) : `${fmtDate(s.from)} – ${fmtDate(s.to)}`) : null,
      h('span', null, count(size, ['وثيقة واحدة', 'وثيقتان', 'وثائق', 'وثيقة'])),
      sources.length ? h('span', { class: 'story-sources' }, sources.slice(0, 5).map((x, i) => [i ? '، ' : '', x.name, h('span', { class: 'muted' }, ` (${num(x.documents)})`)]),
        sources.length > 5 ? ` و${count(sources.length - 5, ['مصدر آخر', 'مصدران آخران', 'مصادر أخرى', 'مصدراً آخر'])}` : '') : null),
    (s.entities || []).length ? h('p', { class: 'chips' }, s.entities.map((e) => (typeof e === 'string' ? h('span', { class: 'chip chip-plain' }, e) : entityChip(e)))) : null,
    (s.terms || []).length ? h('p', { class: 'terms small' }, 'مفردات: ', s.terms.map((t, i) => [i ? '، ' : '', h('span', { class: 'term' }, typeof t === 'string' ? t : t.term || t.text)])) : null,
    titles.length ? docList(titles) : h('ul', { class: 'doc-list' }, (s.docs || []).slice(0, PREVIEW).map((d) => h('li', { 'data-doc': d }, docLink(d)))),
    docsDetails,
    sumDetails);
}

function docList(docs) {
  return h('ul', { class: 'doc-list' }, docs.map((d) => h('li', { 'data-doc': d.id },
    docLink(d.id, d.display_title || d.title || null),
    d.source || d.date ? h('span', { class: 'muted small' }, d.source ? ` · ${d.source}` : '', d.date ? ` · ${fmtDate(d.date)}` : '') : null)));
}

function pager(offset, total) {
  if (total <= PAGE) return '';
  return h('nav', { class: 'pager', 'aria-label': 'صفحات' },
    offset > 0 ? h('a', { class: 'btn', href: hashFor('stories', { offset: Math.max(0, offset - PAGE) || null }) }, '→ السابق') : h('span'),
    h('span', { class: 'muted' }, `${num(offset + 1)}–${num(Math.min(total, offset + PAGE))} من ${num(total)}`),
    offset + PAGE < total ? h('a', { class: 'btn', href: hashFor('stories', { offset: offset + PAGE }) }, 'التالي ←') : h('span'));
}
