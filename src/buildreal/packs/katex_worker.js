// Typesets TeX with KaTeX for buildreal's pages (server side, HTML + MathML output).
// One JSON request per line on stdin: [[tex, display], ...]; one JSON reply per line on
// stdout: [html or null, ...] (null: KaTeX could not parse it; the page keeps the TeX).
"use strict";
const katex = require("katex");
const readline = require("readline");
const lines = readline.createInterface({ input: process.stdin, terminal: false });
lines.on("line", (line) => {
  let out = [];
  try {
    out = JSON.parse(line).map(([tex, display]) => {
      try {
        return katex.renderToString(tex, { displayMode: !!display, output: "htmlAndMathml",
                                           throwOnError: true, trust: false, strict: "ignore" });
      } catch (e) {
        return null;
      }
    });
  } catch (e) {
    out = [];
  }
  process.stdout.write(JSON.stringify(out) + "\n");
});
