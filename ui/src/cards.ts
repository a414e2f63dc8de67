// Paper cards, shared by search results, lists and recommendations.
import type * as api from "./api";
import { el } from "./dom";

export function authorLine(p: api.Paper): string {
  const n = Math.max(p.author_count, p.authors.length);
  return p.authors.length > 0
    ? p.authors.slice(0, 3).join(", ") + (n > 3 ? ` +${n - 3}` : "")
    : `${n} author${n === 1 ? "" : "s"}`;
}

/** A card for one paper; `extras` go into the meta line, `actions` at the bottom. */
export function paperCard(p: api.Paper, extras: HTMLElement[] = [], actions: HTMLElement[] = []): HTMLElement {
  const card = el("article", "result");
  card.dataset.key = p.key;
  card.draggable = true;
  card.addEventListener("dragstart", (ev) => {
    ev.dataTransfer?.setData("application/x-papersift-paper", p.key);
    ev.dataTransfer?.setData("text/plain", p.arxiv_id ?? p.key);
  });
  card.append(el("h2", "title", p.title));
  const meta = el("div", "meta");
  meta.append(el("span", "date", p.published ?? "undated"));
  meta.append(el("span", "authors", authorLine(p)));
  if (p.upvotes !== null) meta.append(el("span", "upvotes", `▲ ${p.upvotes}`));
  meta.append(...extras);
  card.append(meta);
  const abs = el("p", "abstract", p.abstract);
  abs.title = "Click to expand";
  abs.addEventListener("click", () => abs.classList.toggle("open"));
  card.append(abs);
  if (actions.length > 0) {
    const bar = el("div", "card-actions");
    bar.append(...actions);
    card.append(bar);
  }
  return card;
}
