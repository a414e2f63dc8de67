// Keyboard first: / search, j/k move, o open, Enter expand, +/- 👍/👎, l add to a list,
// b/c copy its BibTeX or link, ? help.
import { byId } from "./dom";

const input = byId<HTMLInputElement>("search");
const results = byId("results");
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
export function initKeys(): void {
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
      case "+":
      case "=":
      case "-": {
        const cls = ev.key === "-" ? ".rate-down" : ".rate-up";
        (card ?? document.querySelector<HTMLElement>(".paper-page"))?.querySelector<HTMLButtonElement>(cls)?.click();
        break;
      }
      case "b":
      case "c": {
        // The focused card's citation, else the open paper page's.
        const cls = ev.key === "b" ? ".copy-bibtex" : ".copy-link";
        (card ?? document.querySelector<HTMLElement>(".paper-page"))?.querySelector<HTMLButtonElement>(cls)?.click();
        break;
      }
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
}
