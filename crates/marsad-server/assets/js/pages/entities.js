// The entity list: filter by type and name, most documents first. A page
// asks for counts, not document ids (`doc_ids=0`): the top entities of a
// large corpus appear in thousands of documents.
import { api, h, errorBox, empty, loading, num, count, setTitle, hashFor, typeLabel, entityHref, TYPE_AR_PLURAL } from '../util.js';

const PAGE = 60;

export async function render(main, route, alive) {
  setTitle('الكيانات');
  const type = route.params.get('type') || '';
  const name = route.params.get('name') || '';
  const offset = Math.max(0, parseInt(route.params.get('offset') || '0', 10) || 0);
  const sel = h('select', { id: 'ent-type', name: 'type' },
    h('option', { value: '' }, 'كل الأنواع'),
    ['person', 'organization', 'place', 'misc'].map((t) => h('option', { value: t, selected: t === type || null }, TYPE_AR_PLURAL[t])));
  const inp = h('input', { id: 'ent-name', name: 'name', type: 'search', value: name, dir: 'auto', placeholder: 'جزء من الاسم' });
  const form = h('form', { class: 'filters', onsubmit: (e) => {
    e.preventDefault();
    location.hash = hashFor('entities', { type: sel.value, name: inp.value.trim() });
  } },
  h('div', { class: 'field' }, h('label', { for: 'ent-type' }, 'النوع'), sel),
  h('div', { class: 'field' }, h('label', { for: 'ent-name' }, 'الاسم'), inp),
  h('button', { class: 'btn btn-primary', type: 'submit' }, 'تصفية'));
  sel.addEventListener('change', () => form.requestSubmit());
  const out = h('div', null, loading());
  main.append(h('h1', null, 'الكيانات'), h('p', { class: 'lead' }, 'الأشخاص والمنظمات والأماكن، موحَّدة عبر الوثائق وصيغ الكتابة.'), form, out);
  let data;
  try {
    data = await api('entities', { type, name, limit: PAGE, offset, doc_ids: 0 });
  } catch (e) {
    if (alive()) out.replaceChildren(errorBox(e, 'الكيانات'));
    return;
  }
  if (!alive()) return;
  const list = data.entities || [];
  if (!list.length) { out.replaceChildren(empty('لا كيانات تطابق هذا التصفية.')); return; }
  const total = data.total ?? list.length;
  out.replaceChildren(
    h('p', { class: 'result-count' }, count(total, ['كيان واحد', 'كيانان', 'كيانات', 'كياناً'])),
    h('ul', { class: 'entity-cards' }, list.map((e) => h('li', { class: `entity-card ent-border-${e.type}` },
      h('a', { href: entityHref(e.id), class: 'entity-name' }, e.name),
      h('span', { class: `type-badge ent-${e.type}` }, typeLabel(e.type)),
      (e.roles || []).length ? h('p', { class: 'small muted' }, e.roles.slice(0, 3).join(' · ')) : null,
      h('p', { class: 'small' }, `${num(e.doc_count ?? (e.docs || []).length)} وثيقة · ${num(e.mentions)} ذكر`)))),
    total > PAGE ? h('nav', { class: 'pager', 'aria-label': 'صفحات' },
      offset > 0 ? h('a', { class: 'btn', href: hashFor('entities', { type, name, offset: offset - PAGE }) }, '→ السابق') : h('span'),
      h('span', { class: 'muted' }, `${num(offset + 1)}–${num(Math.min(total, offset + PAGE))} من ${num(total)}`),
      offset + PAGE < total ? h('a', { class: 'btn', href: hashFor('entities', { type, name, offset: offset + PAGE }) }, 'التالي ←') : h('span')) : '');
}
