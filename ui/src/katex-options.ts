// KaTeX's settings for paper text, shared by the UI (math.ts) and the render-share
// measurement (bench/katex_share.ts). No DOM here.

// The colour KaTeX gives commands it refused (trust: false); never a real colour here.
export const REFUSED = "#c0ffe0";

export const KATEX_OPTIONS = {
  output: "mathml",
  throwOnError: true,
  errorColor: REFUSED,
  trust: false,
  strict: "ignore",
  maxSize: 10,
  maxExpand: 100,
} as const;

/** A bare `%` starts a TeX comment; in one-line paper metadata it is a percent sign. */
export function percents(tex: string): string {
  return tex.replace(/(^|[^\\])%/g, "$1\\%");
}
