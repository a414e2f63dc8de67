// Reading lists: the sidebar, a list's page (papers and recommendations), "For you"
// and its cold start, the Ratings page, adding papers to lists, and imports by drop or
// dialog with their report.
import * as api from "./api";
import { paperCard } from "./cards";
import { reorderFeed, whyChips } from "./reading";
import { hideSeenToggle, hidingSeen, loadMarks, type Rated, renderRatings, reorder, setRatingScope, wasSeen } from "./ratings";
import { button, byId, el } from "./dom";
import { currentView, type Drawing, rerender, say, show, type View } from "./nav";
import { renderLong } from "./virtual";
import { linkBanner, zoteroButton } from "./zotero";

let known: api.ListSummary[] = [];

const sidebar = byId<HTMLUListElement>("lists");
const results = byId("results");
const head = byId("view-head");
const importPanel = byId("import-panel");
const overlay = byId("drop-overlay");

export async function refreshLists(): Promise<void> {
  try {
    known = await api.lists();
  } catch (e) {
    say(api.errText(e));
    return;
  }
  sidebar.replaceChildren(
    ...known.map((l) => {
      const li = el("li", "list-entry");
      li.dataset.id = String(l.id);
      const current = currentView();
      if (current.kind === "list" && current.id === l.id) li.classList.add("active");
      const b = el("button", "nav");
      b.type = "button";
      b.append(el("span", "name", l.name), el("span", "count", String(l.resolved)));
      b.title = l.items > l.resolved ? `${l.resolved} papers, ${l.items - l.resolved} unresolved` : `${l.resolved} papers`;
      b.addEventListener("click", () => show({ kind: "list", id: l.id, tab: "papers" }));
      li.append(b);
      // A result dragged onto a list is added to it.
      li.addEventListener("dragover", (ev) => {
        if (ev.dataTransfer?.types.includes("application/x-papersift-paper")) {
          ev.preventDefault();
          li.classList.add("drop");
        }
      });
      li.addEventListener("dragleave", () => li.classList.remove("drop"));
      li.addEventListener("drop", (ev) => {
        ev.preventDefault();
        li.classList.remove("drop");
        const key = ev.dataTransfer?.getData("application/x-papersift-paper");
        if (key) void addTo(l.id, key);
      });
      return li;
    }),
  );
  const current = currentView();
  if (current.kind === "list" && !known.some((l) => l.id === current.id)) {
    show({ kind: "search" });
  }
  scheduleUnseenCounts();
}

async function addTo(id: number, key: string): Promise<void> {
  try {
    await api.addToList(id, key);
    const name = known.find((l) => l.id === id)?.name ?? "the list";
    say(`Added to “${name}”.`);
    await refreshLists();
    const current = currentView();
    if (current.kind === "list" && current.id === id) rerender();
  } catch (e) {
    say(api.errText(e));
  }
}

// ---- After a rating, and the unseen counts ---------------------------------------------

/** A rating changes what is on screen at once: ranked views reorder in place. */
async function afterRating(r: Rated): Promise<void> {
  try {
    const v = currentView();
    if (v.kind === "feed") await reorderFeed(v, results);
    else if (v.kind === "foryou" && coldStart) {
      const rated = await api.ratings();
      coldStart.update(rated.length);
      if (rated.length >= FIRST_RATINGS && rated.some((x) => x.rating === "up")) rerender();
    } else if (v.kind === "foryou" || (v.kind === "list" && v.tab === "recommended")) await reorderRecommendations();
    if (r.rating === "down") say("Got it: papers like this one will rank lower. Undo it with the same button or on the Ratings page.");
  } catch (e) {
    say(api.errText(e));
  }
  scheduleUnseenCounts();
}

let unseenTimer: number | undefined;
/** Recounts unseen recommendations soon (they take a ranking per list). */
export function scheduleUnseenCounts(delayMs = 1500): void {
  window.clearTimeout(unseenTimer);
  unseenTimer = window.setTimeout(() => void refreshUnseenCounts(), delayMs);
}

async function refreshUnseenCounts(): Promise<void> {
  const counts = await api.unseenRecommendations().catch(() => null);
  const badge = byId("foryou-badge");
  badge.textContent = counts && counts.forYou > 0 ? String(counts.forYou) : "";
  badge.hidden = !counts || counts.forYou === 0;
  badge.title = "Recommendations you have not seen";
  for (const li of sidebar.querySelectorAll<HTMLElement>("li.list-entry")) {
    const n = counts?.lists.find(([id]) => String(id) === li.dataset.id)?.[1] ?? 0;
    let tag = li.querySelector<HTMLElement>(".unseen-count");
    if (!tag) {
      tag = el("span", "badge unseen-count");
      tag.title = "Recommendations for this list you have not seen";
      li.querySelector("button")?.append(tag);
    }
    tag.textContent = n > 0 ? String(n) : "";
    tag.hidden = n === 0;
  }
}

// ---- Add to list ---------------------------------------------------------------------

const picker = byId<HTMLDialogElement>("pick-list");
const pickerLists = byId("pick-list-options");
const newListName = byId<HTMLInputElement>("pick-list-new");
let pickingFor: string | null = null;

/** The "+ List" button of a card. */
export function addButton(paperKey: string): HTMLButtonElement {
  return button("+ List", "small add-to-list", () => openPicker(paperKey), "Add to a reading list (l)");
}

export function openPicker(paperKey: string): void {
  pickingFor = paperKey;
  newListName.value = "";
  // A linked list takes its papers from its source only.
  pickerLists.replaceChildren(
    ...known.filter((l) => l.link === null).map((l) =>
      button(l.name, "pick", () => {
        picker.close();
        void addTo(l.id, paperKey);
      }),
    ),
  );
  picker.showModal();
}

byId<HTMLFormElement>("pick-list-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const name = newListName.value.trim();
  const key = pickingFor;
  if (!name || !key) {
    picker.close();
    return;
  }
  void (async () => {
    try {
      const l = await api.createList(name);
      picker.close();
      await refreshLists();
      await addTo(l.id, key);
    } catch (e) {
      byId("pick-list-error").textContent = api.errText(e);
    }
  })();
});
byId("pick-list-cancel").addEventListener("click", () => picker.close());

// ---- A prompt of our own (WebKitGTK has no window.prompt in a Tauri window) ----------

/** Asks for a name (or, with `choices`, a list; with `confirmOnly`, just OK). */
function ask(title: string, value: string, choices?: api.ListSummary[], confirmOnly = false): Promise<string | null> {
  const dlg = byId<HTMLDialogElement>("prompt");
  byId("prompt-title").textContent = title;
  const input = byId<HTMLInputElement>("prompt-input");
  const select = byId<HTMLSelectElement>("prompt-select");
  input.hidden = choices !== undefined || confirmOnly;
  select.hidden = choices === undefined;
  input.value = value;
  select.replaceChildren(
    ...(choices ?? []).map((c) => {
      const o = el("option", undefined, c.name);
      o.value = String(c.id);
      return o;
    }),
  );
  dlg.showModal();
  return new Promise((resolve) => {
    dlg.addEventListener(
      "close",
      () => resolve(dlg.returnValue === "ok" ? (choices ? select.value : input.value) : null),
      { once: true },
    );
  });
}

// ---- For you, a list's page, Ratings ------------------------------------------------

function recCard(r: api.Recommendation): HTMLElement {
  const card = paperCard(r.paper, whyChips(null, r.because, r.words), [addButton(r.paper.key)]);
  card.classList.add("recommendation");
  return card;
}

/** Recommendations on screen, for reordering after a rating. */
let recsShown: { id: number | null; d: Drawing } | null = null;

async function renderRecommendations(id: number | null, d: Drawing): Promise<void> {
  results.replaceChildren(el("p", "loading", "Finding papers like these…"));
  setRatingScope(id);
  recsShown = null;
  try {
    const recs = await api.recommend(id, 30);
    await loadMarks(recs.map((r) => r.paper.key));
    if (!d.live()) return;
    if (recs.length === 0) {
      results.replaceChildren(
        el("p", "empty-note", id === null ? "Import a reading list (drop a .bib, .ris, .json, .md or PDF file on the window), or give a thumbs up to papers you like, to get recommendations." : "This list has no library papers yet, so there is nothing to compare with."),
      );
      return;
    }
    const shown = hidingSeen() ? recs.filter((r) => !wasSeen(r.paper.key)) : recs;
    if (shown.length === 0) {
      results.replaceChildren(el("p", "empty-note", "You have seen every recommendation here. Untick “Hide seen” to show them again."));
      return;
    }
    results.replaceChildren(...shown.map(recCard));
    recsShown = { id, d };
  } catch (e) {
    if (!d.live()) return;
    results.replaceChildren(el("p", "empty-note", api.errText(e)));
  }
}

/** After a rating: the recommendations on screen take the new order in place. */
async function reorderRecommendations(): Promise<void> {
  const shown = recsShown;
  if (!shown?.d.live()) return;
  const recs = await api.recommend(shown.id, 30);
  if (!shown.d.live()) return;
  await reorder(results, recs, (r) => r.paper.key, recCard);
}

/** Ratings For you needs before its first recommendations, when there is no list. */
const FIRST_RATINGS = 3;

/** For you with nothing to learn from: papers from across the library to rate. */
async function renderColdStart(d: Drawing, rated: api.RatedPaper[]): Promise<void> {
  const count = el("p", "muted cold-count");
  count.id = "cold-start-count";
  const update = (n: number) => {
    count.textContent = `Rate a few papers to start: ${FIRST_RATINGS} ratings (at least one thumbs up) give your first recommendations. ${Math.min(n, FIRST_RATINGS)} of ${FIRST_RATINGS} so far.`;
  };
  update(rated.length);
  head.hidden = false;
  head.replaceChildren(el("h1", "view-title", "For you"), count);
  setRatingScope(null);
  const papers = await api.coldStart();
  await loadMarks(papers.map((p) => p.key));
  if (!d.live()) return;
  if (papers.length === 0) {
    results.replaceChildren(el("p", "empty-note", "Your library has no papers indexed by meaning yet. Sync, or wait for indexing to finish."));
    return;
  }
  results.replaceChildren(
    ...papers.map((p) => {
      const c = paperCard(p, [], [addButton(p.key)]);
      c.classList.add("cold-start");
      return c;
    }),
  );
  coldStart = { update };
}

let coldStart: { update: (n: number) => void } | null = null;

/** The Ratings page. */
export async function renderRatingsPage(d: Drawing): Promise<void> {
  coldStart = null;
  await renderRatings(head, results, known, async (text) => (await ask(text, "", undefined, true)) !== null, say, (key) => show({ kind: "paper", key }));
  d.done("ratings");
}

/** For you: recommendations for all lists and thumbs up, or the cold start. */
export async function renderForYou(d: Drawing): Promise<void> {
  coldStart = null;
  const rated = await api.ratings().catch(() => [] as api.RatedPaper[]);
  if (!d.live()) return;
  if (known.length === 0 && (rated.length < FIRST_RATINGS || !rated.some((r) => r.rating === "up"))) {
    await renderColdStart(d, rated);
    d.done("foryou:start");
    return;
  }
  head.hidden = false;
  const bar = el("div", "list-actions");
  bar.append(hideSeenToggle(rerender), button("Ratings…", "small", () => show({ kind: "ratings" })));
  head.replaceChildren(el("h1", "view-title", "For you"), el("p", "muted", "Papers like the ones in your reading lists and the ones you gave a thumbs up."), bar);
  await renderRecommendations(null, d);
  d.done("foryou");
}

/** A list's page: its papers, or its recommendations. */
export async function renderList(v: Extract<View, { kind: "list" }>, d: Drawing): Promise<void> {
  coldStart = null;
  setRatingScope(null);
  // A list made elsewhere (linked in Settings, another window's import) may be newer
  // than the sidebar.
  let list = known.find((l) => l.id === v.id);
  if (!list) {
    await refreshLists();
    list = known.find((l) => l.id === v.id);
  }
  if (!list || !d.live()) return;
  const tabs = el("div", "tabs");
  const tab = (name: "papers" | "recommended", text: string) => {
    const b = button(text, v.tab === name ? "tab active" : "tab", () => show({ kind: "list", id: v.id, tab: name }));
    b.id = `tab-${name}`;
    return b;
  };
  tabs.append(tab("papers", `Papers (${list.resolved})`), tab("recommended", "Recommended"));
  const actions = el("div", "list-actions");
  const [rules, fetched] = await Promise.all([
    api.alertRules().catch(() => [] as api.AlertRule[]),
    v.tab === "papers" ? api.listItems(v.id).catch((e: unknown) => e) : Promise.resolve([] as api.ListItem[]),
  ]);
  if (!d.live()) return;
  const rule = rules.find((r) => r.kind === "list" && r.listId === list.id);
  const alertOn = rule?.enabled ?? false;
  const alertBtn = button(alertOn ? "Alerts: on" : "Alerts: off", alertOn ? "small on" : "small", () => {
    void api
      .setListAlert(list.id, !alertOn, rule?.threshold)
      .then(() => {
        say(alertOn ? "Alerts off for this list." : "Alerts on: new papers like this list's will notify you. Tune the threshold in Alerts.");
        return rerender();
      })
      .catch((e) => say(api.errText(e)));
  });
  alertBtn.id = "list-alert";
  actions.append(
    alertBtn,
    button("Rename", "small", () => void rename(list)),
    button("Merge into…", "small", () => void merge(list)),
    button("Export BibTeX", "small export-bibtex", () => void exportAs(list, "bibtex")),
    button("RIS", "small export-ris", () => void exportAs(list, "ris"), "Export as RIS (Zotero, EndNote, Mendeley)"),
    button("CSL-JSON", "small export-csl", () => void exportAs(list, "csl-json"), "Export as CSL-JSON"),
    button("Show on map", "small", () => show({ kind: "map", list: list.id })),
    button("Delete", "small danger", () => void remove(list)),
  );
  if (v.tab === "recommended") actions.append(hideSeenToggle(rerender));
  const title = el("h1", "view-title", list.name);
  title.id = "list-title";
  head.hidden = false;
  const banner = linkBanner(list, () => void refreshLists().then(rerender));
  head.replaceChildren(...[title, banner, actions, tabs].filter((n): n is HTMLElement => n !== null));
  setRatingScope(v.id);
  if (v.tab === "recommended") {
    await renderRecommendations(v.id, d);
    d.done(`list:${v.id}:recommended`);
    return;
  }
  if (!Array.isArray(fetched)) {
    results.replaceChildren(el("p", "empty-note", api.errText(fetched)));
    return;
  }
  {
    const items: api.ListItem[] = fetched;
    // A linked list is edited at its source.
    const linked = list.link !== null;
    await loadMarks(items.flatMap((it) => (it.paper ? [it.paper.key] : [])));
    if (!d.live()) return;
    if (items.length === 0) {
      results.replaceChildren(el("p", "empty-note", linked ? "Nothing in its source yet." : "This list is empty. Add papers with “+ List” on any result, or drop a file."));
      d.done(`list:${v.id}:papers`);
      return;
    }
    renderLong(results, items, (it) => {
        const removeBtn = button("Remove", "small", () => {
          void api.removeFromList(v.id, it.key).then(() => refreshLists()).then(rerender);
        });
        const own = linked ? [] : [removeBtn];
        if (it.paper) return paperCard(it.paper, [], [...own, zoteroButton(it.paper.key)]);
        const card = el("article", "result unresolved");
        card.append(el("h2", "title", it.title ?? it.label ?? it.key));
        card.append(el("p", "muted", `Not in the library: ${it.unresolvedReason ?? "unresolved"}`));
        const bar = el("div", "card-actions");
        bar.append(...own);
        card.append(bar);
        return card;
      });
    d.done(`list:${v.id}:papers`);
  }
}

async function rename(list: api.ListSummary): Promise<void> {
  const name = await ask(`Rename “${list.name}”`, list.name);
  if (name === null || name.trim() === list.name) return;
  try {
    await api.renameList(list.id, name);
    await refreshLists();
    rerender();
  } catch (e) {
    say(api.errText(e));
  }
}

async function merge(list: api.ListSummary): Promise<void> {
  const others = known.filter((l) => l.id !== list.id && l.link === null);
  if (others.length === 0) {
    say("There is no other list to merge into.");
    return;
  }
  const into = await ask(`Merge “${list.name}” into`, "", others);
  if (into === null) return;
  try {
    await api.mergeLists(list.id, Number(into));
    await refreshLists();
    show({ kind: "list", id: Number(into), tab: "papers" });
  } catch (e) {
    say(api.errText(e));
  }
}

async function exportAs(list: api.ListSummary, format: api.ExportFormat): Promise<void> {
  try {
    const path = await api.exportList(list.id, format);
    if (path) say(`Saved ${path}`);
  } catch (e) {
    say(api.errText(e));
  }
}

async function remove(list: api.ListSummary): Promise<void> {
  const yes = await ask(`Delete “${list.name}”? Its papers stay in your library. Type the list's name to confirm.`, "");
  if (yes === null) return;
  if (yes.trim() !== list.name) {
    say("Not deleted: the name did not match.");
    return;
  }
  try {
    await api.deleteList(list.id);
    await refreshLists();
    show({ kind: "search" });
  } catch (e) {
    say(api.errText(e));
  }
}

// ---- Import: drop, dialog, progress, report -------------------------------------------

function importLine(r: api.ImportReport): HTMLElement {
  const li = el("li", "import-report");
  li.dataset.list = String(r.listId);
  const name = r.file.split(/[\\/]/).pop() ?? r.file;
  li.append(
    el(
      "span",
      undefined,
      `${name} → “${r.listName}”${r.created ? "" : " (updated)"}: ${r.entries} entries, ${r.resolved} resolved, ${r.unresolved.length} unresolved`,
    ),
  );
  if (r.unresolved.length > 0) {
    const why = el("ul", "muted");
    why.append(...r.unresolved.slice(0, 8).map((u) => el("li", undefined, `${u.label}: ${u.reason}`)));
    if (r.unresolved.length > 8) why.append(el("li", undefined, `… and ${r.unresolved.length - 8} more`));
    li.append(why);
  }
  li.addEventListener("click", () => show({ kind: "list", id: r.listId, tab: "papers" }));
  return li;
}

export function initLists(): void {
  document.addEventListener("rated", (ev) => void afterRating((ev as CustomEvent<Rated>).detail));
  // Seen marks arrive every few seconds while the user scrolls: recount at a calmer pace.
  document.addEventListener("seen-changed", () => scheduleUnseenCounts(10_000));
  document.addEventListener("ratings-reset", () => scheduleUnseenCounts());
  byId("import").addEventListener("click", () => {
    void api.importWithDialog().catch((e) => say(api.errText(e)));
  });
  byId("new-list").addEventListener("click", () => {
    void (async () => {
      const name = await ask("New reading list", "");
      if (!name) return;
      try {
        const l = await api.createList(name);
        await refreshLists();
        show({ kind: "list", id: l.id, tab: "papers" });
      } catch (e) {
        say(api.errText(e));
      }
    })();
  });
  void api.onDragHover((on) => {
    overlay.hidden = !on;
  });
  void api.onImportProgress((e) => {
    importPanel.hidden = false;
    importPanel.dataset.done = "false";
    const step =
      e.progress === null
        ? "reading…"
        : e.progress.stage === "parsed"
          ? `${e.progress.entries} entries found`
          : `looking up ${e.progress.done}/${e.progress.total} on arXiv`;
    const bar = el("progress");
    if (e.progress?.stage === "fetching" && e.progress.total > 0) {
      bar.max = e.progress.total;
      bar.value = e.progress.done;
    }
    importPanel.replaceChildren(el("p", undefined, `Importing ${e.file} (${e.index + 1} of ${e.count}): ${step}`), bar);
  });
  void api.onImportFinished((o) => {
    importPanel.hidden = false;
    const list = el("ul");
    list.append(...o.reports.map(importLine));
    list.append(...o.failures.map((f) => el("li", "error", `${f.file}: ${f.error}`)));
    const close = button("×", "link", () => {
      importPanel.hidden = true;
    });
    importPanel.replaceChildren(close, el("h2", undefined, "Import"), list);
    importPanel.dataset.done = "true";
    void refreshLists().then(() => {
      const first = o.reports[0];
      if (first) show({ kind: "list", id: first.listId, tab: "papers" });
    });
  });
  void api.onListsChanged(() => void refreshLists());
  void refreshLists();
}
