// The static files of the UI bundle: the page, its stylesheet, and the KaTeX fonts the
// formulas use (served from the app itself: the CSP allows no other origin).
import fs from "node:fs";

fs.mkdirSync("dist/fonts", { recursive: true });
for (const f of ["index.html", "styles.css"]) fs.copyFileSync(f, `dist/${f}`);
const FONTS = ["Main-Regular", "Main-Italic", "Main-Bold", "Math-Italic", "AMS-Regular", "Caligraphic-Regular", "Size1-Regular", "Size2-Regular"];
for (const name of FONTS) {
  const file = `KaTeX_${name}.woff2`;
  fs.copyFileSync(`node_modules/katex/dist/fonts/${file}`, `dist/fonts/${file}`);
}
