// Stories: clusters of documents about the same thing, each with its
// entities, terms, date range, documents and an extractive summary.
import { api, h, errorBox, empty, loading, num, count, fmtDate, setTitle, docLink, entityChip, getDoc } from '../util.js';
import { summaryList } from './entity.js';

export async function render(main, route, alive) {
  setTitle('القصص');
  const out = h('div', null, loading());
  main.append(h('h1', null, 'القصص'), h('p', { class: 'lead' }, 'وثائق تروي الحدث نفسه، مجمّعة في قصص، مع خلاصة من جملها الأهم.'), out);
  let data;
  try {
    data = await api('stories');
  } catch (e) {
    if (alive()) out.replaceChildren(errorBox(e, 'القصص'));
    return;
  }
  if (!alive()) return;
  const stories = data.stories || [];
  if (!stories.length) { out.replaceChildren(empty('لم تتكوّن قصص بعد.', 'تتكوّن القصة من وثيقتين أو أكثر تشترك في الكيانات والمفردات.')); return; }
  out.replaceChildren(h('p', { class: 'result-count' }, count(stories.length, ['قصة واحدة', 'قصتان', 'قصص', 'قصة'])));
  const list = h('ol', { class: 'plain stories' });
  out.append(list);
  for (const s of stories) {
    const sumBox = h('div', { class: 'story-summary' }, loading('جارٍ تلخيص القصة…'));
    const docsList = h('ul', { class: 'doc-list' }, (s.docs || []).map((d) => h('li', { 'data-doc': d }, docLink(d))));
    list.append(h('li', { class: 'card story', id: 'story-' + s.id },
      h('h2', null, s.label || s.id),
      h('p', { class: 'hit-meta' },
        s.from ? h('span', null, s.from === s.to || !s.to ? fmtDate(s.from) : `${fmtDate(s.from)} – ${fmtDate(s.to)}`) : null,
        h('span', null, count(s.size ?? (s.docs || []).length, ['وثيقة واحدة', 'وثيقتان', 'وثائق', 'وثيقة']))),
      (s.entities || []).length ? h('p', { class: 'chips' }, s.entities.map((e) => (typeof e === 'string' ? h('span', { class: 'chip chip-plain' }, e) : entityChip(e)))) : null,
      (s.terms || []).length ? h('p', { class: 'terms small' }, 'مفردات: ', s.terms.map((t, i) => [i ? '، ' : '', h('span', { class: 'term' }, typeof t === 'string' ? t : t.term || t.text)])) : null,
      h('h3', null, 'الخلاصة'), sumBox,
      h('details', null, h('summary', null, 'الوثائق'), docsList)));
    // titles for the documents, then the summary
    for (const li of docsList.children) {
      getDoc(li.dataset.doc).then((d) => {
        if (d && (d.title || d.display_title)) li.replaceChildren(docLink(d.id, d.title || d.display_title));
      }).catch(() => {});
    }
    api('summary', { story: s.id, sentences: 3 })
      .then((r) => sumBox.replaceChildren((r.sentences || []).length ? summaryList(r.sentences) : empty('لا خلاصة لهذه القصة.')))
      .catch((e) => sumBox.replaceChildren(errorBox(e, 'الخلاصة')));
  }
}
