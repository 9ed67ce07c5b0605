// The timeline: events on a date axis (earliest on the right, as Arabic
// reads), zoomable with the wheel or the buttons and draggable sideways;
// every event links to its evidence document. A chronological list of the
// loaded events follows the axis (and is the main view on narrow screens).
//
// A large corpus has thousands of entries, so the page never asks for them
// all: one first request brings the number of entries per month
// (`counts=month`, drawn as bars along the axis) and the latest few hundred
// (`limit=&latest=1`); then, as the reader zooms or pans, the entries of the
// range in view (at most a few hundred a request: where there are more, the
// bars say so and the reader zooms in). Only the cards near the view are in
// the DOM.
import {
  api, h, errorBox, empty, loading, fmtDate, setTitle, hashFor, eventLabel, entityChip, docLink, docHref, num,
} from '../util.js';

const CARD_W = 190;
const LANE_H = 74;
const PAD_LATE = CARD_W + 16; // the left end (latest): room for the last card
const PAD_EARLY = 28;
/** Entries loaded at first (the latest ones), and at most per later request. */
const WINDOW = 200;
const FETCH_MAX = 300;
/** Above this many loaded entries, only cards near the view are drawn. */
const DRAW_ALL = 400;
/** Card rows above the axis; events that find no room are counted in a
 * «+N» marker instead (zoom in to see them). */
const MAX_LANES = 6;

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
  const base = { from, to, entity };
  let data;
  try {
    data = await api('timeline', { ...base, limit: WINDOW, latest: 1, counts: 'month' });
  } catch (e) {
    if (alive()) out.replaceChildren(e.status === 404 ? empty(`لا يوجد كيان باسم «${entity}».`) : errorBox(e, 'الخط الزمني'));
    return;
  }
  if (!alive()) return;
  const counts = (data.counts || []).map((c) => ({ ...c, p: period(c.period) })).filter((c) => c.p);
  const total = data.total ?? (data.events || []).length;
  const store = new Map();
  const add = (list) => {
    let added = 0;
    for (const ev of list || []) {
      const key = [ev.date, ev.type, ev.title, (ev.docs || []).join(',')].join('|');
      if (store.has(key)) continue;
      store.set(key, { ...ev, i: store.size, p: period(ev.date, ev.granularity) });
      added++;
    }
    return added;
  };
  add(data.events);
  if (!store.size) { out.replaceChildren(empty('لا أحداث في هذه الفترة.', from || to || entity ? 'وسّع الفترة أو أزل التصفية.' : 'لم يُستخرج أي حدث مؤرخ من الوثائق بعد.')); return; }

  const listHead = h('h2', { id: 'tl-list-h' });
  const list = h('ol', { class: 'tl-list' });
  const showList = () => {
    const events = [...store.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.i - b.i));
    listHead.textContent = events.length < total
      ? `قائمة الأحداث (${num(events.length)} من ${num(total)}؛ حرّك المحور أو كبّره لتحميل غيرها)`
      : `قائمة الأحداث (${num(total)})`;
    list.replaceChildren(...events.map(listItem));
  };
  out.replaceChildren();
  let cleanup = null;
  if ([...store.values()].some((e) => e.p)) {
    const axis = axisView(store, counts, async (t0, t1) => {
      // the range in view: its entries, or the first FETCH_MAX of them
      const r = await api('timeline', { ...base, from: later(from, isoDay(t0)), to: earlier(to, isoDay(t1)), limit: FETCH_MAX });
      if (!alive()) return 'gone';
      if (add(r.events)) showList();
      return (r.total ?? 0) > (r.events || []).length ? 'many' : 'ok';
    }, total);
    out.append(axis.el);
    cleanup = axis.cleanup;
  }
  out.append(h('section', { class: 'card', 'aria-labelledby': 'tl-list-h' }, listHead, list));
  showList();
  return cleanup;
}

/** Fractional year → YYYY-MM-DD. */
function isoDay(t) {
  const y = Math.floor(t);
  const d = new Date(Date.UTC(y, 0, 1) + (t - y) * 365.25 * 86400000);
  return d.toISOString().slice(0, 10);
}
const later = (a, b) => (!a ? b : a > b ? a : b);
const earlier = (a, b) => (!a ? b : a < b ? a : b);

function listItem(ev) {
  return h('li', { class: 'tl-item', id: 'ev-' + ev.i },
    h('div', { class: 'tl-item-date' }, h('time', { datetime: ev.date }, fmtDate(ev.date, ev.granularity) || 'بلا تاريخ')),
    h('div', { class: 'tl-item-body' },
      h('h3', null, h('span', { class: 'pill' }, eventLabel(ev.type)), ' ', ev.title),
      (ev.actors || []).length || ev.place ? h('p', { class: 'chips' }, (ev.actors || []).map((a) => entityChip(a)), ev.place ? entityChip(ev.place) : null) : null,
      (ev.evidence || []).map((t) => h('blockquote', { class: 'evidence', dir: 'auto' }, t)),
      (ev.docs || []).length ? h('p', { class: 'small' }, 'الدليل: ', ev.docs.map((d, i) => [i ? '، ' : '', docLink(d)])) : null));
}

function axisView(store, counts, load, total) {
  const loaded = () => [...store.values()].filter((e) => e.p);
  const spans = counts.length ? counts.map((c) => c.p) : loaded().map((e) => e.p);
  let lo = Math.min(...spans.map((p) => p[0]));
  let hi = Math.max(...spans.map((p) => p[1]));
  const span0 = Math.max(hi - lo, 1);
  lo -= span0 * 0.03;
  hi += span0 * 0.03;
  // start zoomed so that most neighbouring events are a card apart (an old
  // outlier would otherwise squeeze everything into one corner); the view
  // opens on the latest events, at the left end
  const events0 = loaded();
  const starts = [...new Set(events0.map((e) => e.p[0]))].sort((a, b) => a - b);
  const gaps = starts.slice(1).map((t, i) => t - starts[i]).sort((a, b) => a - b);
  const gap = gaps.length ? gaps[Math.floor(gaps.length / 2)] || 1 / 365 : 1;
  const fitW = Math.max(320, (typeof innerWidth === 'number' ? innerWidth : 1000) - 80);
  let zoom = Math.min(12, Math.max(1, (CARD_W * 0.9 * (hi - lo)) / gap / fitW));
  if (events0.length < total) {
    // not everything is loaded: open on the loaded (latest) range
    const lo0 = Math.min(...events0.map((e) => e.p[0]));
    zoom = Math.min(5000, Math.max(zoom, (hi - lo) / Math.max(hi - lo0, 1 / 12)));
  }
  const maxCount = Math.max(1, ...counts.map((c) => c.count));
  const viewport = h('div', { class: 'tl-viewport', tabindex: '0', role: 'region', 'aria-label': 'محور الأحداث: اسحب للتنقل واستخدم العجلة أو الأزرار للتكبير' });
  const inner = h('div', { class: 'tl-inner' });
  viewport.append(inner);
  const label = h('span', { class: 'muted small', 'aria-live': 'polite' });

  const width = () => Math.max(viewport.clientWidth || 800, 320) * zoom;
  const xOf = (t, W) => PAD_LATE + ((hi - t) / (hi - lo)) * (W - PAD_LATE - PAD_EARLY);

  const hint = h('p', { class: 'muted small tl-hint', 'aria-live': 'polite' });
  function draw() {
    const W = width();
    inner.style.width = W + 'px';
    inner.replaceChildren();
    const pxPerYear = (W - PAD_LATE - PAD_EARLY) / (hi - lo);
    // the cards near the view only, when there are many
    const all = loaded();
    const vw = viewport.clientWidth || 800;
    const x0 = viewport.scrollLeft - vw;
    const x1 = viewport.scrollLeft + 2 * vw;
    const events = all.length <= DRAW_ALL ? all : all.filter((e) => { const x = xOf(e.p[0], W); return x >= x0 && x <= x1 + CARD_W; });
    // lanes: place cards from the left (latest) so each card sits to the left of its point
    const candidates = events.map((e) => ({ e, x: xOf(e.p[0], W) })).sort((a, b) => a.x - b.x);
    const laneEnd = [];
    const placed = [];
    const crowded = new Map();
    for (const p of candidates) {
      let lane = laneEnd.findIndex((end) => p.x - CARD_W >= end + 8);
      if (lane < 0 && laneEnd.length < MAX_LANES) { lane = laneEnd.length; laneEnd.push(0); }
      if (lane < 0) {
        const k = Math.floor(p.x / (CARD_W / 2));
        crowded.set(k, (crowded.get(k) || 0) + 1);
        continue;
      }
      laneEnd[lane] = p.x;
      p.lane = lane;
      placed.push(p);
    }
    const lanes = Math.max(laneEnd.length, 1) + (crowded.size ? 1 : 0);
    const axisY = lanes * LANE_H + 16;
    inner.style.height = axisY + 46 + 'px';
    // entries per month, as bars above the axis (where the unloaded ones are)
    const bars = h('div', { class: 'tl-bars', style: `top:${axisY - 24}px`, 'aria-hidden': 'true' });
    for (const c of counts) {
      const a = xOf(c.p[1], W);
      const b = xOf(c.p[0], W);
      if (b < x0 || a > x1) continue;
      bars.append(h('span', { class: 'tl-bar', title: `${fmtDate(c.period)}: ${num(c.count)}`, style: `left:${a}px;width:${Math.max(b - a - 1, 2)}px;height:${Math.max(2, Math.round((22 * c.count) / maxCount))}px` }));
    }
    // ticks
    const steps = [1 / 365, 7 / 365, 1 / 12, 0.25, 1, 2, 5, 10, 20, 25, 50, 100];
    const step = steps.find((s) => s * pxPerYear >= 64) || 100;
    const ticks = h('div', { class: 'tl-ticks', style: `top:${axisY}px` });
    const tick0 = Math.ceil(Math.max(lo, hi - (x1 - PAD_LATE) / pxPerYear - step) / step) * step;
    for (let t = tick0; t <= hi; t += step) {
      const x = xOf(t, W);
      if (x < x0) break;
      if (x > x1) continue;
      const y = Math.floor(t + 1e-9);
      const mo = Math.round((t - y) * 12);
      const text = step < 1 / 12 ? fmtDate(isoDay(t)) : step < 1 ? fmtDate(`${y}-${String(Math.min(mo, 11) + 1).padStart(2, '0')}`, 'month') : String(y);
      ticks.append(h('span', { class: 'tl-tick', style: `left:${x}px` }, text));
    }
    inner.append(bars, h('div', { class: 'tl-axis', style: `top:${axisY}px` }), ticks);
    for (const [k, n] of crowded) {
      const x = (k + 0.5) * (CARD_W / 2);
      inner.append(h('button', {
        class: 'tl-more', type: 'button', style: `left:${x}px;top:${(lanes - 1) * LANE_H + 6}px`,
        title: 'أحداث أخرى هنا: كبّر لعرضها', 'aria-label': `${num(n)} أحداث أخرى هنا؛ تكبير`,
        onclick: (ev) => zoomAt(3, ev.clientX),
      }, `+${num(n)}`));
    }
    for (const p of placed) {
      const { e } = p;
      const x = p.x;
      const x1e = xOf(e.p[1], W);
      const top = p.lane * LANE_H + 6;
      inner.append(
        h('div', { class: 'tl-stem', style: `left:${x}px;top:${top + 28}px;height:${axisY - top - 28}px` }),
        h('div', { class: 'tl-range', style: `left:${Math.min(x, x1e)}px;width:${Math.max(Math.abs(x - x1e), 6)}px;top:${axisY - 3}px`, title: fmtDate(e.date, e.granularity) }),
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

  // after a zoom or a pan settles: load the range in view if it is not yet
  const fetched = [];
  let pending = null;
  let seqNo = 0;
  function inView() {
    const W = width();
    const tOf = (x) => hi - ((x - PAD_LATE) / (W - PAD_LATE - PAD_EARLY)) * (hi - lo);
    const vw = viewport.clientWidth || 800;
    return [tOf(viewport.scrollLeft + vw), tOf(viewport.scrollLeft)];
  }
  function settle() {
    clearTimeout(pending);
    pending = setTimeout(async () => {
      if (loaded().length >= total) { hint.textContent = ''; return; }
      const [t0, t1] = inView();
      if (fetched.some(([a, b]) => a <= t0 && b >= t1)) return;
      const my = ++seqNo;
      let r;
      try { r = await load(t0, t1); } catch { return; }
      if (my !== seqNo || r === 'gone') return;
      draw();
      if (r === 'many') { hint.textContent = 'في هذا المدى أحداث أكثر مما يُعرض: كبّر المحور لعرضها كلها.'; return; }
      hint.textContent = '';
      fetched.push([t0, t1]);
    }, 250);
  }
  let raf = 0;
  viewport.addEventListener('scroll', () => {
    if (loaded().length > DRAW_ALL && !raf) raf = requestAnimationFrame(() => { raf = 0; draw(); });
    settle();
  });

  function zoomAt(factor, clientX) {
    const rect = viewport.getBoundingClientRect();
    const cx = clientX === undefined ? rect.width / 2 : clientX - rect.left;
    const W0 = width();
    const ratio = (viewport.scrollLeft + cx) / W0;
    zoom = Math.min(5000, Math.max(1, zoom * factor));
    draw();
    viewport.scrollLeft = ratio * width() - cx;
    draw();
    settle();
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
    h('button', { class: 'btn', type: 'button', onclick: () => { zoom = 1; draw(); viewport.scrollLeft = 0; draw(); settle(); } }, 'ملاءمة'),
    label);
  const el = h('section', { class: 'card tl-card-wrap', 'aria-labelledby': 'tl-axis-h' },
    h('h2', { id: 'tl-axis-h' }, 'المحور', h('span', { class: 'muted small' }, ' · الأقدم على اليمين والأحدث على اليسار')),
    controls, viewport, hint);
  const ro = new ResizeObserver(() => draw());
  ro.observe(viewport);
  requestAnimationFrame(() => { draw(); viewport.scrollLeft = 0; draw(); });
  return { el, cleanup: () => { ro.disconnect(); clearTimeout(pending); } };
}
