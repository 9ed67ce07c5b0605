// A small force-directed layout (no dependencies): many-body repulsion,
// springs along edges (stronger for heavier edges), a pull to the centre and
// a minimum distance between nodes. Deterministic: initial positions come
// from a seeded generator, so the same graph lays out the same way.

export function createSimulation(nodes, links, opts = {}) {
  const width = opts.width || 800;
  const height = opts.height || 600;
  const rand = mulberry32(opts.seed || 7);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edges = links
    .map((l) => ({ ...l, s: byId.get(l.source), t: byId.get(l.target) }))
    .filter((l) => l.s && l.t && l.s !== l.t);
  const maxW = Math.max(1, ...edges.map((e) => e.weight || 1));
  const degree = new Map();
  for (const e of edges) {
    degree.set(e.s, (degree.get(e.s) || 0) + 1);
    degree.set(e.t, (degree.get(e.t) || 0) + 1);
  }
  // start on a phyllotaxis spiral with a little jitter: even, deterministic
  nodes.forEach((n, i) => {
    if (n.x === undefined) {
      const r = 12 * Math.sqrt(i + 0.5);
      const a = i * Math.PI * (3 - Math.sqrt(5));
      n.x = width / 2 + r * Math.cos(a) + (rand() - 0.5);
      n.y = height / 2 + r * Math.sin(a) + (rand() - 0.5);
    }
    n.vx = 0; n.vy = 0;
  });
  const sim = {
    alpha: 1, alphaMin: 0.002, alphaDecay: 0.022, velocityDecay: 0.55,
    width, height, nodes, edges,
    tick() {
      const a = this.alpha;
      const n = nodes.length;
      // repulsion
      const k = 1500;
      for (let i = 0; i < n; i++) {
        const p = nodes[i];
        for (let j = i + 1; j < n; j++) {
          const q = nodes[j];
          let dx = q.x - p.x;
          let dy = q.y - p.y;
          let d2 = dx * dx + dy * dy;
          if (d2 < 0.01) { dx = rand() - 0.5; dy = rand() - 0.5; d2 = dx * dx + dy * dy; }
          if (d2 > 250000) continue;
          const d = Math.sqrt(d2);
          const minD = (p.r || 6) + (q.r || 6) + 6;
          let f = (k * a) / d2;
          if (d < minD) f += ((minD - d) / d) * 0.5;
          const fx = dx * f;
          const fy = dy * f;
          p.vx -= fx; p.vy -= fy;
          q.vx += fx; q.vy += fy;
        }
      }
      // springs
      for (const e of edges) {
        const { s, t } = e;
        const dx = t.x - s.x;
        const dy = t.y - s.y;
        const d = Math.sqrt(dx * dx + dy * dy) || 1;
        const w = Math.log1p(e.weight || 1) / Math.log1p(maxW);
        const len = 80 + 60 * (1 - w);
        const ds = Math.min(degree.get(s), degree.get(t)) || 1;
        const str = (0.25 + 0.75 * w) / ds;
        const f = ((d - len) / d) * str * a;
        const bs = degree.get(s) / (degree.get(s) + degree.get(t));
        t.vx -= dx * f * bs; t.vy -= dy * f * bs;
        s.vx += dx * f * (1 - bs); s.vy += dy * f * (1 - bs);
      }
      // centre
      const cx = width / 2;
      const cy = height / 2;
      for (const p of nodes) {
        p.vx += (cx - p.x) * 0.012 * a;
        p.vy += (cy - p.y) * 0.012 * a;
      }
      for (const p of nodes) {
        if (p.fx !== undefined && p.fx !== null) { p.x = p.fx; p.y = p.fy; p.vx = 0; p.vy = 0; continue; }
        p.vx *= this.velocityDecay; p.vy *= this.velocityDecay;
        p.x += p.vx; p.y += p.vy;
      }
      this.alpha += (0 - this.alpha) * this.alphaDecay;
      return this.alpha > this.alphaMin;
    },
    reheat(v = 0.3) { this.alpha = Math.max(this.alpha, v); },
  };
  return sim;
}

function mulberry32(a) {
  return function () {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
