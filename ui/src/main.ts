// Papersift's window: a search box, ranked results, a status bar.
// Remote text (titles, abstracts, authors) is set with textContent only: never markup.
import * as api from "./api";
import { initSync } from "./sync";

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
};

const input = $<HTMLInputElement>("search");
const modeSelect = $<HTMLSelectElement>("mode");
const results = $("results");
const empty = $("empty");
const notice = $("notice");
const status = $("status");

let searchSeq = 0;
let debounce: number | undefined;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function why(parts: api.ScoreParts): string {
  const bits: string[] = [];
  if (parts.dense !== null) bits.push(`meaning ${parts.dense.toFixed(2)}`);
  if (parts.keyword_rank !== null) bits.push(`keywords #${parts.keyword_rank}`);
  return bits.join(" · ");
}

function renderHit(hit: api.SearchHit): HTMLElement {
  const p = hit.paper;
  const card = el("article", "result");
  card.dataset.key = p.key;
  card.append(el("h2", "title", p.title));
  const meta = el("div", "meta");
  meta.append(el("span", "date", p.published ?? "undated"));
  const n = Math.max(p.author_count, p.authors.length);
  const authorText =
    p.authors.length > 0
      ? p.authors.slice(0, 3).join(", ") + (n > 3 ? ` +${n - 3}` : "")
      : `${n} author${n === 1 ? "" : "s"}`;
  meta.append(el("span", "authors", authorText));
  if (p.upvotes !== null) meta.append(el("span", "upvotes", `▲ ${p.upvotes}`));
  const reason = why(hit.parts);
  if (reason) meta.append(el("span", "chip why", reason));
  card.append(meta);
  const abs = el("p", "abstract", p.abstract);
  abs.title = "Click to expand";
  abs.addEventListener("click", () => abs.classList.toggle("open"));
  card.append(abs);
  return card;
}

function showNotice(text: string | null): void {
  notice.hidden = text === null;
  notice.textContent = text ?? "";
}

async function runSearch(): Promise<void> {
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
    if (seq !== searchSeq) return; // a newer query is on its way
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

document.getElementById("search-form")?.addEventListener("submit", (ev) => {
  ev.preventDefault();
  void runSearch();
});
input.addEventListener("input", scheduleSearch);
modeSelect.addEventListener("change", () => void runSearch());
document.addEventListener("keydown", (ev) => {
  if (ev.key === "/" && document.activeElement !== input) {
    ev.preventDefault();
    input.focus();
  }
});

void api.onLibraryChanged(() => {
  void refreshStatus();
  if (input.value.trim()) void runSearch();
});
initSync();
void refreshStatus();
input.focus();
