// The timeline: events on a date axis (earliest on the right, as Arabic
// reads), zoomable with the wheel or the buttons and draggable sideways;
// every event links to its evidence document. A full chronological list
// follows the axis (and is the main view on narrow screens).
import {
  api, h, errorBox, empty, loading, fmtDate, setTitle, hashFor, eventLabel, entityChip, docLink, docHref, num,
} from '../util.js';

const CARD_W = 190;
const LANE_H = 74;
const PAD_LATE = CARD_W + 16; // the left end (latest): room for the last card
const PAD_EARLY = 28;

/** "2019" / "2000-03" / "1948-10-12" → [start, end) in fractional years. */
export function period(date, granularity) {
  const m = /^(-?\d{1,4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(String(date || ''));
  if (!m) return null;
  const y = +m[1];
  const mo = m[2] ? +m[2] : null;
  const d = m[3] ? +m[3] : null;
  if (granularity === 'decade') return [y, y + 10];
  if (mo === null || granularity === 'year') return [y, y + 1];
  const ms = y + (mo - 1) / 12;
  if (d === null || granularity === 'month') return [ms, ms + 1 / 12];
  const doy = (Date.UTC(y, mo - 1, d) - Date.UTC(y, 0, 1)) / 86400000;
  return [y + doy / 365.25, y + (doy + 1) / 365.25];
}

export async function render(main, route, alive) {
  setTitle('الخط الزمني');
  const from = route.params.get('from') || '';
  const to = route.params.get('to') || '';
  const entity = route.params.get('entity') || '';
  const fFrom = h('input', { id: 'tl-from', name: 'from', value: from, inputmode: 'numeric', placeholder: 'مثال: 2000', dir: 'ltr', pattern: '\\d{4}(-\\d{2}){0,2}', size: 10 });
  const fTo = h('input', { id: 'tl-to', name: 'to', value: to, inputmode: 'numeric', placeholder: 'مثال: 2023-12', dir: 'ltr', pattern: '\\d{4}(-\\d{2}){0,2}', size: 10 });
  const fEnt = h('input', { id: 'tl-entity', name: 'entity', value: entity, dir: 'auto', placeholder: 'اسم أو معرّف' });
  const form = h('form', { class: 'filters', onsubmit: (e) => {
    e.preventDefault();
    location.hash = hashFor('timeline', { from: fFrom.value.trim(), to: fTo.value.trim(), entity: fEnt.value.trim() });
  } },
  h('div', { class: 'field' }, h('label', { for: 'tl-from' }, 'من'), fFrom),
  h('div', { class: 'field' }, h('label', { for: 'tl-to' }, 'إلى'), fTo),
  h('div', { class: 'field' }, h('label', { for: 'tl-entity' }, 'الكيان'), fEnt),
  h('button', { class: 'btn btn-primary', type: 'submit' }, 'عرض'),
  from || to || entity ? h('a', { class: 'btn', href: '#/timeline' }, 'الكل') : null);

  const out = h('div', null, loading());
  main.append(h('h1', null, 'الخط الزمني'), h('p', { class: 'lead' }, 'أحداث كل الوثائق على محور واحد؛ كل حدث يحيل إلى الوثيقة التي يستند إليها.'), form, out);
  let data;
  try {
    data = await api('timeline', { from, to, entity });
  } catch (e) {
    if (alive()) out.replaceChildren(e.status === 404 ? empty(`لا يوجد كيان باسم «${entity}».`) : errorBox(e, 'الخط الزمني'));
    return;
  }
  if (!alive()) return;
  const events = (data.events || []).map((ev, i) => ({ ...ev, i, p: period(ev.date, ev.granularity) }));
  const dated = events.filter((e) => e.p);
  if (!events.length) { out.replaceChildren(empty('لا أحداث في هذه الفترة.', from || to || entity ? 'وسّع الفترة أو أزل التصفية.' : 'لم يُستخرج أي حدث مؤرخ من الوثائق بعد.')); return; }

  out.replaceChildren();
  let cleanup = null;
  if (dated.length) {
    const axis = axisView(dated);
    out.append(axis.el);
    cleanup = axis.cleanup;
  }
  out.append(h('section', { class: 'card', 'aria-labelledby': 'tl-list-h' },
    h('h2', { id: 'tl-list-h' }, `قائمة الأحداث (${num(events.length)})`),
    h('ol', { class: 'tl-list' }, events.map(listItem))));
  return cleanup;
}

function listItem(ev) {
  return h('li', { class: 'tl-item', id: 'ev-' + ev.i },
    h('div', { class: 'tl-item-date' }, h('time', { datetime: ev.date }, fmtDate(ev.date, ev.granularity) || 'بلا تاريخ')),
    h('div', { class: 'tl-item-body' },
      h('h3', null, h('span', { class: 'pill' }, eventLabel(ev.type)), ' ', ev.title),
      (ev.actors || []).length || ev.place ? h('p', { class: 'chips' }, (ev.actors || []).map((a) => entityChip(a)), ev.place ? entityChip(ev.place) : null) : null,
      (ev.evidence || []).map((t) => h('blockquote', { class: 'evidence', dir: 'auto' }, t)),
      (ev.docs || []).length ? h('p', { class: 'small' }, 'الدليل: ', ev.docs.map((d, i) => [i ? '، ' : '', docLink(d)])) : null));
}

function axisView(events) {
  let lo = Math.min(...events.map((e) => e.p[0]));
  let hi = Math.max(...events.map((e) => e.p[1]));
  const span0 = Math.max(hi - lo, 1);
  lo -= span0 * 0.03;
  hi += span0 * 0.03;
  // start zoomed so that most neighbouring events are a card apart (an old
  // outlier would otherwise squeeze everything into one corner); the view
  // opens on the latest events, at the left end
  const starts = [...new Set(events.map((e) => e.p[0]))].sort((a, b) => a - b);
  const gaps = starts.slice(1).map((t, i) => t - starts[i]).sort((a, b) => a - b);
  const gap = gaps.length ? gaps[Math.floor(gaps.length / 2)] : 1;
  const fitW = Math.max(320, (typeof innerWidth === 'number' ? innerWidth : 1000) - 80);
  let zoom = Math.min(12, Math.max(1, (CARD_W * 0.9 * (hi - lo)) / gap / fitW));
  const viewport = h('div', { class: 'tl-viewport', tabindex: '0', role: 'region', 'aria-label': 'محور الأحداث: اسحب للتنقل واستخدم العجلة أو الأزرار للتكبير' });
  const inner = h('div', { class: 'tl-inner' });
  viewport.append(inner);
  const label = h('span', { class: 'muted small', 'aria-live': 'polite' });

  const width = () => Math.max(viewport.clientWidth || 800, 320) * zoom;
  const xOf = (t, W) => PAD_LATE + ((hi - t) / (hi - lo)) * (W - PAD_LATE - PAD_EARLY);

  function draw() {
    const W = width();
    inner.style.width = W + 'px';
    inner.replaceChildren();
    const pxPerYear = (W - PAD_LATE - PAD_EARLY) / (hi - lo);
    // lanes: place cards from the left (latest) so each card sits to the left of its point
    const placed = events.map((e) => ({ e, x: xOf(e.p[0], W) })).sort((a, b) => a.x - b.x);
    const laneEnd = [];
    for (const p of placed) {
      let lane = laneEnd.findIndex((end) => p.x - CARD_W >= end + 8);
      if (lane < 0) { lane = laneEnd.length; laneEnd.push(0); }
      laneEnd[lane] = p.x;
      p.lane = lane;
    }
    const lanes = Math.max(laneEnd.length, 1);
    const axisY = lanes * LANE_H + 16;
    inner.style.height = axisY + 46 + 'px';
    // ticks
    const steps = [1 / 12, 0.25, 1, 2, 5, 10, 20, 25, 50, 100];
    const step = steps.find((s) => s * pxPerYear >= 64) || 100;
    const ticks = h('div', { class: 'tl-ticks', style: `top:${axisY}px` });
    for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) {
      const y = Math.floor(t + 1e-9);
      const mo = Math.round((t - y) * 12);
      const text = step < 1 ? fmtDate(`${y}-${String(mo + 1).padStart(2, '0')}`, 'month') : String(y);
      ticks.append(h('span', { class: 'tl-tick', style: `left:${xOf(t, W)}px` }, text));
    }
    inner.append(h('div', { class: 'tl-axis', style: `top:${axisY}px` }), ticks);
    for (const p of placed) {
      const { e } = p;
      const x = p.x;
      const x1 = xOf(e.p[1], W);
      const top = p.lane * LANE_H + 6;
      inner.append(
        h('div', { class: 'tl-stem', style: `left:${x}px;top:${top + 28}px;height:${axisY - top - 28}px` }),
        h('div', { class: 'tl-range', style: `left:${Math.min(x, x1)}px;width:${Math.max(Math.abs(x - x1), 6)}px;top:${axisY - 3}px`, title: fmtDate(e.date, e.granularity) }),
        h('a', {
          class: `tl-card ev-${e.type}`, href: e.docs && e.docs[0] ? docHref(e.docs[0]) : '#ev-' + e.i,
          style: `left:${x - CARD_W}px;top:${top}px;width:${CARD_W}px`,
          title: (e.evidence || [])[0] || e.title,
        },
        h('span', { class: 'tl-card-date' }, h('time', { datetime: e.date }, fmtDate(e.date, e.granularity))),
        h('span', { class: 'tl-card-title' }, eventLabel(e.type), ': ', e.title)));
    }
    label.textContent = `التكبير ×${zoom.toFixed(zoom < 10 ? 1 : 0)}`;
  }

  function zoomAt(factor, clientX) {
    const rect = viewport.getBoundingClientRect();
    const cx = clientX === undefined ? rect.width / 2 : clientX - rect.left;
    const W0 = width();
    const ratio = (viewport.scrollLeft + cx) / W0;
    zoom = Math.min(80, Math.max(1, zoom * factor));
    draw();
    viewport.scrollLeft = ratio * width() - cx;
  }
  const onWheel = (ev) => {
    if (Math.abs(ev.deltaY) < Math.abs(ev.deltaX)) return; // sideways scroll pans
    ev.preventDefault();
    zoomAt(ev.deltaY < 0 ? 1.25 : 0.8, ev.clientX);
  };
  viewport.addEventListener('wheel', onWheel, { passive: false });
  viewport.addEventListener('keydown', (ev) => {
    if (ev.key === '+' || ev.key === '=') { zoomAt(1.25); ev.preventDefault(); }
    if (ev.key === '-') { zoomAt(0.8); ev.preventDefault(); }
  });
  // drag to pan (not when starting on a card: cards are links)
  let drag = null;
  viewport.addEventListener('pointerdown', (ev) => {
    if (ev.target.closest('a') || ev.button !== 0) return;
    drag = { x: ev.clientX, s: viewport.scrollLeft };
    viewport.setPointerCapture(ev.pointerId);
    viewport.classList.add('dragging');
  });
  viewport.addEventListener('pointermove', (ev) => { if (drag) viewport.scrollLeft = drag.s - (ev.clientX - drag.x); });
  const end = () => { drag = null; viewport.classList.remove('dragging'); };
  viewport.addEventListener('pointerup', end);
  viewport.addEventListener('pointercancel', end);

  const controls = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'التكبير' },
    h('button', { class: 'btn', type: 'button', onclick: () => zoomAt(1.5), 'aria-label': 'تكبير' }, '+ تكبير'),
    h('button', { class: 'btn', type: 'button', onclick: () => zoomAt(1 / 1.5), 'aria-label': 'تصغير' }, '− تصغير'),
    h('button', { class: 'btn', type: 'button', onclick: () => { zoom = 1; draw(); viewport.scrollLeft = 0; } }, 'ملاءمة'),
    label);
  const el = h('section', { class: 'card tl-card-wrap', 'aria-labelledby': 'tl-axis-h' },
    h('h2', { id: 'tl-axis-h' }, 'المحور', h('span', { class: 'muted small' }, ' · الأقدم على اليمين والأحدث على اليسار')),
    controls, viewport);
  const ro = new ResizeObserver(() => draw());
  ro.observe(viewport);
  requestAnimationFrame(() => { draw(); viewport.scrollLeft = 0; });
  return { el, cleanup: () => ro.disconnect() };
}
