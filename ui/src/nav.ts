// What the window can show, and how a module asks for another view. The router
// (views.ts) installs itself here at start, so the views it draws can ask for others
// without importing it back.
import { byId } from "./dom";
import type { MapView } from "./map";
import type { FeedView, PaperView } from "./reading";

export type View =
  | { kind: "search" }
  | { kind: "list"; id: number; tab: "papers" | "recommended" }
  | { kind: "foryou" }
  | { kind: "alerts" }
  | { kind: "ratings" }
  | FeedView
  | PaperView
  | MapView;

/** One drawing of a view: whether it is still the one asked for, and its end. */
export interface Drawing {
  /** False once another view (or another drawing of this one) was asked for. */
  live(): boolean;
  /** Marks the results as showing `view` (tests and screen readers wait on it). */
  done(view: string): void;
}

interface Router {
  show(v: View, remember: boolean): void;
  current(): View;
  rerender(): void;
}

let router: Router | null = null;

/** Called once by the router. */
export function installRouter(r: Router): void {
  router = r;
}

/** Shows a view; `remember` puts the current one on the Back stack. */
export function show(v: View, remember = true): void {
  router?.show(v, remember);
}

export function currentView(): View {
  return router?.current() ?? { kind: "search" };
}

/** Draws the current view again (not search). */
export function rerender(): void {
  router?.rerender();
}

const notice = byId("notice");

/** The notice line above the results (`null` hides it). */
export function say(text: string | null): void {
  notice.hidden = text === null;
  notice.textContent = text ?? "";
}
