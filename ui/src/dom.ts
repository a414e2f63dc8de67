// Small DOM helpers. Remote text only ever goes in through textContent.

export function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function button(text: string, className: string, onClick: () => void, title?: string): HTMLButtonElement {
  const b = el("button", className, text);
  b.type = "button";
  if (title) b.title = title;
  b.addEventListener("click", (ev) => {
    ev.stopPropagation();
    onClick();
  });
  return b;
}

/** "45 papers/s, about 2 min left": an indexing pace for the status line. */
export function paceText(rate: number | null, etaS: number | null): string {
  if (rate === null || etaS === null || !Number.isFinite(rate) || rate <= 0) return "";
  const r = rate >= 10 ? Math.round(rate).toString() : rate.toFixed(1);
  const s = Math.max(0, Math.round(etaS));
  const left = s < 60 ? `${s} s` : s < 3600 ? `${Math.round(s / 60)} min` : `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
  return `${r} papers/s, about ${left} left`;
}
