// Long lists of papers without a long DOM: the items are cut into blocks, and only the
// blocks near the viewport hold cards. A block scrolled far away is swapped for an empty
// box of its measured height, so the scroll bar stays true and 75k papers cost a few
// hundred nodes. Cards can grow (an expanded abstract): heights are measured, not fixed.
import { el } from "./dom";

/** Items per block. */
export const BLOCK = 25;
/** Lists this long or shorter are rendered whole. */
export const WHOLE = 2 * BLOCK;
const ESTIMATE = 150; // px per card before a block was ever drawn

/**
 * Fills `container` with cards for `items`, made by `render` as blocks come near the
 * viewport. Returns the number of items.
 */
export function renderLong<T>(container: HTMLElement, items: T[], render: (item: T) => HTMLElement): number {
  if (items.length <= WHOLE) {
    container.replaceChildren(...items.map(render));
    delete container.dataset.virtual;
    return items.length;
  }
  const blocks: HTMLElement[] = [];
  const heights: number[] = [];
  for (let b = 0; b * BLOCK < items.length; b++) {
    const block = el("div", "block");
    block.dataset.block = String(b);
    block.style.minHeight = `${Math.min(BLOCK, items.length - b * BLOCK) * ESTIMATE}px`;
    blocks.push(block);
    heights.push(0);
  }
  const fill = (b: number) => {
    const block = blocks[b];
    if (!block || block.dataset.filled === "true") return;
    block.replaceChildren(...items.slice(b * BLOCK, (b + 1) * BLOCK).map(render));
    block.dataset.filled = "true";
    block.style.minHeight = "";
  };
  const empty = (b: number) => {
    const block = blocks[b];
    if (!block || block.dataset.filled !== "true") return;
    if (block.contains(document.activeElement)) return; // never pull the focus away
    heights[b] = block.offsetHeight;
    block.style.minHeight = `${heights[b]}px`;
    block.replaceChildren();
    block.dataset.filled = "false";
  };
  const observer = new IntersectionObserver(
    (entries) => {
      if (!container.isConnected || !blocks[0]?.isConnected) {
        observer.disconnect();
        return;
      }
      for (const e of entries) {
        const b = Number((e.target as HTMLElement).dataset.block);
        if (e.isIntersecting) fill(b);
        else empty(b);
      }
    },
    // Blocks within about two screens of the viewport are kept drawn.
    { rootMargin: "200% 0px 200% 0px" },
  );
  container.replaceChildren(...blocks);
  container.dataset.virtual = String(items.length);
  fill(0);
  for (const b of blocks) observer.observe(b);
  return items.length;
}
