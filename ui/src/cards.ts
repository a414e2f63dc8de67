// Paper cards, shared by search results, lists and recommendations.
import * as api from "./api";
import { button, el } from "./dom";
import { mathEl } from "./math";
import { rateButtons, watchSeen } from "./ratings";

/** Tells the window to show a notice (main listens). */
export function notify(text: string): void {
  document.dispatchEvent(new CustomEvent("notice", { detail: text }));
}

const LINK_NAMES: Record<string, string> = {
  abs: "arXiv",
  pdf: "PDF",
  hf: "Hugging Face",
  code: "Code",
  github: "Code",
  project: "Project page",
  doi: "DOI",
  biorxiv: "bioRxiv",
  medrxiv: "medRxiv",
  openreview: "OpenReview",
  page: "Journal page",
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
        a.title = api.errText(e);
        a.classList.add("refused");
      });
    });
    box.append(a);
  }
  return box;
}

/** The date a card shows: published, else the day Papersift first saw the paper. */
export function dateOf(p: api.Paper): HTMLElement | null {
  if (p.published) return el("span", "date", p.published);
  if (!p.firstSeen) return null;
  const d = el("span", "date seen", `seen ${p.firstSeen}`);
  d.title = `No published date: Papersift first saw this paper on ${p.firstSeen}`;
  return d;
}

/** Copy BibTeX (b) and Copy link (c): the citation goes to the clipboard from Rust. */
export function citationButtons(p: api.Paper): HTMLElement[] {
  const copy = (format: "bibtex" | "link", label: string, tip: string, cls: string) => {
    const b = button(label, `small ${cls}`, () => {
      void api
        .copyCitation(p.key, format)
        .then(() => {
          b.textContent = "Copied ✓";
          b.classList.add("done");
          window.setTimeout(() => {
            b.textContent = label;
            b.classList.remove("done");
          }, 1500);
        })
        .catch((e) => {
          b.title = api.errText(e);
          b.classList.add("refused");
        });
    }, tip);
    return b;
  };
  const out = [copy("bibtex", "Copy BibTeX", "Copy a BibTeX entry for this paper (b)", "copy-bibtex")];
  if (p.arxivId || p.links.length > 0) out.push(copy("link", "Copy link", "Copy the link to this paper (c)", "copy-link"));
  return out;
}

/** The first authors' names, or "" when no name is known: a count alone is not shown. */
function authorLine(p: api.Paper): string {
  const n = Math.max(p.authorCount, p.authors.length);
  return p.authors.length > 0 ? p.authors.slice(0, 3).join(", ") + (n > 3 ? ` +${n - 3}` : "") : "";
}

/** A card for one paper; `extras` go into the meta line, `actions` at the bottom, beside
 *  👍 / 👎 (in the current rating scope) and the citation buttons. It marks itself seen
 *  once it stays in view. */
export function paperCard(p: api.Paper, extras: HTMLElement[] = [], actions: HTMLElement[] = []): HTMLElement {
  const card = el("article", "result");
  card.dataset.key = p.key;
  card.draggable = true;
  card.addEventListener("dragstart", (ev) => {
    ev.dataTransfer?.setData("application/x-papersift-paper", p.key);
    ev.dataTransfer?.setData("text/plain", p.arxivId ?? p.key);
  });
  const title = mathEl("h2", "title", p.title, p.math.title);
  title.title = "Open the paper (o)";
  title.addEventListener("click", () => document.dispatchEvent(new CustomEvent("open-paper", { detail: p.key })));
  card.append(title);
  const meta = el("div", "meta");
  const date = dateOf(p);
  if (date) meta.append(date);
  const authors = authorLine(p);
  if (authors) meta.append(el("span", "authors", authors));
  if (p.journal) meta.append(el("span", "journal", p.journal));
  if (p.upvotes !== null) meta.append(el("span", "upvotes", `▲ ${p.upvotes}`));
  meta.append(...extras);
  const ls = links(p);
  if (ls) meta.append(ls);
  card.append(meta);
  const abs = p.abstract ? mathEl("p", "abstract", p.abstract, p.math.abstract) : el("p", "abstract missing", p.sources.includes("feed") ? "Abstract not in the feed." : "No abstract.");
  abs.title = "Click to expand";
  abs.addEventListener("click", () => abs.classList.toggle("open"));
  card.append(abs);
  const bar = el("div", "card-actions");
  bar.append(rateButtons(p.key, notify), ...actions, ...citationButtons(p));
  card.append(bar);
  watchSeen(card);
  return card;
}
