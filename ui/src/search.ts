// The search view: the box and its filters, their state in the URL (so Back works),
// the results with why each ranks, the query syntax help, and "Alert me".
import * as api from "./api";
import { paperCard } from "./cards";
import { byId, el } from "./dom";
import { addButton } from "./lists";
import { currentView, say, show, type View } from "./nav";
import { loadMarks, setRatingScope } from "./ratings";
import { initSuggest } from "./suggest";
import { zoteroButton } from "./zotero";

const input = byId<HTMLInputElement>("search");
const modeSelect = byId<HTMLSelectElement>("mode");
const results = byId("results");
const empty = byId("empty");
const head = byId("view-head");

const filters = byId<HTMLFormElement>("filters");
const fFrom = byId<HTMLInputElement>("f-from");
const fTo = byId<HTMLInputElement>("f-to");
const fCategory = byId<HTMLInputElement>("f-category");
const fSource = byId<HTMLSelectElement>("f-source");
const fList = byId<HTMLSelectElement>("f-list");
const fSort = byId<HTMLSelectElement>("f-sort");

let searchSeq = 0;

/** The search as URL parameters: query, mode, filters and sort (so Back works). */
function searchState(): URLSearchParams {
  const q = new URLSearchParams();
  const put = (k: string, v: string) => v && q.set(k, v);
  put("q", input.value.trim());
  put("mode", modeSelect.value === "hybrid" ? "" : modeSelect.value);
  put("from", fFrom.value);
  put("to", fTo.value);
  put("category", fCategory.value.trim());
  put("source", fSource.value);
  put("list", fList.value);
  put("sort", fSort.value === "relevance" ? "" : fSort.value);
  return q;
}

function restore(q: URLSearchParams): void {
  input.value = q.get("q") ?? "";
  modeSelect.value = q.get("mode") ?? "hybrid";
  fFrom.value = q.get("from") ?? "";
  fTo.value = q.get("to") ?? "";
  fCategory.value = q.get("category") ?? "";
  fSource.value = q.get("source") ?? "";
  fList.value = q.get("list") ?? "";
  fSort.value = q.get("sort") ?? "relevance";
}

/** Records the search in the history: a new entry, or (while typing) the same one. */
function remember(push: boolean): void {
  const hash = `#search?${searchState().toString()}`;
  if (location.hash === hash) return;
  try {
    if (push) history.pushState(null, "", hash);
    else history.replaceState(null, "", hash);
  } catch {
    // WebKit rate-limits history changes; the search itself goes on.
  }
}

function currentFilter(): api.Filter {
  const f: api.Filter = {};
  if (fFrom.value) f.from = fFrom.value;
  if (fTo.value) f.to = fTo.value;
  if (fCategory.value.trim()) f.category = fCategory.value.trim();
  if (fSource.value) f.source = fSource.value;
  if (fList.value) f.list = Number(fList.value);
  return f;
}

function sorted(hits: api.SearchHit[]): api.SearchHit[] {
  const by = fSort.value;
  if (by === "date") return [...hits].sort((a, b) => (b.paper.published ?? "").localeCompare(a.paper.published ?? ""));
  if (by === "upvotes") return [...hits].sort((a, b) => (b.paper.upvotes ?? -1) - (a.paper.upvotes ?? -1));
  return hits;
}

async function refreshListFilter(): Promise<void> {
  const chosen = fList.value;
  const lists = await api.lists().catch(() => [] as api.ListSummary[]);
  const any = el("option", undefined, "any");
  any.value = "";
  fList.replaceChildren(
    any,
    ...lists.map((l) => {
      const o = el("option", undefined, l.name);
      o.value = String(l.id);
      return o;
    }),
  );
  fList.value = lists.some((l) => String(l.id) === chosen) ? chosen : "";
}
let debounce: number | undefined;

/** The raw parts of a score, for the tooltip. */
function why(parts: api.ScoreParts): string {
  const bits: string[] = [];
  if (parts.dense !== null) bits.push(`meaning ${parts.dense.toFixed(2)} (cosine similarity)`);
  if (parts.keywordRank !== null) bits.push(`keywords #${parts.keywordRank}${parts.keyword !== null ? ` (BM25 ${parts.keyword.toFixed(2)})` : ""}`);
  return bits.join(" · ");
}

/** How relevant a hit is, from 0 to 1: hybrid's fused score (each part is scaled to its
 *  candidates' range), meaning's cosine floored at 0, keywords' BM25 over the best hit's. */
function relevance(hit: api.SearchHit, mode: api.SearchMode, top: number): number {
  const r = mode === "hybrid" ? hit.score : mode === "dense" ? (hit.parts.dense ?? 0) : top > 0 ? hit.score / top : 0;
  return Math.min(1, Math.max(0, r));
}

function renderHit(hit: api.SearchHit, mode: api.SearchMode, top: number): HTMLElement {
  // A query that only constrains (author:…, cat:…) lists its matches newest first.
  const ranked = hit.parts.dense != null || hit.parts.keyword != null;
  const chip = el("span", "chip why", ranked ? `relevance ${Math.round(100 * relevance(hit, mode, top))}%` : "matches");
  chip.title = ranked ? why(hit.parts) : "Matches every part of the query; listed newest first";
  return paperCard(hit.paper, [chip], [addButton(hit.paper.key), zoteroButton(hit.paper.key)]);
}

const queryHint = byId("query-hint");
function showHint(text: string | null): void {
  queryHint.hidden = text === null;
  queryHint.textContent = text ?? "";
}

const helpToggle = byId<HTMLButtonElement>("query-help-toggle");
const help = byId("query-help");


async function runSearch(): Promise<void> {
  if (currentView().kind !== "search") show({ kind: "search" });
  const query = input.value.trim();
  const seq = ++searchSeq;
  delete results.dataset.view;
  if (!query) {
    results.replaceChildren();
    empty.hidden = false;
    say(null);
    showHint(null);
    return;
  }
  try {
    const mode = modeSelect.value as api.SearchMode;
    const [found, reading] = await Promise.all([
      api.search(query, mode, 30, currentFilter(), "box"),
      api.queryHint(query),
    ]);
    setRatingScope(null);
    await loadMarks(found.map((h) => h.paper.key));
    if (seq !== searchSeq || currentView().kind !== "search") return; // superseded
    showHint(reading.hint);
    const top = found[0]?.score ?? 0;
    const hits = sorted(found);
    empty.hidden = true;
    results.replaceChildren(...hits.map((h) => renderHit(h, mode, top)));
    results.dataset.view = "search"; // tests wait on it, as on the other views
    say(hits.length === 0 ? `No papers match “${query}”.` : null);
  } catch (e) {
    if (seq !== searchSeq || (api.isIpcError(e) && e.kind === "superseded")) return;
    say(api.errText(e));
  }
}

function scheduleSearch(): void {
  window.clearTimeout(debounce);
  debounce = window.setTimeout(() => {
    remember(false); // typing updates the current history entry, once per pause
    void runSearch();
  }, 150);
}

/** Called by the router when the view changes. */
export function switched(v: View): void {
  filters.hidden = v.kind !== "search";
  // A search still waiting on a typing pause must not pull the user back from where
  // they just went.
  if (v.kind !== "search") window.clearTimeout(debounce);
  if (v.kind === "search") {
    head.hidden = true;
    head.replaceChildren();
    void runSearch();
  } else {
    empty.hidden = true;
    results.replaceChildren();
  }
}

/** Runs the search again when it is on screen with a query (the library changed). */
export function searchAgain(): void {
  if (currentView().kind === "search" && input.value.trim()) void runSearch();
}

export function initSearch(): void {
  helpToggle.addEventListener("click", async () => {
    if (help.hidden && !help.textContent) {
      try {
        help.textContent = await api.querySyntax();
      } catch (e) {
        help.textContent = api.errText(e);
      }
    }
    help.hidden = !help.hidden;
    helpToggle.setAttribute("aria-expanded", String(!help.hidden));
  });
  byId("search-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    remember(true);
    void runSearch();
  });
  filters.addEventListener("submit", (ev) => ev.preventDefault());
  const applyFilters = () => {
    remember(true);
    void runSearch();
  };
  filters.addEventListener("change", applyFilters);
  // WebKit reports a picked option as "input" only, in some cases.
  for (const sel of [fSource, fList, fSort]) sel.addEventListener("input", applyFilters);
  window.addEventListener("popstate", () => {
    if (!location.hash.startsWith("#search?")) return;
    restore(new URLSearchParams(location.hash.slice("#search?".length)));
    void runSearch();
  });
  void api.onListsChanged(() => void refreshListFilter());
  void refreshListFilter();
  /** "Alert me" is offered while the box holds a query. */
  const offerSave = () => (saveSearch.hidden = input.value.trim() === "");
  input.addEventListener("input", () => {
    offerSave();
    scheduleSearch();
  });
  initSuggest(
    input,
    byId("suggestions"),
    () => {
      offerSave();
      remember(true);
      void runSearch();
    },
    (key) => show({ kind: "paper", key }),
  );
  const saveSearch = byId<HTMLButtonElement>("save-search");
  saveSearch.addEventListener("click", () => {
    const q = input.value.trim();
    if (!q) return;
    void api
      .addSearchAlert(q, q)
      .then(() => say(`Saved “${q}”: new papers like it will alert you (tune it in Alerts).`))
      .catch((e) => say(api.errText(e)));
  });
  byId("show-on-map").addEventListener("click", () => show({ kind: "map", query: input.value.trim() }));
  modeSelect.addEventListener("change", () => {
    remember(true);
    void runSearch();
  });
}
