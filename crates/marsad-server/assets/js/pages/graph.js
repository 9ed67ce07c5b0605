// The actor graph: an interactive node-link view in SVG. Drag a node to move
// it, drag the background to pan, wheel or buttons to zoom, click (or Enter)
// on a node to open the entity's profile.
import { api, h, svg, errorBox, empty, loading, num, setTitle, hashFor, typeLabel, kindLabel, entityHref, TYPE_AR_PLURAL } from '../util.js';
import { createSimulation } from '../force.js';

/** Edges drawn per node at most (the heaviest): a dense graph of hundreds
 * of nodes is unreadable and heavy to send. */
const EDGES_PER_NODE = 4;

export async function render(main, route, alive) {
  setTitle('شبكة الفاعلين');
  const maxNodes = route.params.get('max_nodes') || '60';
  const minWeight = route.params.get('min_weight') || '1';
  const focus = route.params.get('focus') || '';
  const selN = h('select', { id: 'g-max', name: 'max_nodes' }, ['30', '60', '100', '300'].map((v) => h('option', { value: v, selected: v === maxNodes || null }, v)));
  const inW = h('input', { id: 'g-minw', name: 'min_weight', type: 'number', min: 1, max: 50, value: minWeight, dir: 'ltr', size: 4 });
  const form = h('form', { class: 'filters', onsubmit: (e) => {
    e.preventDefault();
    location.hash = hashFor('graph', { max_nodes: selN.value, min_weight: inW.value, focus });
  } },
  h('div', { class: 'field' }, h('label', { for: 'g-max' }, 'عدد العقد'), selN),
  h('div', { class: 'field' }, h('label', { for: 'g-minw' }, 'أدنى وزن للصلة'), inW),
  h('button', { class: 'btn btn-primary', type: 'submit' }, 'عرض'));
  const out = h('div', null, loading());
  main.append(h('h1', null, 'شبكة الفاعلين'),
    h('p', { class: 'lead' }, 'الكيانات المرتبطة بالظهور في الجمل نفسها وبالعلاقات المذكورة صراحة (لقاء، زيارة، إمداد، تصريح).'),
    form, out);
  let data;
  try {
    data = await api('graph', { max_nodes: maxNodes, min_weight: minWeight, max_edges: EDGES_PER_NODE * (+maxNodes || 60) });
  } catch (e) {
    if (alive()) out.replaceChildren(errorBox(e, 'الشبكة'));
    return;
  }
  if (!alive()) return;
  if (!(data.nodes || []).length) { out.replaceChildren(empty('الشبكة فارغة: لا كيانات مترابطة بعد.')); return; }
  out.replaceChildren();
  const view = graphView(data, focus);
  out.append(view.el);
  return view.cleanup;
}

function graphView(data, focusId) {
  const maxM = Math.max(1, ...data.nodes.map((n) => n.mentions || 1));
  // draw small nodes first so the big ones (and their labels) stay on top
  const nodes = data.nodes.map((n) => ({ ...n, r: 5 + 17 * Math.sqrt((n.mentions || 1) / maxM) }))
    .sort((a, b) => (a.mentions || 0) - (b.mentions || 0));
  const labelled = new Set([...nodes].sort((a, b) => (b.mentions || 0) - (a.mentions || 0)).slice(0, 24).map((n) => n.id));
  if (focusId) labelled.add(focusId);
  const adj = new Map(nodes.map((n) => [n.id, new Set()]));
  for (const e of data.edges || []) {
    if (adj.has(e.source) && adj.has(e.target)) { adj.get(e.source).add(e.target); adj.get(e.target).add(e.source); }
  }

  const holder = h('div', { class: 'graph-holder' });
  // the simulation works in a 1000×680 space; the view box follows the
  // element's size (measure()), so a phone gets a portrait view, not a
  // letterboxed landscape one
  let W = 1000;
  let H = 680;
  const sim = createSimulation(nodes, data.edges || [], { width: W, height: H });
  const root = svg('svg', { class: 'graph', viewBox: `0 0 ${W} ${H}`, role: 'group', 'aria-label': `شبكة من ${nodes.length} كياناً`, preserveAspectRatio: 'xMidYMid meet' });
  const layer = svg('g', {});
  const edgeLayer = svg('g', { class: 'edges' });
  const nodeLayer = svg('g', { class: 'nodes' });
  layer.append(edgeLayer, nodeLayer);
  root.append(layer);
  holder.append(root);

  const maxW = Math.max(1, ...sim.edges.map((e) => e.weight || 1));
  for (const e of sim.edges) {
    e.el = svg('line', {
      class: 'edge' + ((e.kinds || []).length ? ' typed' : ''),
      'stroke-width': (0.6 + 3.4 * Math.log1p(e.weight || 1) / Math.log1p(maxW)).toFixed(2),
    }, svg('title', {}, `${e.s.name} — ${e.t.name}: ${num(e.weight)}${(e.kinds || []).length ? ' (' + e.kinds.map(kindLabel).join('، ') + ')' : ''}`));
    edgeLayer.append(e.el);
  }
  const info = h('div', { class: 'graph-info', 'aria-live': 'polite' }, h('span', { class: 'muted' }, 'مرّر فوق عقدة أو ركّز عليها لرؤية تفاصيلها؛ انقر لفتح ملفها.'));
  const showInfo = (n) => {
    info.replaceChildren(
      h('a', { href: entityHref(n.id), class: `chip ent-${n.type}` }, n.name),
      h('span', null, ` ${typeLabel(n.type)} · ${num(n.mentions)} ذكر · ${num(adj.get(n.id).size)} صلة`));
  };
  const highlight = (n) => {
    root.classList.toggle('has-hover', !!n);
    for (const m of nodes) m.el.classList.toggle('near', !!n && (m === n || adj.get(n.id).has(m.id)));
    for (const e of sim.edges) e.el.classList.toggle('near', !!n && (e.s === n || e.t === n));
  };

  for (const n of nodes) {
    const g = svg('g', {
      class: `node ent-${n.type}` + (labelled.has(n.id) ? ' labelled' : '') + (n.id === focusId ? ' focus' : ''),
      tabindex: '0', role: 'link', 'aria-label': `${n.name} (${typeLabel(n.type)})`, 'data-id': n.id,
    },
    svg('circle', { r: n.r.toFixed(1) }),
    svg('text', { y: n.r.toFixed(1), dy: '1.05em', 'text-anchor': 'middle' }, n.name));
    n.el = g;
    g.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); location.hash = entityHref(n.id); } });
    g.addEventListener('pointerenter', () => { highlight(n); showInfo(n); });
    g.addEventListener('pointerleave', () => { if (!drag) highlight(null); });
    g.addEventListener('focus', () => { highlight(n); showInfo(n); });
    g.addEventListener('blur', () => highlight(null));
    g.addEventListener('pointerdown', (ev) => startDrag(ev, n));
    nodeLayer.append(g);
  }

  // pan & zoom state
  let k = 1;
  let tx = 0;
  let ty = 0;
  const applyTransform = () => {
    layer.setAttribute('transform', `translate(${tx.toFixed(1)},${ty.toFixed(1)}) scale(${k.toFixed(3)})`);
    // labels keep a readable size whatever the zoom
    nodeLayer.style.setProperty('--label-size', `${Math.min(40, Math.max(5, 13 / k)).toFixed(1)}px`);
  };
  const toSvg = (cx, cy) => {
    const r = root.getBoundingClientRect();
    const s = Math.min(r.width / W, r.height / H);
    const ox = (r.width - W * s) / 2;
    const oy = (r.height - H * s) / 2;
    return [(cx - r.left - ox) / s, (cy - r.top - oy) / s];
  };
  const zoomAt = (f, cx, cy) => {
    const [px, py] = cx === undefined ? [W / 2, H / 2] : toSvg(cx, cy);
    const nk = Math.min(8, Math.max(0.2, k * f));
    tx = px - ((px - tx) * nk) / k;
    ty = py - ((py - ty) * nk) / k;
    k = nk;
    applyTransform();
  };

  let drag = null;
  function startDrag(ev, n) {
    if (ev.button !== 0) return;
    ev.stopPropagation();
    const [x, y] = toSvg(ev.clientX, ev.clientY);
    drag = { n, x0: ev.clientX, y0: ev.clientY, moved: false, dx: n.x - (x - tx) / k, dy: n.y - (y - ty) / k };
    root.setPointerCapture(ev.pointerId);
  }
  let pan = null;
  root.addEventListener('pointerdown', (ev) => {
    if (drag || ev.button !== 0) return;
    pan = { x: ev.clientX, y: ev.clientY, tx, ty };
    root.setPointerCapture(ev.pointerId);
    root.classList.add('panning');
  });
  root.addEventListener('pointermove', (ev) => {
    if (drag) {
      if (Math.hypot(ev.clientX - drag.x0, ev.clientY - drag.y0) > 4) drag.moved = true;
      if (!drag.moved) return;
      const [x, y] = toSvg(ev.clientX, ev.clientY);
      drag.n.fx = (x - tx) / k + drag.dx;
      drag.n.fy = (y - ty) / k + drag.dy;
      sim.reheat(0.25);
      kick();
    } else if (pan) {
      const r = root.getBoundingClientRect();
      const s = Math.min(r.width / W, r.height / H);
      tx = pan.tx + (ev.clientX - pan.x) / s;
      ty = pan.ty + (ev.clientY - pan.y) / s;
      applyTransform();
    }
  });
  const endPointer = () => {
    if (drag) {
      const { n, moved } = drag;
      drag = null;
      if (!moved) { location.hash = entityHref(n.id); return; }
      // keep it where it was dropped
    }
    pan = null;
    root.classList.remove('panning');
  };
  root.addEventListener('pointerup', endPointer);
  root.addEventListener('pointercancel', () => { drag = null; pan = null; root.classList.remove('panning'); });
  root.addEventListener('wheel', (ev) => { ev.preventDefault(); zoomAt(ev.deltaY < 0 ? 1.2 : 1 / 1.2, ev.clientX, ev.clientY); }, { passive: false });

  const draw = () => {
    for (const e of sim.edges) {
      e.el.setAttribute('x1', e.s.x.toFixed(1)); e.el.setAttribute('y1', e.s.y.toFixed(1));
      e.el.setAttribute('x2', e.t.x.toFixed(1)); e.el.setAttribute('y2', e.t.y.toFixed(1));
    }
    for (const n of nodes) n.el.setAttribute('transform', `translate(${n.x.toFixed(1)},${n.y.toFixed(1)})`);
  };
  let raf = 0;
  let stopped = false;
  const frame = () => {
    raf = 0;
    if (stopped) return;
    let running = true;
    for (let i = 0; i < 4 && running; i++) running = sim.tick();
    draw();
    if (running) raf = requestAnimationFrame(frame);
    else { root.dataset.settled = 'true'; if (!fitted) fit(); }
  };
  const kick = () => { delete root.dataset.settled; if (!raf) raf = requestAnimationFrame(frame); };
  let fitted = false;
  const fit = () => {
    fitted = true;
    const xs = nodes.map((n) => n.x);
    const ys = nodes.map((n) => n.y);
    const x0 = Math.min(...xs) - 40; const x1 = Math.max(...xs) + 40;
    const y0 = Math.min(...ys) - 30; const y1 = Math.max(...ys) + 40;
    k = Math.min(2.5, Math.max(0.2, Math.min(W / (x1 - x0), H / (y1 - y0))));
    tx = (W - (x0 + x1) * k) / 2;
    ty = (H - (y0 + y1) * k) / 2;
    applyTransform();
  };
  const measure = () => {
    const r = root.getBoundingClientRect();
    if (r.width < 50 || r.height < 50) return;
    if (Math.abs(r.width - W) < 2 && Math.abs(r.height - H) < 2) return;
    W = r.width;
    H = r.height;
    root.setAttribute('viewBox', `0 0 ${W.toFixed(0)} ${H.toFixed(0)}`);
    fit();
  };
  const ro = new ResizeObserver(() => measure());
  ro.observe(root);
  // lay out mostly before first paint so the view does not jump around
  for (let i = 0; i < 120; i++) sim.tick();
  draw();
  fit();
  fitted = false;
  kick();

  const legend = h('p', { class: 'legend' }, ['person', 'organization', 'place', 'misc'].map((t) =>
    h('span', { class: `legend-item ent-${t}` }, h('span', { class: 'dot', 'aria-hidden': 'true' }), TYPE_AR_PLURAL[t])),
  h('span', { class: 'legend-item' }, h('span', { class: 'line typed', 'aria-hidden': 'true' }), 'علاقة مذكورة'),
  h('span', { class: 'legend-item' }, h('span', { class: 'line', 'aria-hidden': 'true' }), 'ظهور مشترك'));
  const toolbar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'التحكم في العرض' },
    h('button', { class: 'btn', type: 'button', onclick: () => zoomAt(1.3) }, '+ تكبير'),
    h('button', { class: 'btn', type: 'button', onclick: () => zoomAt(1 / 1.3) }, '− تصغير'),
    h('button', { class: 'btn', type: 'button', onclick: () => fit() }, 'ملاءمة'),
    h('button', { class: 'btn', type: 'button', onclick: () => { for (const n of nodes) { n.fx = null; n.fy = null; } sim.reheat(0.6); fitted = false; kick(); } }, 'إعادة الترتيب'),
    h('span', { class: 'muted small' }, `${num(nodes.length)} عقدة · ${num(sim.edges.length)} صلة`));
  const el = h('section', { class: 'card graph-card', 'aria-label': 'الشبكة' }, toolbar, legend, info, holder,
    h('details', { class: 'graph-list' }, h('summary', null, 'العقد كقائمة'),
      h('ul', { class: 'chips' }, [...nodes].reverse().map((n) => h('li', null, h('a', { class: `chip ent-${n.type}`, href: entityHref(n.id) }, n.name, h('span', { class: 'chip-count' }, num(n.mentions))))))));
  return { el, cleanup: () => { stopped = true; ro.disconnect(); if (raf) cancelAnimationFrame(raf); } };
}
