// Paper cards, shared by search results, lists and recommendations.
import * as api from "./api";
import { el } from "./dom";

const LINK_NAMES: Record<string, string> = {
  abs: "arXiv",
  pdf: "PDF",
  hf: "Hugging Face",
  code: "Code",
  github: "Code",
  project: "Project page",
};

/** Link buttons: opened by Rust in the system browser (https, allow-listed hosts). */
function links(p: api.Paper): HTMLElement | null {
  if (p.links.length === 0) return null;
  const box = el("span", "links");
  for (const l of p.links) {
    const a = el("a", "link", LINK_NAMES[l.kind] ?? l.kind);
    a.href = "#";
    a.title = l.url;
    a.dataset.url = l.url;
    a.addEventListener("click", (ev) => {
      ev.preventDefault();
      ev.stopPropagation();
      void api.openLink(l.url).catch((e) => {
        a.title = api.isIpcError(e) ? e.message : String(e);
        a.classList.add("refused");
      });
    });
    box.append(a);
  }
  return box;
}

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
  const title = el("h2", "title", p.title);
  title.title = "Open the paper (o)";
  title.addEventListener("click", () => document.dispatchEvent(new CustomEvent("open-paper", { detail: p.key })));
  card.append(title);
  const meta = el("div", "meta");
  meta.append(el("span", "date", p.published ?? "undated"));
  meta.append(el("span", "authors", authorLine(p)));
  if (p.upvotes !== null) meta.append(el("span", "upvotes", `▲ ${p.upvotes}`));
  meta.append(...extras);
  const ls = links(p);
  if (ls) meta.append(ls);
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
