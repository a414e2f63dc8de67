// The daily feed (day / week / month, trending or newest) and the paper page with its
// similar papers.
import * as api from "./api";
import { paperCard } from "./cards";
import { mathEl } from "./math";
import { button, el } from "./dom";
import { renderLong } from "./virtual";
import { hideSeenToggle, hidingSeen, loadMarks, reorder, setRatingScope, wasSeen } from "./ratings";

export type Period = "day" | "week" | "month";
export interface FeedView {
  kind: "feed";
  period: Period;
  day: string;
  sort: api.FeedSort;
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

/** A day with fewer papers than this opens as its week instead (a new library's starter
 *  papers are spread thin over many days). */
const FULL_DAY = 10;
/** Ratings that make For you the feed's default order without a list. */
const RATINGS_FOR_DEFAULT = 10;

/** Where the feed opens: the newest day (at the app's start, its week when the day is
 *  thin), For you's order once there is a reading list or ten ratings, else Trending. */
export async function feedDefault(opening = false): Promise<FeedView> {
  const [lists, rated, f] = await Promise.all([
    api.lists().catch(() => [] as api.ListSummary[]),
    api.ratings().catch(() => [] as api.RatedPaper[]),
    api.feed(today(), null, "upvotes", FULL_DAY).catch(() => null),
  ]);
  const sort: api.FeedSort = lists.length > 0 || rated.length >= RATINGS_FOR_DEFAULT ? "foryou" : "upvotes";
  if (opening && f && f.papers.length > 0 && f.papers.length < FULL_DAY) return { kind: "feed", period: "week", day: f.to, sort };
  return { kind: "feed", period: "day", day: today(), sort };
}

/** For you ranks a period's best this many papers. */
const FOR_YOU_LIMIT = 200;

/** Why a paper stands where it does in For you's order, as chips. */
export function whyChips(w: api.Why | undefined | null, because?: api.Because[], words?: string[]): HTMLElement[] {
  if (w?.yours) {
    const c = el("span", "chip why", "yours");
    c.title = "In one of your reading lists, or you gave it a thumbs up";
    return [c];
  }
  const out: HTMLElement[] = [];
  const b = (w?.because ?? because ?? [])[0];
  if (b) {
    const chip = el("span", "chip why", "like “");
    chip.append(mathEl("span", undefined, b.title, b.titleMath), `” · ${b.similarity.toFixed(2)}`);
    chip.title = "The paper of your lists (or thumbs up) it is most like, and their cosine similarity";
    out.push(chip);
  }
  const ws = w?.words ?? words ?? [];
  if (ws.length > 0) {
    const chip = el("span", "chip words", `shares: ${ws.join(" · ")}`);
    chip.title = "Words it shares with those papers that weigh most in both";
    out.push(chip);
  }
  return out;
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
  live: () => boolean,
): Promise<void> {
  const span = SPAN[v.period];
  const from = span === 1 ? v.day : shift(v.day, 1 - span);
  setRatingScope(null);
  const forYou = v.sort === "foryou";
  const f = await api.feed(from, span === 1 ? null : v.day, v.sort, forYou ? FOR_YOU_LIMIT : 2000);
  await loadMarks(f.papers.map((p) => p.key));
  // Another view was asked for meanwhile: it draws, this one does not.
  if (!live()) return;
  // Asked for today but the newest papers are older: say so rather than show an old day
  // as if it were today.
  const newest = v.period === "day" && v.day === today() && f.to !== today();
  const dayTitle = f.to === today() ? "Today" : newest ? `Newest papers: ${pretty(f.to)}` : pretty(f.to);
  const title = el("h1", "view-title", v.period === "day" ? dayTitle : v.period === "week" ? "This week" : "This month");
  title.id = "feed-title";
  const n = f.papers.length === 1 ? "1 paper" : `${f.papers.length} papers`;
  const what = forYou ? `${n} ranked for you` : n;
  const range = el("p", "muted", v.period === "day" ? `${what} of ${pretty(f.to)}` : `${what}, ${pretty(f.from)} – ${pretty(f.to)}`);
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
  for (const [value, text] of [["foryou", "For you"], ["upvotes", "Trending"], ["date", "Newest"]]) {
    const o = el("option", undefined, text);
    o.value = value;
    sort.append(o);
  }
  sort.value = v.sort;
  sort.addEventListener("change", () => show({ ...v, sort: sort.value as FeedView["sort"] }));
  bar.append(prev, picker, next, sort, hideSeenToggle(() => show({ ...v })));
  head.hidden = false;
  head.replaceChildren(title, range, bar);
  const why = new Map<string, api.Why>();
  f.papers.forEach((p, i) => {
    const w = f.why?.[i];
    if (w) why.set(p.key, w);
  });
  const shown = hidingSeen() ? f.papers.filter((p) => !wasSeen(p.key)) : f.papers;
  if (shown.length === 0) {
    const text = forYou && f.papers.length === 0
      ? "For you ranks the feed once you have a reading list or a thumbs up. Rate papers with the thumbs on each card (or + and -), or drop a reading list on the window."
      : f.papers.length > 0
        ? "You have seen every paper of this period. Untick “Hide seen” to show them again."
        : "No papers for this period in your library. Try an earlier day, or Sync.";
    results.replaceChildren(el("p", "empty-note", text));
    return;
  }
  const card = (p: api.Paper, w?: api.Why) => paperCard(p, forYou ? whyChips(w) : [], actions(p));
  if (forYou) {
    // Drawn whole (at most 200), so a rating can reorder the cards in place.
    results.replaceChildren(...shown.map((p) => card(p, why.get(p.key))));
    feedShown = { v, card };
    return;
  }
  feedShown = null;
  renderLong(results, shown, (p) => card(p));
}

/** The For you feed on screen, for reordering after a rating. */
let feedShown: { v: FeedView; card: (p: api.Paper, w?: api.Why) => HTMLElement } | null = null;

/** Reorders the For you feed on screen after a rating: the cards drawn stay (a 👎 one
 *  leaves), new ones come in where the ranking puts them. False when no For you feed is
 *  on screen. */
export async function reorderFeed(v: FeedView, results: HTMLElement): Promise<boolean> {
  const shown = feedShown;
  if (!shown || v.sort !== "foryou" || shown.v !== v) return false;
  const span = SPAN[v.period];
  const from = span === 1 ? v.day : shift(v.day, 1 - span);
  const f = await api.feed(from, span === 1 ? null : v.day, v.sort, FOR_YOU_LIMIT);
  const items = f.papers.map((p, i) => ({ p, w: f.why?.[i] }));
  await reorder(results, items, (it) => it.p.key, (it) => shown.card(it.p, it.w));
  return true;
}

export async function renderPaper(
  v: PaperView,
  head: HTMLElement,
  results: HTMLElement,
  actions: (p: api.Paper) => HTMLElement[],
  back: () => void,
  live: () => boolean,
): Promise<void> {
  const p = await api.paper(v.key);
  await loadMarks([p.key]);
  if (!live()) return;
  const page = el("article", "paper-page");
  page.append(button("← Back", "small link back", back));
  const h = mathEl("h1", "view-title", p.title, p.math.title);
  h.id = "paper-title";
  page.append(h);
  const meta = el("div", "meta");
  if (p.published) meta.append(el("span", undefined, `Published ${p.published}`));
  else if (p.firstSeen) meta.append(el("span", "seen", `First seen ${p.firstSeen} (no published date)`));
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
  if (p.aiSummary) {
    const ai = el("section", "ai");
    ai.append(el("h2", undefined, "AI summary (Hugging Face)"), el("p", undefined, p.aiSummary));
    if (p.aiKeywords.length > 0) ai.append(el("p", "muted", p.aiKeywords.join(" · ")));
    page.append(ai);
  }
  page.append(
    el("h2", undefined, "Abstract"),
    p.abstract ? mathEl("p", "abstract-full", p.abstract, p.math.abstract) : el("p", "abstract-full muted", p.sources.includes("feed") ? "The abstract is not in the feed: open the journal page." : "No abstract."),
  );
  if (p.doi || p.journal) page.append(el("p", "muted", [p.journal, p.doi ? `DOI ${p.doi}` : null].filter((x) => x).join(" · ")));
  head.hidden = false;
  head.replaceChildren(page);
  const sims = await api.similar(v.key, 10);
  await loadMarks(sims.map(([q]) => q.key));
  if (!live()) return;
  const section = el("h2", "similar-title", sims.length > 0 ? "Similar papers in your library" : "Similar papers appear once this paper is indexed.");
  results.replaceChildren(section, ...sims.map(([q, s]) => paperCard(q, [el("span", "chip why", `similarity ${s.toFixed(2)}`)], actions(q))));
}
