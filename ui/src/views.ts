// The router: which view is on screen, the Back stack, the sidebar's highlight, and
// drawing a view by its kind with the renderer of the module that owns it. Only the
// newest drawing may put anything on screen (`Drawing.live`).
import * as api from "./api";
import { renderAlerts } from "./alerts";
import { byId, el } from "./dom";
import { addButton, renderForYou, renderList, renderRatingsPage } from "./lists";
import { renderMap } from "./map";
import { type Drawing, installRouter, say, type View } from "./nav";
import { setRatingScope } from "./ratings";
import { feedDefault, renderFeed, renderPaper } from "./reading";
import { switched } from "./search";
import { zoteroButton } from "./zotero";

let history: View[] = [];
let current: View = { kind: "search" };
let renderSeq = 0;

const sidebar = byId<HTMLUListElement>("lists");
const results = byId("results");
const head = byId("view-head");

function show(v: View, remember: boolean): void {
  if (remember && current.kind !== v.kind) history.push(current);
  if (history.length > 50) history = history.slice(-50);
  current = v;
  document.querySelectorAll("#sidebar .active").forEach((n) => n.classList.remove("active"));
  if (v.kind === "list") sidebar.querySelector(`li[data-id="${v.id}"]`)?.classList.add("active");
  else if (v.kind !== "paper") byId(`nav-${v.kind}`).classList.add("active");
  switched(v);
  if (v.kind !== "search") void render();
}

const cardActions = (p: api.Paper) => [addButton(p.key), zoteroButton(p.key)];

async function render(): Promise<void> {
  say(null);
  byId("empty").hidden = true;
  const seq = ++renderSeq;
  delete results.dataset.view;
  const d: Drawing = {
    live: () => seq === renderSeq,
    done: (view) => {
      if (seq === renderSeq) results.dataset.view = view;
    },
  };
  const v = current;
  try {
    switch (v.kind) {
      case "search":
        return;
      case "map":
        await renderMap(v, head, results, (key) => show({ kind: "paper", key }, true));
        d.done("map");
        return;
      case "alerts":
        setRatingScope(null);
        await renderAlerts(head, results, say);
        d.done("alerts");
        return;
      case "ratings":
        await renderRatingsPage(d);
        return;
      case "feed":
        setRatingScope(null);
        await renderFeed(v, head, results, (f) => show(f, false), cardActions, d.live);
        d.done(`feed:${v.period}`);
        return;
      case "paper":
        setRatingScope(null);
        await renderPaper(v, head, results, cardActions, () => show(history.pop() ?? { kind: "search" }, false), d.live);
        d.done(`paper:${v.key}`);
        return;
      case "foryou":
        await renderForYou(d);
        return;
      case "list":
        await renderList(v, d);
        return;
    }
  } catch (e) {
    if (d.live()) results.replaceChildren(el("p", "empty-note", api.errText(e)));
  }
}

/** Installs the router and the sidebar's fixed entries. */
export function initViews(): void {
  installRouter({
    show,
    current: () => current,
    rerender: () => {
      if (current.kind !== "search") void render();
    },
  });
  const go = (id: string, v: () => View) => byId(id).addEventListener("click", () => show(v(), true));
  go("nav-search", () => ({ kind: "search" }));
  go("nav-foryou", () => ({ kind: "foryou" }));
  go("nav-alerts", () => ({ kind: "alerts" }));
  go("nav-ratings", () => ({ kind: "ratings" }));
  go("nav-map", () => ({ kind: "map" }));
  byId("nav-feed").addEventListener("click", () => void feedDefault().then((v) => show(v, true)));
  document.addEventListener("open-paper", (ev) => {
    const key = (ev as CustomEvent<string>).detail;
    if (key) show({ kind: "paper", key }, true);
  });
}
