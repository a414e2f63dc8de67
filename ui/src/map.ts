// The map of the library: every embedded paper as a dot, laid out by meaning in Rust,
// drawn on a canvas. Colour by category or reading list; wheel zooms, drag pans, hover
// names the paper, click opens it; a search or a list is highlighted.
import * as api from "./api";
import { setMathText } from "./math";
import { el } from "./dom";

// The titles' formulas by point, looked up once per map.
const mathByMap = new WeakMap<api.LibraryMap, Map<number, api.MathSpan[]>>();
function titleMath(map: api.LibraryMap): Map<number, api.MathSpan[]> {
  let m = mathByMap.get(map);
  if (!m) {
    m = new Map(map.titleMath);
    mathByMap.set(map, m);
  }
  return m;
}

export interface MapView {
  kind: "map";
  query?: string;
  list?: number;
}

// Colour-blind-friendly palette (Okabe–Ito plus two), then grey for "other".
const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#8c564b", "#7f7f7f"];
const OTHER = "rgba(128,128,128,0.45)";
const GRID = 64;

interface State {
  map: api.LibraryMap;
  canvas: HTMLCanvasElement;
  colourBy: "category" | "list";
  highlight: Set<number>;
  scale: number;
  ox: number;
  oy: number;
  grid: number[][];
}

function buildGrid(m: api.LibraryMap): number[][] {
  const grid: number[][] = Array.from({ length: GRID * GRID }, () => []);
  m.xs.forEach((x, i) => {
    const gx = Math.min(GRID - 1, Math.floor(x * GRID));
    const gy = Math.min(GRID - 1, Math.floor((m.ys[i] ?? 0) * GRID));
    grid[gy * GRID + gx]?.push(i);
  });
  return grid;
}

/** The point under canvas pixel (px, py), within 7 px. */
function pick(s: State, px: number, py: number): number | null {
  const wx = (px - s.ox) / s.scale;
  const wy = (py - s.oy) / s.scale;
  const r = 7 / s.scale;
  let best: number | null = null;
  let bestD = r * r;
  const lo = (v: number) => Math.max(0, Math.floor((v - r) * GRID));
  const hi = (v: number) => Math.min(GRID - 1, Math.floor((v + r) * GRID));
  for (let gy = lo(wy); gy <= hi(wy); gy++) {
    for (let gx = lo(wx); gx <= hi(wx); gx++) {
      for (const i of s.grid[gy * GRID + gx] ?? []) {
        const dx = (s.map.xs[i] ?? 0) - wx;
        const dy = (s.map.ys[i] ?? 0) - wy;
        const d = dx * dx + dy * dy;
        if (d <= bestD) {
          bestD = d;
          best = i;
        }
      }
    }
  }
  return best;
}

function colours(s: State): string[] {
  const n = s.map.keys.length;
  if (s.colourBy === "category") {
    const named = s.map.categories.length;
    if (named === 0) return new Array<string>(n).fill(PALETTE[0] ?? OTHER);
    return Array.from({ length: n }, (_, i) => {
      const g = s.map.groups[i] ?? named;
      return g < named ? (PALETTE[g] ?? OTHER) : OTHER;
    });
  }
  const out = new Array<string>(n).fill(OTHER);
  s.map.lists.forEach((l, j) => {
    const c = PALETTE[j % PALETTE.length] ?? OTHER;
    for (const m of l.members) out[m] = c;
  });
  return out;
}

function draw(s: State): void {
  const { canvas } = s;
  const ratio = window.devicePixelRatio || 1;
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
    canvas.width = Math.round(w * ratio);
    canvas.height = Math.round(h * ratio);
  }
  const ctx = canvas.getContext("2d");
  if (!ctx) return;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, w, h);
  const fills = colours(s);
  const dim = s.highlight.size > 0;
  // Batched by colour: one fillStyle change per colour keeps 75k dots fast.
  const byColour = new Map<string, number[]>();
  fills.forEach((c, i) => {
    if (dim && s.highlight.has(i)) return;
    let arr = byColour.get(c);
    if (!arr) byColour.set(c, (arr = []));
    arr.push(i);
  });
  // Dots grow with zoom, from a base that suits the library's size.
  const n = s.map.keys.length;
  const base = n < 500 ? 5 : n < 5000 ? 3.5 : 2.5;
  const zoom = s.scale / (Math.min(w, h) * 0.92);
  const size = Math.min(9, base * Math.max(1, Math.sqrt(zoom)));
  ctx.globalAlpha = dim ? 0.25 : 0.9;
  for (const [c, idx] of byColour) {
    ctx.fillStyle = c;
    for (const i of idx) {
      ctx.fillRect(s.ox + (s.map.xs[i] ?? 0) * s.scale - size / 2, s.oy + (s.map.ys[i] ?? 0) * s.scale - size / 2, size, size);
    }
  }
  ctx.globalAlpha = 1;
  if (dim) {
    const ring = getComputedStyle(canvas).color;
    for (const i of s.highlight) {
      const x = s.ox + (s.map.xs[i] ?? 0) * s.scale;
      const y = s.oy + (s.map.ys[i] ?? 0) * s.scale;
      ctx.beginPath();
      ctx.arc(x, y, size + 2.5, 0, Math.PI * 2);
      ctx.fillStyle = fills[i] ?? OTHER;
      ctx.fill();
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = ring;
      ctx.stroke();
    }
  }
  // The transform, for tests and tools that need a dot's pixel.
  canvas.dataset.scale = String(s.scale);
  canvas.dataset.ox = String(s.ox);
  canvas.dataset.oy = String(s.oy);
  canvas.dataset.highlighted = String(s.highlight.size);
}

function fit(s: State): void {
  const w = s.canvas.clientWidth;
  const h = s.canvas.clientHeight;
  s.scale = Math.min(w, h) * 0.92;
  s.ox = (w - s.scale) / 2;
  s.oy = (h - s.scale) / 2;
}

function legend(s: State, box: HTMLElement): void {
  const items: [string, string][] =
    s.colourBy === "category" && s.map.categories.length === 0
      ? [[PALETTE[0] ?? OTHER, "papers without categories"]]
      : s.colourBy === "category"
      ? [...s.map.categories.map((c, i): [string, string] => [PALETTE[i] ?? OTHER, c]), [OTHER, "other"]]
      : s.map.lists.length === 0
        ? [[OTHER, "no reading lists yet"]]
        : s.map.lists.map((l, j): [string, string] => [PALETTE[j % PALETTE.length] ?? OTHER, `${l.name} (${l.members.length})`]);
  box.replaceChildren(
    ...items.map(([c, name]) => {
      const item = el("span", "legend-item");
      const sw = el("span", "swatch");
      sw.style.background = c;
      item.append(sw, el("span", undefined, name));
      return item;
    }),
  );
}

async function highlightQuery(s: State, q: string): Promise<void> {
  s.highlight.clear();
  if (q.trim()) {
    let hits: api.SearchHit[];
    try {
      hits = await api.search(q, "hybrid", 30, undefined, "map");
    } catch (e) {
      if (api.isIpcError(e) && e.kind === "superseded") return; // a newer highlight draws
      throw e;
    }
    const at = new Map(s.map.keys.map((k, i) => [k, i]));
    for (const h of hits) {
      const i = at.get(h.paper.key);
      if (i !== undefined) s.highlight.add(i);
    }
  }
  draw(s);
}

/** Renders the map view into the page. */
export async function renderMap(v: MapView, head: HTMLElement, results: HTMLElement, open: (key: string) => void): Promise<void> {
  head.hidden = false;
  const colourBy = el("select");
  colourBy.id = "map-colour";
  colourBy.setAttribute("aria-label", "Colour by");
  for (const [value, text] of [
    ["category", "Colour by category"],
    ["list", "Colour by reading list"],
  ] as const) {
    const o = el("option", undefined, text);
    o.value = value;
    colourBy.append(o);
  }
  const find = el("input");
  find.id = "map-highlight";
  find.type = "search";
  find.placeholder = "Highlight papers matching…";
  find.value = v.query ?? "";
  find.spellcheck = false;
  const reset = el("button", "small", "Fit");
  reset.type = "button";
  const box = el("div", "legend");
  const title = el("h1", "view-title", "Map of your library");
  const note = el("p", "muted", "Nearby papers are about the same thing. Scroll to zoom, drag to move, click a dot to open the paper.");
  const controls = el("div", "map-controls");
  controls.append(colourBy, find, reset);
  head.replaceChildren(title, note, controls, box);

  const progress = el("progress");
  progress.max = 100;
  results.replaceChildren(el("p", "loading", "Laying out your library…"), progress);
  const unlisten = await api.onMapProgress((p) => {
    progress.value = p.done;
  });
  let map: api.LibraryMap;
  try {
    map = await api.libraryMap();
  } finally {
    unlisten();
  }
  if (map.keys.length === 0) {
    results.replaceChildren(
      el("p", "empty-note", map.unplaced > 0 ? `Your ${map.unplaced} papers are still being indexed; the map appears when they are.` : "Your library is empty. Sync or import papers to see the map."),
    );
    return;
  }
  const wrap = el("div", "map-wrap");
  const canvas = el("canvas", "map");
  canvas.id = "map";
  canvas.dataset.points = String(map.keys.length);
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", `Map of ${map.keys.length} papers`);
  const tip = el("div", "map-tip");
  tip.id = "map-tip";
  tip.hidden = true;
  wrap.append(canvas, tip);
  const extra = map.unplaced > 0 ? [el("p", "muted", `${map.unplaced} papers are not on the map yet (still being indexed).`)] : [];
  results.replaceChildren(wrap, ...extra);

  const s: State = {
    map,
    canvas,
    colourBy: v.list !== undefined ? "list" : "category",
    highlight: new Set(),
    scale: 1,
    ox: 0,
    oy: 0,
    grid: buildGrid(map),
  };
  colourBy.value = s.colourBy;
  if (v.list !== undefined) {
    for (const m of map.lists.find((l) => l.id === v.list)?.members ?? []) s.highlight.add(m);
  }
  fit(s);
  legend(s, box);
  draw(s);
  if (v.query) await highlightQuery(s, v.query);

  const onChange = () => {
    s.colourBy = colourBy.value === "list" ? "list" : "category";
    legend(s, box);
    draw(s);
  };
  colourBy.addEventListener("change", onChange);
  colourBy.addEventListener("input", onChange);
  let typing = 0;
  find.addEventListener("input", () => {
    window.clearTimeout(typing);
    typing = window.setTimeout(() => void highlightQuery(s, find.value), 200);
  });
  reset.addEventListener("click", () => {
    fit(s);
    draw(s);
  });
  const resized = new ResizeObserver(() => {
    if (!canvas.isConnected) {
      resized.disconnect(); // the view was left
      return;
    }
    draw(s);
  });
  resized.observe(canvas);

  canvas.addEventListener(
    "wheel",
    (ev) => {
      ev.preventDefault();
      const r = canvas.getBoundingClientRect();
      const mx = ev.clientX - r.left;
      const my = ev.clientY - r.top;
      const f = Math.exp(-ev.deltaY * 0.0015);
      const next = Math.max(50, Math.min(s.scale * f, 400_000));
      const k = next / s.scale;
      s.ox = mx - (mx - s.ox) * k;
      s.oy = my - (my - s.oy) * k;
      s.scale = next;
      draw(s);
    },
    { passive: false },
  );
  // Mouse events (not pointer events): every WebKit and WebDriver build sends them.
  let drag: { x: number; y: number; moved: boolean } | null = null;
  const hover = (ev: MouseEvent) => {
    const r = canvas.getBoundingClientRect();
    const i = pick(s, ev.clientX - r.left, ev.clientY - r.top);
    canvas.style.cursor = i === null ? "grab" : "pointer";
    if (i === null) {
      tip.hidden = true;
      return;
    }
    setMathText(tip, s.map.titles[i] ?? "", titleMath(s.map).get(i));
    tip.dataset.key = s.map.keys[i] ?? "";
    tip.hidden = false;
    // Beside the pointer, flipped to stay inside the map near its right and bottom edges.
    const x = ev.clientX - r.left;
    const y = ev.clientY - r.top;
    tip.style.left = `${x + 12 + tip.offsetWidth > r.width ? Math.max(0, x - 12 - tip.offsetWidth) : x + 12}px`;
    tip.style.top = `${y + 12 + tip.offsetHeight > r.height ? Math.max(0, y - 12 - tip.offsetHeight) : y + 12}px`;
  };
  const onMove = (ev: MouseEvent) => {
    if (!drag) return;
    if (!drag.moved && Math.abs(ev.clientX - drag.x) + Math.abs(ev.clientY - drag.y) <= 3) return;
    s.ox += ev.clientX - drag.x;
    s.oy += ev.clientY - drag.y;
    drag = { x: ev.clientX, y: ev.clientY, moved: true };
    tip.hidden = true;
    draw(s);
  };
  const onUp = (ev: MouseEvent) => {
    window.removeEventListener("mousemove", onMove);
    window.removeEventListener("mouseup", onUp);
    const wasDrag = drag?.moved ?? false;
    drag = null;
    if (wasDrag || ev.button !== 0) return;
    const r = canvas.getBoundingClientRect();
    const i = pick(s, ev.clientX - r.left, ev.clientY - r.top);
    const key = i === null ? undefined : s.map.keys[i];
    if (key) open(key);
  };
  canvas.addEventListener("mousedown", (ev) => {
    if (ev.button !== 0) return;
    ev.preventDefault();
    drag = { x: ev.clientX, y: ev.clientY, moved: false };
    window.addEventListener("mousemove", onMove);
    window.addEventListener("mouseup", onUp);
  });
  canvas.addEventListener("mousemove", (ev) => {
    if (!drag) hover(ev);
  });
  canvas.addEventListener("mouseleave", () => {
    tip.hidden = true;
  });
}
