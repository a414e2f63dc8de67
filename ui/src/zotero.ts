// Zotero in the window: the Settings section that links collections and .bib files as
// lists that follow them, the banner a linked list's page shows, and "Save to Zotero"
// on cards and the paper page. The following itself happens in Rust.
import * as api from "./api";
import { button, byId, el } from "./dom";
import { say, show } from "./nav";

const dirInput = byId<HTMLInputElement>("set-zotero-dir");
const box = byId<HTMLUListElement>("zotero-collections");
const error = byId("zotero-error");

function dir(): string | null {
  return dirInput.value.trim() || null;
}

/** One pickable row: a whole library or a collection, with its Link button. */
function row(label: string, items: number, key: string | null, libraryId: number): HTMLLIElement {
  const li = el("li", "zotero-row");
  li.dataset.key = key ?? `library:${libraryId}`;
  const link = button("Link", "small", () => {
    link.disabled = true;
    error.textContent = "";
    void api
      .linkZotero(dir(), libraryId, key)
      .then((r) => {
        byId<HTMLDialogElement>("settings").close();
        say(`“${r.listName}” follows ${r.label}: ${r.tally.resolved} of ${r.added} papers resolved.`);
        show({ kind: "list", id: r.listId, tab: "papers" });
      })
      .catch((e) => {
        error.textContent = api.errText(e);
        link.disabled = false;
      });
  });
  link.title = "Make a reading list that follows this in Zotero";
  li.append(el("span", "name", label), el("span", "muted", ` ${items} ${items === 1 ? "item" : "items"} `), link);
  return li;
}

async function showCollections(): Promise<void> {
  error.textContent = "";
  box.replaceChildren(el("li", "muted", "Reading Zotero's library…"));
  try {
    const o = await api.zoteroCollections(dir());
    if (!dirInput.value.trim()) dirInput.placeholder = `found: ${o.dataDir}`;
    const rows: HTMLLIElement[] = [];
    for (const lib of o.libraries) {
      rows.push(row(`${lib.name} (everything)`, lib.items, null, lib.id));
      for (const c of o.collections.filter((c) => c.libraryId === lib.id)) {
        rows.push(row(c.path, c.items, c.key, lib.id));
      }
    }
    box.replaceChildren(...rows);
    if (o.libraries.every((l) => l.items === 0)) {
      box.append(el("li", "muted", `The Zotero library in ${o.dataDir} holds no items yet; link it and it fills as you add papers in Zotero.`));
    }
    box.dataset.loaded = "true";
  } catch (e) {
    box.replaceChildren();
    error.textContent = api.errText(e);
  }
}

/** A linked list's banner: what it follows, when it last looked, and its actions. */
export function linkBanner(list: api.ListSummary, redraw: () => void): HTMLElement | null {
  const link = list.link;
  if (!link) return null;
  const banner = el("div", "link-banner");
  banner.id = "list-link";
  const when = link.checkedAt ? ` · checked ${link.checkedAt.replace("T", " ").replace("Z", " UTC")}` : "";
  banner.append(el("span", undefined, `Follows ${link.label}${when}. Add or remove its papers there.`));
  if (link.error) banner.append(el("span", "error", ` Last try failed: ${link.error}`));
  banner.append(
    button("Follow now", "small", () => {
      void api
        .followLists(list.id)
        .then(([r]) => {
          if (r) say(r.error ? r.error : `“${r.listName}”: ${r.added} added, ${r.removed} removed.`);
          redraw();
        })
        .catch((e) => say(api.errText(e)));
    }),
    button(
      "Unlink",
      "small",
      () => {
        void api
          .unlinkList(list.id)
          .then(() => {
            say(`“${list.name}” keeps its papers and no longer follows ${link.label}.`);
            redraw();
          })
          .catch((e) => say(api.errText(e)));
      },
      "Stop following; the list keeps its papers and can be edited here",
    ),
  );
  return banner;
}

/** "Save to Zotero" for one paper. */
export function zoteroButton(key: string): HTMLButtonElement {
  const b = button(
    "Save to Zotero",
    "small save-zotero",
    () => {
      b.disabled = true;
      void api
        .saveToZotero(key)
        .then((s) => say(`Saved to Zotero: “${s.title}”${s.withPdf ? " with its PDF link" : ""}.`))
        .catch((e) => say(api.errText(e)))
        .finally(() => {
          b.disabled = false;
        });
    },
    "Save to Zotero (into the collection selected in Zotero)",
  );
  return b;
}

export function initZotero(): void {
  byId("zotero-show").addEventListener("click", () => void showCollections());
  byId("link-file").addEventListener("click", () => {
    error.textContent = "";
    void api
      .linkFileWithDialog()
      .then((r) => {
        if (!r) return;
        byId<HTMLDialogElement>("settings").close();
        say(`“${r.listName}” follows ${r.label}.`);
        show({ kind: "list", id: r.listId, tab: "papers" });
      })
      .catch((e) => {
        error.textContent = api.errText(e);
      });
  });
}
