// Papersift's window: search, reading lists and recommendations, sync, a status bar.
// Remote text (titles, abstracts, authors) is set with textContent only: never markup.
import * as api from "./api";
import { paperCard } from "./cards";
import { byId, el } from "./dom";
import { refreshBadge } from "./alerts";
import { addButton, currentView, initLists, rerender, show, type View } from "./lists";
import { initSync } from "./sync";

const input = byId<HTMLInputElement>("search");
const modeSelect = byId<HTMLSelectElement>("mode");
const results = byId("results");
const empty = byId("empty");
const notice = byId("notice");
const status = byId("status");
const head = byId("view-head");

let searchSeq = 0;
let debounce: number | undefined;

function why(parts: api.ScoreParts): string {
  const bits: string[] = [];
  if (parts.dense !== null) bits.push(`meaning ${parts.dense.toFixed(2)}`);
  if (parts.keyword_rank !== null) bits.push(`keywords #${parts.keyword_rank}`);
  return bits.join(" · ");
}

function renderHit(hit: api.SearchHit): HTMLElement {
  const reason = why(hit.parts);
  const extras = reason ? [el("span", "chip why", reason)] : [];
  return paperCard(hit.paper, extras, [addButton(hit.paper.key)]);
}

function showNotice(text: string | null): void {
  notice.hidden = text === null;
  notice.textContent = text ?? "";
}

async function runSearch(): Promise<void> {
  if (currentView().kind !== "search") show({ kind: "search" });
  const query = input.value.trim();
  const seq = ++searchSeq;
  if (!query) {
    results.replaceChildren();
    empty.hidden = false;
    showNotice(null);
    return;
  }
  try {
    const hits = await api.search(query, modeSelect.value as api.SearchMode);
    if (seq !== searchSeq || currentView().kind !== "search") return; // superseded
    empty.hidden = true;
    results.replaceChildren(...hits.map(renderHit));
    showNotice(hits.length === 0 ? `No papers match “${query}”.` : null);
  } catch (e) {
    if (seq !== searchSeq) return;
    showNotice(api.isIpcError(e) ? e.message : String(e));
  }
}

function scheduleSearch(): void {
  window.clearTimeout(debounce);
  debounce = window.setTimeout(() => void runSearch(), 150);
}

async function refreshStatus(): Promise<void> {
  try {
    const s = await api.libraryStatus();
    const m = s.model;
    let text = `${s.papers.toLocaleString()} papers`;
    if (m.state === "loading") text += " · loading the embedding model…";
    else if (m.state === "embedding") text += ` · indexing meaning ${m.done}/${m.total}`;
    else if (m.state === "error") text += ` · keyword search only: ${m.message ?? "embedding model unavailable"}`;
    else if (m.state === "ready") text += ` · ${s.embedded.toLocaleString()} indexed by meaning`;
    status.textContent = text;
    status.dataset.ready = String(m.state === "ready" && s.embedded === s.papers);
    status.dataset.state = m.state;
  } catch (e) {
    status.textContent = api.isIpcError(e) ? e.message : String(e);
    status.dataset.state = "error";
  }
}

/** Called by the lists module when the view changes. */
function onView(v: View): void {
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
  void runSearch();
});
input.addEventListener("input", () => {
  saveSearch.hidden = input.value.trim() === "";
  scheduleSearch();
});
const saveSearch = byId<HTMLButtonElement>("save-search");
saveSearch.addEventListener("click", () => {
  const q = input.value.trim();
  if (!q) return;
  void api
    .addSearchAlert(q, q)
    .then(() => showNotice(`Saved “${q}”: new papers like it will alert you (tune it in Alerts).`))
    .catch((e) => showNotice(api.isIpcError(e) ? e.message : String(e)));
});
modeSelect.addEventListener("change", () => void runSearch());
// Keyboard first: / search, j/k move, o open, Enter expand, l add to a list, ? help.
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

void api.onLibraryChanged(() => {
  void refreshStatus();
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
void refreshStatus();
input.focus();
