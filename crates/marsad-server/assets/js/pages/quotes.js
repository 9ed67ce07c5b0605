// Who said what: quotations grouped by speaker (named entities first, then
// unnamed speakers such as «مصادر» or «محللون»), one page of quotes at a
// time: a large corpus has tens of thousands.
import { api, h, errorBox, empty, loading, num, count, setTitle, hashFor, entityHref } from '../util.js';
import { quoteItem } from './entity.js';

const PAGE = 100;

export async function render(main, route, alive) {
  setTitle('من قال ماذا');
  const speaker = route.params.get('speaker') || '';
  const offset = Math.max(0, parseInt(route.params.get('offset') || '0', 10) || 0);
  const inp = h('input', { id: 'speaker', name: 'speaker', type: 'search', value: speaker, dir: 'auto', placeholder: 'اسم المتحدث أو معرّفه' });
  const form = h('form', { class: 'filters', onsubmit: (e) => {
    e.preventDefault();
    location.hash = hashFor('quotes', { speaker: inp.value.trim() });
  } },
  h('div', { class: 'field' }, h('label', { for: 'speaker' }, 'المتحدث'), inp),
  h('button', { class: 'btn btn-primary', type: 'submit' }, 'عرض'),
  speaker ? h('a', { class: 'btn', href: '#/quotes' }, 'الكل') : null);
  const out = h('div', null, loading());
  main.append(h('h1', null, 'من قال ماذا'), h('p', { class: 'lead' }, 'الاقتباسات المباشرة والأقوال المنقولة، مجمّعة حسب المتحدث.'), form, out);
  let data;
  try {
    data = await api('quotes', { speaker, limit: PAGE, offset });
  } catch (e) {
    if (alive()) out.replaceChildren(e.status === 404 ? empty(`لا يوجد متحدث باسم «${speaker}».`) : errorBox(e, 'الاقتباسات'));
    return;
  }
  if (!alive()) return;
  const quotes = data.quotes || [];
  if (!quotes.length) { out.replaceChildren(empty(speaker ? `لا اقتباسات لـ «${speaker}».` : 'لا اقتباسات في الأرشيف بعد.')); return; }

  const groups = new Map();
  for (const q of quotes) {
    const key = q.speaker ? 'E:' + q.speaker.id : 'T:' + (q.speaker_text || 'غير محدد');
    if (!groups.has(key)) groups.set(key, { speaker: q.speaker, text: q.speaker_text || 'متحدث غير محدد', quotes: [] });
    groups.get(key).quotes.push(q);
  }
  const sorted = [...groups.values()].sort((a, b) => (!!b.speaker - !!a.speaker) || b.quotes.length - a.quotes.length);
  const toc = h('nav', { class: 'speaker-toc card', 'aria-label': 'المتحدثون' }, h('h2', null, `المتحدثون (${num(sorted.length)})`),
    h('ul', { class: 'plain' }, sorted.map((g, i) => h('li', null,
      h('a', { href: '#speaker-' + i, onclick: (ev) => { ev.preventDefault(); document.getElementById('speaker-' + i).scrollIntoView({ behavior: 'smooth' }); } },
        g.speaker ? g.speaker.name : g.text),
      h('span', { class: 'count' }, num(g.quotes.length))))));
  const body = h('div', { class: 'speaker-groups' }, sorted.map((g, i) => h('section', { class: 'card speaker-group', id: 'speaker-' + i, 'aria-labelledby': 'sp-h-' + i },
    h('h2', { id: 'sp-h-' + i },
      g.speaker ? h('a', { href: entityHref(g.speaker.id) }, g.speaker.name) : h('span', { class: 'unnamed' }, g.text),
      h('span', { class: 'count' }, num(g.quotes.length))),
    g.speaker ? null : h('p', { class: 'small muted' }, 'متحدث غير مسمّى'),
    h('ul', { class: 'plain quote-list' }, g.quotes.map(quoteItem)))));
  const total = data.total ?? quotes.length;
  const pager = total > PAGE ? h('nav', { class: 'pager', 'aria-label': 'صفحات' },
    offset > 0 ? h('a', { class: 'btn', href: hashFor('quotes', { speaker, offset: Math.max(0, offset - PAGE) || null }) }, '→ السابق') : h('span'),
    h('span', { class: 'muted' }, `${num(offset + 1)}–${num(Math.min(total, offset + PAGE))} من ${num(total)}`),
    offset + PAGE < total ? h('a', { class: 'btn', href: hashFor('quotes', { speaker, offset: offset + PAGE }) }, 'التالي ←') : h('span')) : '';
  out.replaceChildren(h('p', { class: 'result-count' }, count(total, ['اقتباس واحد', 'اقتباسان', 'اقتباسات', 'اقتباساً'])), h('div', { class: 'quotes-layout' }, toc, body), pager);
}
