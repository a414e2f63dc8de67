// 👍 and 👎 on every card, seen marks, "Hide seen", and the Ratings page.
//
// A view sets the scope its cards rate in (a list, or anywhere) and loads the marks of
// the papers it shows before drawing them. A rating is committed by Rust before the
// card changes; then a "rated" event lets the view reorder what it shows.
import * as api from "./api";
import { button, el } from "./dom";

let scope: number | null = null;
const known = new Map<string, api.PaperMarks>();

/** Where the next cards rate: inside list `id`, or anywhere with `null`. */
export function setRatingScope(id: number | null): void {
  scope = id;
}

/** Loads the marks of `keys` for the current scope (before their cards are drawn). */
export async function loadMarks(keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  const got = await api.marks(keys, scope).catch(() => [] as api.PaperMarks[]);
  for (const k of keys) known.delete(k);
  for (const m of got) known.set(m.key, m);
}

/** Whether a paper's card was seen before this view was drawn. */
export function wasSeen(key: string): boolean {
  return known.get(key)?.seen ?? false;
}

const SVG = "http://www.w3.org/2000/svg";

/** A thumb drawn in SVG (an emoji needs a colour-emoji font that a desktop may lack). */
export function thumb(up: boolean): SVGSVGElement {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", "15");
  svg.setAttribute("height", "15");
  svg.setAttribute("aria-hidden", "true");
  svg.classList.add("thumb");
  const path = document.createElementNS(SVG, "path");
  // A cuff, and a hand with its thumb raised.
  path.setAttribute("d", "M2 10h4v11H2z M8 21h9.5a2 2 0 0 0 2-1.6l1.4-7A2 2 0 0 0 19 10h-5.5l.9-4.3A1.8 1.8 0 0 0 12.6 3.5L8 10z");
  path.setAttribute("fill", "currentColor");
  if (!up) path.setAttribute("transform", "rotate(180 12 12)");
  svg.append(path);
  return svg;
}

export interface Rated {
  key: string;
  rating: api.Rating | null;
}

function paint(box: HTMLElement, rating: api.Rating | null): void {
  for (const b of box.querySelectorAll<HTMLButtonElement>("button")) {
    b.setAttribute("aria-pressed", String(b.dataset.rating === rating));
  }
  const card = box.closest<HTMLElement>(".result");
  if (card) {
    if (rating) card.dataset.rating = rating;
    else delete card.dataset.rating;
  }
}

/** The 👍 / 👎 pair of a card (keys + and -). Clicking the pressed one clears it. */
export function rateButtons(key: string, onError: (text: string) => void): HTMLElement {
  const box = el("span", "rate");
  const list = scope;
  const make = (r: api.Rating, label: string, tip: string) => {
    const b = button("", `small rate-${r}`, () => {
      const now = box.querySelector<HTMLButtonElement>(`.rate-${r}`)?.getAttribute("aria-pressed") === "true";
      const next = now ? null : r;
      void api
        .rate(key, list, next)
        .then(() => {
          known.set(key, { key, rating: next, seen: known.get(key)?.seen ?? true });
          paint(box, next);
          document.dispatchEvent(new CustomEvent<Rated>("rated", { detail: { key, rating: next } }));
        })
        .catch((e) => onError(api.errText(e)));
    }, tip);
    b.dataset.rating = r;
    b.setAttribute("aria-label", label);
    b.append(thumb(r === "up"));
    return b;
  };
  box.append(
    make("up", "Thumbs up", list === null ? "More like this (+)" : "More like this, for this list too (+)"),
    make("down", "Thumbs down", "Not for me: papers like it move down everywhere (-)"),
  );
  paint(box, known.get(key)?.rating ?? null);
  return box;
}

// ---- Seen -----------------------------------------------------------------------------

/** A card counts as seen once this much of it stayed in view this long. */
const SEEN_SHARE = 0.6;
const SEEN_MS = 1200;
const pending = new Set<string>();
const timers = new Map<Element, number>();
let flushTimer: number | undefined;

function flush(): void {
  flushTimer = undefined;
  const keys = [...pending];
  pending.clear();
  if (keys.length === 0) return;
  void api
    .markPapersSeen(keys)
    .then((n) => {
      if (n > 0) document.dispatchEvent(new CustomEvent("seen-changed"));
    })
    .catch(() => keys.forEach((k) => pending.add(k)));
}

const observer = new IntersectionObserver(
  (entries) => {
    for (const e of entries) {
      const card = e.target as HTMLElement;
      if (e.isIntersecting && e.intersectionRatio >= SEEN_SHARE) {
        if (timers.has(card) || card.dataset.seen === "true") continue;
        timers.set(
          card,
          window.setTimeout(() => {
            timers.delete(card);
            if (!card.isConnected || !card.dataset.key) return;
            card.dataset.seen = "true";
            observer.unobserve(card);
            pending.add(card.dataset.key);
            flushTimer ??= window.setTimeout(flush, 800);
          }, SEEN_MS),
        );
      } else {
        window.clearTimeout(timers.get(card));
        timers.delete(card);
      }
    }
  },
  { threshold: [0, SEEN_SHARE, 1] },
);

/** Watches a card: once it stays in view for a moment its paper is marked seen. */
export function watchSeen(card: HTMLElement): void {
  if (wasSeen(card.dataset.key ?? "")) {
    card.classList.add("was-seen");
    card.dataset.seen = "true";
    return;
  }
  observer.observe(card);
}

// ---- Hide seen ------------------------------------------------------------------------

const HIDE_KEY = "papersift.hideSeen";

export function hidingSeen(): boolean {
  return localStorage.getItem(HIDE_KEY) === "true";
}

/** The "Hide seen" checkbox; `changed` redraws the view. */
export function hideSeenToggle(changed: () => void): HTMLElement {
  const label = el("label", "hide-seen");
  const box = el("input");
  box.type = "checkbox";
  box.id = "hide-seen";
  box.checked = hidingSeen();
  box.addEventListener("change", () => {
    localStorage.setItem(HIDE_KEY, String(box.checked));
    changed();
  });
  label.append(box, " Hide seen");
  return label;
}

// ---- Reordering in place --------------------------------------------------------------

/**
 * Puts `container`'s cards in the order of `items` (a new ranking), keeping the cards
 * already drawn (so nothing reloads or loses its state) and making the others with
 * `make` once their marks are loaded. With "Hide seen", a seen paper comes in only if
 * its card is already on screen.
 */
export async function reorder<T>(
  container: HTMLElement,
  items: T[],
  keyOf: (item: T) => string,
  make: (item: T) => HTMLElement,
): Promise<void> {
  const have = new Map<string, HTMLElement>();
  for (const c of container.querySelectorAll<HTMLElement>(".result[data-key]")) have.set(c.dataset.key ?? "", c);
  await loadMarks(items.map(keyOf).filter((k) => !have.has(k)));
  const hide = hidingSeen();
  const next: HTMLElement[] = [];
  for (const item of items) {
    const k = keyOf(item);
    const c = have.get(k) ?? (hide && wasSeen(k) ? null : make(item));
    if (c) next.push(c);
  }
  container.replaceChildren(...next);
}

// ---- The Ratings page -----------------------------------------------------------------

function when(iso: string): string {
  return iso.slice(0, 16).replace("T", " ");
}

/** Every rated paper, newest first, each with Undo; Reset for For you and each list. */
export async function renderRatings(
  head: HTMLElement,
  results: HTMLElement,
  lists: api.ListSummary[],
  confirm: (text: string) => Promise<boolean>,
  say: (text: string | null) => void,
  open: (key: string) => void,
): Promise<void> {
  const redraw = () => void renderRatings(head, results, lists, confirm, say, open);
  const rated = await api.ratings();
  const idOf = (name: string | null) => (name === null ? null : (lists.find((l) => l.name === name)?.id ?? null));
  const title = el("h1", "view-title", "Ratings");
  title.id = "ratings-title";
  let n = rated.length;
  const intro = el("p", "muted");
  const count = () => {
    intro.textContent =
      n === 0
        ? "Nothing rated yet. Thumbs up and down on any card (or + and -) teach For you and your lists' recommendations."
        : `${n} rated paper${n === 1 ? "" : "s"}. A thumbs up teaches For you (and the list it was given in); a thumbs down moves papers like it down everywhere.`;
  };
  count();
  const actions = el("div", "list-actions");
  const reset = (list: number | null, label: string) => {
    const b = button(label, "small danger", () => {
      void (async () => {
        const what = list === null ? "every rating given outside a list (For you)" : `the ratings given inside “${lists.find((l) => l.id === list)?.name ?? list}”`;
        if (!(await confirm(`Reset ${what}? Recommendations go back to what your lists alone say.`))) return;
        try {
          const gone = await api.resetRatings(list);
          say(`Reset: ${gone} rating${gone === 1 ? "" : "s"} removed.`);
          document.dispatchEvent(new CustomEvent("ratings-reset"));
          redraw();
        } catch (e) {
          say(api.errText(e));
        }
      })();
    });
    b.classList.add("reset-ratings");
    b.dataset.list = list === null ? "" : String(list);
    return b;
  };
  if (rated.some((r) => r.list === null)) actions.append(reset(null, "Reset For you"));
  for (const name of new Set(rated.filter((r) => r.list !== null).map((r) => r.list as string))) {
    const id = idOf(name);
    if (id !== null) actions.append(reset(id, `Reset “${name}”`));
  }
  head.hidden = false;
  head.replaceChildren(title, intro, actions);
  results.replaceChildren(
    ...rated.map((r) => {
      const row = el("article", "result rated");
      row.dataset.key = r.key;
      row.dataset.rating = r.rating;
      const t = el("h2", "title", r.title);
      t.addEventListener("click", () => open(r.key));
      const meta = el("div", "meta");
      meta.append(
        el("span", `chip rated-${r.rating}`),
        el("span", undefined, r.list === null ? "anywhere" : `in “${r.list}”`),
        el("span", "date", when(r.ratedAt)),
      );
      const bar = el("div", "card-actions");
      bar.append(
        button("Undo", "small undo-rating", () => {
          void api
            .rate(r.key, idOf(r.list), null)
            .then(() => {
              row.remove();
              n -= 1;
              count();
              say(`Undone: “${r.title}” is no longer rated.`);
            })
            .catch((e) => say(api.errText(e)));
        }),
      );
      meta.firstElementChild?.append(thumb(r.rating === "up"), r.rating === "up" ? " up" : " down");
      row.append(t, meta, bar);
      return row;
    }),
  );
}
