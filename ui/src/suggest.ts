// As-you-type suggestions under the search box: titles (open the paper), authors and
// categories (put `author:"…"` / `cat:…` in place of the word being typed, and search).
// Arrow keys move through them, Enter picks, Escape closes.
import * as api from "./api";
import { el } from "./dom";

const KIND_LABEL: Record<api.SuggestionKind, string> = { title: "Paper", author: "Author", category: "Category" };

export function initSuggest(
  input: HTMLInputElement,
  list: HTMLElement,
  onQuery: () => void,
  onOpen: (key: string) => void,
): void {
  let items: api.Suggestion[] = [];
  let active = -1;
  let timer = 0;
  let asked = 0;

  const close = () => {
    items = [];
    active = -1;
    list.replaceChildren();
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  };

  const mark = () => {
    [...list.children].forEach((li, i) => li.setAttribute("aria-selected", String(i === active)));
    if (active >= 0) input.setAttribute("aria-activedescendant", `suggestion-${active}`);
    else input.removeAttribute("aria-activedescendant");
  };

  const pick = (s: api.Suggestion) => {
    close();
    if (s.kind === "title") {
      onOpen(s.insert);
      return;
    }
    // Replace the word being typed (with any `field:` in front of it).
    const v = input.value;
    const cut = v.search(/\S*$/);
    input.value = `${v.slice(0, cut)}${s.insert} `;
    input.focus();
    onQuery();
  };

  const render = () => {
    list.replaceChildren(
      ...items.map((s, i) => {
        const li = el("li", `suggestion ${s.kind}`);
        li.id = `suggestion-${i}`;
        li.setAttribute("role", "option");
        li.append(el("span", "kind", KIND_LABEL[s.kind]), el("span", "text", s.text));
        if (s.kind !== "title") li.append(el("span", "count", s.count.toLocaleString()));
        // mousedown, not click: the input's blur would close the list first.
        li.addEventListener("mousedown", (ev) => {
          ev.preventDefault();
          pick(s);
        });
        return li;
      }),
    );
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", String(items.length > 0));
    mark();
  };

  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    const text = input.value;
    if (text.trim().length < 2) {
      close();
      return;
    }
    timer = window.setTimeout(async () => {
      const n = ++asked;
      try {
        const found = await api.suggest(text);
        if (n !== asked || input.value !== text) return; // typed on meanwhile
        items = found;
        active = -1;
        render();
      } catch {
        close(); // suggestions are a convenience: the search itself reports errors
      }
    }, 60);
  });

  input.addEventListener("keydown", (ev) => {
    if (list.hidden || items.length === 0) return;
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      const step = ev.key === "ArrowDown" ? 1 : -1;
      active = (active + step + items.length + 1) % (items.length + 1);
      if (active === items.length) active = -1; // back to what was typed
      mark();
    } else if (ev.key === "Enter" && active >= 0) {
      ev.preventDefault();
      ev.stopPropagation();
      pick(items[active]);
    } else if (ev.key === "Escape") {
      ev.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", close);
  input.form?.addEventListener("submit", close);
}
