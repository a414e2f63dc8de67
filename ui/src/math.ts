// Paper text with its formulas rendered. Rust cleans the TeX outside math when a paper is
// stored and says where each formula sits (UTF-16 offsets, as JavaScript counts); this
// module renders those formulas with KaTeX and puts every other character in through
// text nodes, so paper text never becomes markup.
//
// KaTeX writes MathML (WebKitGTK renders it natively): its HTML output needs a style on
// nearly every element and a stylesheet of its own, while MathML needs neither, so the
// CSP stays `style-src 'self'`. KaTeX builds the nodes itself (no innerHTML). With
// `trust: false` it refuses \href, \url, \includegraphics and \html*; those, and any
// formula it cannot parse or that passes its limits, are shown as their source text.
import katex from "katex";

import type { MathSpan } from "./api";

import { KATEX_OPTIONS, REFUSED, percents } from "./katex-options";

// Formulas repeat (a month of "$\times$"): rendering each text once keeps a long feed cheap.
const cache = new Map<string, Element | null>();
const CACHE_MAX = 2000;

/** The rendered formula, or null when KaTeX refused it. */
function render(tex: string, display: boolean): Element | null {
  const id = (display ? "D" : "I") + tex;
  const hit = cache.get(id);
  if (hit !== undefined) return hit ? (hit.cloneNode(true) as Element) : null;
  const box = document.createElement("span");
  box.className = display ? "math display" : "math";
  let out: Element | null = box;
  try {
    katex.render(percents(tex), box, { ...KATEX_OPTIONS, displayMode: display });
    if (box.querySelector(`[mathcolor="${REFUSED}"]`) || !box.querySelector("math")) out = null;
  } catch {
    out = null;
  }
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(id, out);
  return out ? (out.cloneNode(true) as Element) : null;
}

/** Fills `node` with `text`, its formulas (`spans`) rendered and the rest as text. */
export function setMathText(node: HTMLElement, text: string, spans: readonly MathSpan[] = []): void {
  node.replaceChildren();
  node.classList.remove("has-math");
  let at = 0;
  for (const s of spans) {
    // Spans come sorted and inside the text; anything else is shown as text.
    if (s.start < at || s.end > text.length || s.texStart < s.start || s.texEnd > s.end) continue;
    if (s.start > at) node.append(text.slice(at, s.start));
    const source = text.slice(s.start, s.end);
    const math = render(text.slice(s.texStart, s.texEnd), s.display);
    if (math) {
      math.setAttribute("title", source);
      node.append(math);
      node.classList.add("has-math");
    } else {
      node.append(source);
    }
    at = s.end;
  }
  if (at < text.length) node.append(text.slice(at));
}

/** An element of `tag` holding `text` with its formulas rendered. */
export function mathEl<K extends keyof HTMLElementTagNameMap>(tag: K, className: string | undefined, text: string, spans?: readonly MathSpan[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  setMathText(node, text, spans);
  return node;
}
