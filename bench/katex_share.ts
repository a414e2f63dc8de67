// How many of a corpus's formulas KaTeX renders with the app's settings, and how long
// rendering takes. Input: `papersift bench-tex --texts CORPUS --formulas F.jsonl`.
//
//   npx --prefix ui esbuild bench/katex_share.ts --bundle --platform=node \
//     --outfile=target/katex_share.cjs && node target/katex_share.cjs F.jsonl
//
// A formula counts as rendered when KaTeX parses it without error and refuses none of its
// commands (the app shows the others as their source text).
import katex from "katex";
import fs from "node:fs";
import { KATEX_OPTIONS, REFUSED, percents } from "../ui/src/katex-options";

const file = process.argv[2];
if (!file) throw new Error("usage: katex_share FORMULAS.jsonl");
const rows = fs
  .readFileSync(file, "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse(l) as { id: string; tex: string; display: boolean });
const papers = new Set<string>();
const failed = new Set<string>();
const reasons = new Map<string, number>();
let ok = 0;
const started = performance.now();
for (const r of rows) {
  papers.add(r.id);
  try {
    const out = katex.renderToString(percents(r.tex), { ...KATEX_OPTIONS, displayMode: r.display });
    if (out.includes(`mathcolor="${REFUSED}"`)) throw new Error("refused command");
    ok++;
  } catch (e) {
    failed.add(r.id);
    const why = String((e as Error).message ?? e).replace(/ at position \d+.*$/s, "").slice(0, 60);
    reasons.set(why, (reasons.get(why) ?? 0) + 1);
  }
}
const ms = performance.now() - started;
const top = [...reasons.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
console.log(
  JSON.stringify(
    {
      formulas: rows.length,
      rendered: ok,
      share: ok / rows.length,
      papers: papers.size,
      papers_fully_rendered: papers.size - failed.size,
      paper_share: (papers.size - failed.size) / papers.size,
      ms_per_formula: ms / rows.length,
      top_failures: Object.fromEntries(top),
    },
    null,
    1,
  ),
);
