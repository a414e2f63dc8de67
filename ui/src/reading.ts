// The daily feed (day / week / month, trending or newest) and the paper page with its
// similar papers.
import * as api from "./api";
import { paperCard } from "./cards";
import { mathEl } from "./math";
import { button, el } from "./dom";
import { renderLong } from "./virtual";

export type Period = "day" | "week" | "month";
export interface FeedView {
  kind: "feed";
  period: Period;
  day: string;
  sort: "upvotes" | "date";
}
export interface PaperView {
  kind: "paper";
  key: string;
}

const SPAN: Record<Period, number> = { day: 1, week: 7, month: 30 };

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function shift(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function pretty(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString(undefined, { weekday: "short", year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
}

/** Asks the UI to open a paper's page. */
export function openPaper(key: string): void {
  document.dispatchEvent(new CustomEvent("open-paper", { detail: key }));
}

export async function renderFeed(
  v: FeedView,
  head: HTMLElement,
  results: HTMLElement,
  show: (v: FeedView) => void,
  actions: (p: api.Paper) => HTMLElement[],
): Promise<void> {
  const span = SPAN[v.period];
  const from = span === 1 ? v.day : shift(v.day, 1 - span);
  const f = await api.feed(from, span === 1 ? null : v.day, v.sort);
  // Asked for today but the newest papers are older: say so rather than show an old day
  // as if it were today.
  const newest = v.period === "day" && v.day === today() && f.to !== today();
  const dayTitle = f.to === today() ? "Today" : newest ? `Newest papers: ${pretty(f.to)}` : pretty(f.to);
  const title = el("h1", "view-title", v.period === "day" ? dayTitle : v.period === "week" ? "This week" : "This month");
  title.id = "feed-title";
  const n = f.papers.length === 1 ? "1 paper" : `${f.papers.length} papers`;
  const range = el("p", "muted", v.period === "day" ? `${n} of ${pretty(f.to)}` : `${n}, ${pretty(f.from)} – ${pretty(f.to)}`);
  const bar = el("div", "list-actions feed-controls");
  for (const p of ["day", "week", "month"] as Period[]) {
    const b = button(p === "day" ? "Day" : p === "week" ? "Week" : "Month", p === v.period ? "small on" : "small", () => show({ ...v, period: p, day: f.to }));
    b.id = `period-${p}`;
    bar.append(b);
  }
  const prev = button("◀", "small", () => show({ ...v, day: shift(f.to, -span) }), "Earlier");
  prev.id = "feed-prev";
  const next = button("▶", "small", () => show({ ...v, day: shift(f.to, span) }), "Later");
  next.id = "feed-next";
  next.disabled = f.to >= today();
  const picker = el("input");
  picker.type = "date";
  picker.id = "feed-date";
  picker.value = f.to;
  picker.max = today();
  picker.addEventListener("change", () => picker.value && show({ ...v, day: picker.value }));
  const sort = el("select");
  sort.id = "feed-sort";
  for (const [value, text] of [["upvotes", "Trending"], ["date", "Newest"]]) {
    const o = el("option", undefined, text);
    o.value = value;
    sort.append(o);
  }
  sort.value = v.sort;
  sort.addEventListener("change", () => show({ ...v, sort: sort.value as FeedView["sort"] }));
  bar.append(prev, picker, next, sort);
  head.hidden = false;
  head.replaceChildren(title, range, bar);
  if (f.papers.length === 0) {
    results.replaceChildren(el("p", "empty-note", "No papers for this period in your library. Try an earlier day, or Sync."));
    return;
  }
  renderLong(results, f.papers, (p) => paperCard(p, [], actions(p)));
}

export async function renderPaper(
  v: PaperView,
  head: HTMLElement,
  results: HTMLElement,
  actions: (p: api.Paper) => HTMLElement[],
  back: () => void,
): Promise<void> {
  const p = await api.paper(v.key);
  const page = el("article", "paper-page");
  page.append(button("← Back", "small link back", back));
  const h = mathEl("h1", "view-title", p.title, p.math.title);
  h.id = "paper-title";
  page.append(h);
  const meta = el("div", "meta");
  if (p.published) meta.append(el("span", undefined, `Published ${p.published}`));
  else if (p.first_seen) meta.append(el("span", "seen", `First seen ${p.first_seen} (no published date)`));
  if (p.updated && p.updated !== p.published) meta.append(el("span", undefined, `updated ${p.updated}`));
  if (p.upvotes !== null) meta.append(el("span", "upvotes", `▲ ${p.upvotes}`));
  for (const c of p.categories) meta.append(el("span", "chip", c));
  for (const s of p.sources) meta.append(el("span", "chip source", s));
  page.append(meta);
  if (p.authors.length > 0) page.append(el("p", "authors-full", p.authors.join(", ")));
  const card = paperCard(p, [], actions(p));
  // The card gives the links and actions; the page shows the whole abstract instead.
  const cardMeta = card.querySelector(".meta .links");
  if (cardMeta) page.append(cardMeta);
  const acts = card.querySelector(".card-actions");
  if (acts) page.append(acts);
  if (p.ai_summary) {
    const ai = el("section", "ai");
    ai.append(el("h2", undefined, "AI summary (Hugging Face)"), el("p", undefined, p.ai_summary));
    if (p.ai_keywords.length > 0) ai.append(el("p", "muted", p.ai_keywords.join(" · ")));
    page.append(ai);
  }
  page.append(el("h2", undefined, "Abstract"), mathEl("p", "abstract-full", p.abstract, p.math.abstract));
  head.hidden = false;
  head.replaceChildren(page);
  const sims = await api.similar(v.key, 10);
  const section = el("h2", "similar-title", sims.length > 0 ? "Similar papers in your library" : "Similar papers appear once this paper is indexed.");
  results.replaceChildren(section, ...sims.map(([q, s]) => paperCard(q, [el("span", "chip why", `similarity ${s.toFixed(2)}`)], actions(q))));
}
