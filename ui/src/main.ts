// Papersift's window: search, reading lists and recommendations, sync, a status bar.
// Remote text (titles, abstracts, authors) is set with textContent only: never markup.
import * as api from "./api";
import { paperCard } from "./cards";
import { byId, el, paceText } from "./dom";
import { refreshBadge } from "./alerts";
import { addButton, currentView, initLists, rerender, scheduleUnseenCounts, show, type View } from "./lists";
import { feedDefault } from "./reading";
import { initSync } from "./sync";
import { initSuggest } from "./suggest";
import { loadMarks, setRatingScope } from "./ratings";

const input = byId<HTMLInputElement>("search");
const modeSelect = byId<HTMLSelectElement>("mode");
const results = byId("results");
const empty = byId("empty");
const notice = byId("notice");
const status = byId("status");
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
  if (parts.keyword_rank !== null) bits.push(`keywords #${parts.keyword_rank}${parts.keyword !== null ? ` (BM25 ${parts.keyword.toFixed(2)})` : ""}`);
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
  return paperCard(hit.paper, [chip], [addButton(hit.paper.key)]);
}

const queryHint = byId("query-hint");
function showHint(text: string | null): void {
  queryHint.hidden = text === null;
  queryHint.textContent = text ?? "";
}

const helpToggle = byId<HTMLButtonElement>("query-help-toggle");
const help = byId("query-help");
helpToggle.addEventListener("click", async () => {
  if (help.hidden && !help.textContent) {
    try {
      help.textContent = await api.querySyntax();
    } catch (e) {
      help.textContent = api.isIpcError(e) ? e.message : String(e);
    }
  }
  help.hidden = !help.hidden;
  helpToggle.setAttribute("aria-expanded", String(!help.hidden));
});

function showNotice(text: string | null): void {
  notice.hidden = text === null;
  notice.textContent = text ?? "";
}

async function runSearch(): Promise<void> {
  if (currentView().kind !== "search") show({ kind: "search" });
  const query = input.value.trim();
  const seq = ++searchSeq;
  delete results.dataset.view;
  if (!query) {
    results.replaceChildren();
    empty.hidden = false;
    showNotice(null);
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
    showNotice(hits.length === 0 ? `No papers match “${query}”.` : null);
  } catch (e) {
    if (seq !== searchSeq || (api.isIpcError(e) && e.kind === "superseded")) return;
    showNotice(api.isIpcError(e) ? e.message : String(e));
  }
}

function scheduleSearch(): void {
  window.clearTimeout(debounce);
  debounce = window.setTimeout(() => {
    remember(false); // typing updates the current history entry, once per pause
    void runSearch();
  }, 150);
}

async function refreshStatus(): Promise<void> {
  try {
    const s = await api.libraryStatus();
    const m = s.model;
    let text = `${s.papers.toLocaleString()} papers`;
    if (m.state === "loading") text += " · loading the embedding model…";
    else if (m.state === "embedding") {
      const pace = paceText(m.rate, m.etaS);
      text += ` · indexing meaning ${m.done.toLocaleString()}/${m.total.toLocaleString()}${pace ? ` (${pace})` : ""}`;
    }
    else if (m.state === "error") text += ` · keyword search only: ${m.message ?? "embedding model unavailable"}`;
    else if (m.state === "ready" || m.state === "loaded") text += ` · ${s.embedded.toLocaleString()} indexed by meaning`;
    if (m.model && m.state !== "error") text += ` (${m.model} on ${m.provider === "cuda" ? "the GPU" : "the CPU"})`;
    const k = s.keywords;
    if (k.state === "building") {
      text += ` · building the keyword index ${k.done.toLocaleString()}/${k.total.toLocaleString()}`;
    }
    status.textContent = text;
    status.dataset.keywords = k.state;
    status.dataset.ready = String(m.state === "ready" && s.embedded === s.papers);
    status.dataset.state = m.state;
  } catch (e) {
    status.textContent = api.isIpcError(e) ? e.message : String(e);
    status.dataset.state = "error";
  }
}

/** Called by the lists module when the view changes. */
function onView(v: View): void {
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
    .then(() => showNotice(`Saved “${q}”: new papers like it will alert you (tune it in Alerts).`))
    .catch((e) => showNotice(api.isIpcError(e) ? e.message : String(e)));
});
byId("show-on-map").addEventListener("click", () => show({ kind: "map", query: input.value.trim() }));
modeSelect.addEventListener("change", () => {
  remember(true);
  void runSearch();
});
// Keyboard first: / search, j/k move, o open, Enter expand, +/- 👍/👎, l add to a list,
// b/c copy its BibTeX or link, ? help.
let focused = -1;
function cards(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>("#results .result")];
}
function focusCard(i: number): void {
  const all = cards();
  if (all.length === 0) return;
  focused = Math.max(0, Math.min(all.length - 1, i));
  all.forEach((c, j) => c.classList.toggle("focused", j === focused));
  all[focused]?.scrollIntoView({ block: "nearest" });
}
document.addEventListener("keydown", (ev) => {
  const t = ev.target as HTMLElement | null;
  const typing = t !== null && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA");
  if (typing || ev.ctrlKey || ev.metaKey || ev.altKey || document.querySelector("dialog[open]")) {
    if (ev.key === "Escape" && t === input) input.blur();
    return;
  }
  const card = cards()[focused];
  switch (ev.key) {
    case "/":
      ev.preventDefault();
      input.focus();
      break;
    case "j":
      focusCard(focused + 1);
      break;
    case "k":
      focusCard(focused - 1);
      break;
    case "o":
      if (card?.dataset.key) document.dispatchEvent(new CustomEvent("open-paper", { detail: card.dataset.key }));
      break;
    case "Enter":
      card?.querySelector(".abstract")?.classList.toggle("open");
      break;
    case "l":
      card?.querySelector<HTMLButtonElement>(".add-to-list")?.click();
      break;
    case "+":
    case "=":
    case "-": {
      const cls = ev.key === "-" ? ".rate-down" : ".rate-up";
      (card ?? document.querySelector<HTMLElement>(".paper-page"))?.querySelector<HTMLButtonElement>(cls)?.click();
      break;
    }
    case "b":
    case "c": {
      // The focused card's citation, else the open paper page's.
      const cls = ev.key === "b" ? ".copy-bibtex" : ".copy-link";
      (card ?? document.querySelector<HTMLElement>(".paper-page"))?.querySelector<HTMLButtonElement>(cls)?.click();
      break;
    }
    case "?":
      byId<HTMLDialogElement>("shortcuts").showModal();
      break;
    default:
      return;
  }
});
new MutationObserver(() => {
  focused = -1;
}).observe(results, { childList: true });

document.addEventListener("notice", (ev) => showNotice((ev as CustomEvent<string>).detail));
void api.onLibraryChanged(() => {
  void refreshStatus();
  scheduleUnseenCounts(5_000);
  if (currentView().kind === "search" && input.value.trim()) void runSearch();
});
void api.onAlertsChanged(() => {
  void refreshBadge();
  if (currentView().kind === "alerts") rerender();
});
void api.onOpenAlerts(() => show({ kind: "alerts" }));
void refreshBadge();
async function checkStartup(): Promise<void> {
  const problem = await api.startupProblem().catch(() => null);
  if (!problem) return;
  const dlg = byId<HTMLDialogElement>("startup");
  byId("startup-message").textContent = problem.message;
  byId("startup-quit").addEventListener("click", () => void api.quitApp());
  byId("startup-aside").addEventListener("click", () => {
    void api
      .moveLibraryAside()
      .then(() => api.restartApp())
      .catch((e) => {
        byId("startup-error").textContent = api.isIpcError(e) ? e.message : String(e);
      });
  });
  dlg.showModal();
}

void checkStartup();
initSync();
initLists(onView);
// The app opens on Today, the day's papers (the newest day that has some; its week when
// that day is thin), ranked for the user once there is something to learn from.
void feedDefault(true).then((v) => {
  if (currentView().kind === "search" && !input.value.trim()) show(v);
});
input.focus();
// Interactive: the library answered and the search box takes input.
void refreshStatus().then(() => api.appReady());
