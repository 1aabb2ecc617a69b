"""The lecture player's page: its HTML skeleton, its style and its script, all inline (no network)."""

from __future__ import annotations

# Colours: the drawing's own (see drawing.py); presenter mode maps them onto the Okabe–Ito
# palette, which people with every common colour-vision deficiency can tell apart.
CSS = """
:root { --value: #1f5fbf; --grad: #c0392b; --hi: #e67e22; --hi-fill: #fdebd0; --unknown: #9e9e9e; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222;
       background: #fafafa; }
header { position: sticky; top: 0; z-index: 1; display: flex; flex-wrap: wrap; gap: .5em 1em;
         align-items: center; padding: .5em 1em; background: #fff; border-bottom: 1px solid #ddd; }
header h1 { font-size: 1.1em; margin: 0; flex: 1 1 100%; }
header input[type=range] { flex: 1 1 12em; min-width: 8em; }
header button { font: inherit; padding: .2em .7em; }
#position { min-width: 7em; font-variant-numeric: tabular-nums; }
main { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1em; padding: 1em; }
@media (max-width: 900px) { main { grid-template-columns: minmax(0, 1fr); } }
#picture { min-width: 0; }
#picture svg { display: block; width: 100%; height: auto; max-height: 70vh; }
#caption { margin: .5em 0 0; padding: .5em; background: #fff; border: 1px solid #ddd;
           white-space: pre-wrap; overflow-wrap: anywhere; font-family: ui-monospace, monospace;
           font-size: .9em; overflow-y: auto; }
#side { min-width: 0; overflow-x: auto; }
#table { border-collapse: collapse; font-size: .85em; width: 100%; }
#table th, #table td { border: 1px solid #ddd; padding: .2em .4em; text-align: left; vertical-align: top; }
#table tr.current td { background: var(--hi-fill); outline: 2px solid var(--hi); }
#table td.unknown { color: var(--unknown); }
.node.current > ellipse, .node.current > path, .node.current > polygon {
  stroke: var(--hi); stroke-width: 3px; fill: var(--hi-fill); }
.edge.current > path, .edge.current > polygon { stroke: var(--hi); stroke-width: 3px; }
.edge.current > polygon { fill: var(--hi); }
.hidden { visibility: hidden; }
.node > ellipse, .node > polygon, .node > path { pointer-events: visible; }  /* hover anywhere in a node */
kbd { border: 1px solid #bbb; border-radius: 3px; padding: 0 .3em; background: #fff; }
body.presenter { --value: #0072b2; --grad: #d55e00; --hi: #000; --hi-fill: #f0e442; --unknown: #555;
                 font-size: 26px; color: #000; background: #fff; }
body.presenter #caption { font-size: 1em; border: 2px solid #000; }
body.presenter svg text[fill="#1f5fbf"] { fill: #0072b2; font-weight: bold; }
body.presenter svg text[fill="#c0392b"] { fill: #d55e00; font-weight: bold; }
body.presenter svg text[fill="#2e7d32"] { fill: #009e73; font-weight: bold; }
body.presenter svg text[fill="#9e9e9e"] { fill: #555; font-weight: bold; }
body.presenter svg path, body.presenter svg ellipse { stroke-width: 1.5px; }
body.presenter main, body.no-table main { grid-template-columns: minmax(0, 1fr); }
body.no-table #side { display: none; }
#blank { display: none; position: fixed; inset: 0; z-index: 10; background: #000; }
body.blank #blank { display: block; }
"""

SCRIPT = """
"use strict";
const data = JSON.parse(document.getElementById("data").textContent);
const svg = document.querySelector("#picture svg");
const slider = document.getElementById("slider");
const caption = document.getElementById("caption");
const position = document.getElementById("position");
const VALUE = "#1f5fbf", GRAD = "#c0392b", UNKNOWN = "#9e9e9e";
const texts = (id, colour) => {
  const g = document.getElementById(id);
  return g ? Array.from(g.querySelectorAll("text")).filter(t => t.getAttribute("fill") === colour) : [];
};
// Remember what the full drawing says, to put it back when its step comes
const edges = Object.entries(data.edges).map(([id, [input, back]]) => {
  const value = texts(id, VALUE)[0], grad = texts(id, GRAD)[0];
  return { id, input, back, value, text: value ? value.textContent : "", grad,
           gradText: grad ? grad.textContent : "" };
});
const totals = Object.entries(data.totals).map(([id, list]) =>
  ({ id, list, text: texts(id, GRAD)[0], unknown: data.unknownTotals[id] }));
const all = data.reveal === "all";
// Each number is shown when its step comes, "?" before (or always, with reveal="all")
function say(t, text, known, colour) {
  if (!t) return;
  t.textContent = known ? text : "?";
  t.setAttribute("fill", known ? colour : UNKNOWN);
}
// The caption box takes the height of the tallest step at this width, so nothing below it moves
function fitCaption() {
  const shown = caption.textContent;
  caption.style.height = "auto";
  let tallest = 0;
  for (const f of data.frames) {
    caption.textContent = f.caption;
    tallest = Math.max(tallest, caption.getBoundingClientRect().height);
  }
  caption.style.height = `${Math.ceil(tallest)}px`;
  caption.textContent = shown;
}

function show(p) {
  p = Math.max(0, Math.min(data.frames.length - 1, p));
  const f = data.frames[p];
  const k = f.step, forward = f.phase !== "backward";
  for (const e of edges) {
    say(e.value, e.text, all || !forward || (data.known[e.input] || 0) <= k, VALUE);
    say(e.grad, e.gradText, all || (!forward && e.back <= k), GRAD);
  }
  for (const t of totals) {
    if (!t.text) continue;
    const last = all ? t.list[t.list.length - 1] : forward ? undefined : t.list.filter(([b]) => b <= k).pop();
    t.text.textContent = last ? last[1] : t.unknown;
    t.text.setAttribute("fill", last ? GRAD : UNKNOWN);
  }
  for (const g of svg.querySelectorAll(".current")) g.classList.remove("current");
  for (const id of [f.current, ...f.edges]) {
    const g = id && document.getElementById(id);
    if (g) g.classList.add("current");
  }
  for (const row of document.querySelectorAll("#table tbody tr")) {
    const r = Number(row.dataset.row), [local, localBlank, value, grad] = data.rows[r];
    row.classList.toggle("current", r === f.row);
    const computed = all || !forward || r < k;  // row r is forward step r + 1
    const sent = all || (!forward && r >= data.forwardSteps - k);  // its backward step has come
    row.cells[2].textContent = computed ? local : localBlank;
    row.cells[3].textContent = computed ? value : "?";
    row.cells[4].textContent = sent ? grad : "?";
    row.cells[3].classList.toggle("unknown", !computed);
    row.cells[4].classList.toggle("unknown", !sent);
  }
  caption.textContent = f.caption;
  slider.value = String(p);
  position.textContent = `step ${p} of ${data.frames.length - 1}`;
  document.body.dataset.position = String(p);
}

function presenter(on) {
  document.body.classList.toggle("presenter", on);
  document.getElementById("presenter").setAttribute("aria-pressed", String(on));
  fitCaption();
}

slider.addEventListener("input", () => show(Number(slider.value)));
document.getElementById("back").addEventListener("click", () => show(Number(slider.value) - 1));
document.getElementById("next").addEventListener("click", () => show(Number(slider.value) + 1));
document.getElementById("presenter").addEventListener("click",
  () => presenter(!document.body.classList.contains("presenter")));
function tableShown(on) {
  document.body.classList.toggle("no-table", !on);
  document.getElementById("show-table").setAttribute("aria-pressed", String(on));
  fitCaption();
}
document.getElementById("show-table").addEventListener("click",
  () => tableShown(document.body.classList.contains("no-table")));
function blankScreen(on) {
  document.body.classList.toggle("blank", on);
}
// Keys work wherever the focus is (a clicker sends PageDown/PageUp): they are caught before any
// button or the slider sees them, so one press is one step.
window.addEventListener("keydown", ev => {
  if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
  const key = ev.key, p = Number(slider.value), last = data.frames.length - 1;
  const moves = { ArrowRight: p + 1, PageDown: p + 1, " ": ev.shiftKey ? p - 1 : p + 1, Enter: p + 1,
                  ArrowLeft: p - 1, PageUp: p - 1, Backspace: p - 1, Home: 0, End: last };
  let done = true;
  if (document.body.classList.contains("blank")) blankScreen(false);  // any key lights the screen again
  else if (key in moves) show(moves[key]);
  else if (key === "p" || key === "P") presenter(!document.body.classList.contains("presenter"));
  else if (key === "t" || key === "T") tableShown(document.body.classList.contains("no-table"));
  else if (key === "b" || key === "B" || key === ".") blankScreen(true);
  else done = false;
  if (done) { ev.preventDefault(); ev.stopPropagation(); }
}, true);
document.getElementById("blank").addEventListener("click", () => blankScreen(false));
window.addEventListener("resize", fitCaption);
fitCaption();
show(0);
"""

TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; \
script-src 'unsafe-inline'; img-src data:">
<title>{title}</title>
<style>{css}</style>
</head>
<body class="{body_class}">
<header>
<h1>{title}</h1>
<button id="back" type="button" title="previous step (←)">◀</button>
<input id="slider" type="range" min="0" max="{last}" value="0" aria-label="step">
<button id="next" type="button" title="next step (→)">▶</button>
<span id="position"></span>
<button id="presenter" type="button" aria-pressed="{presenter_pressed}" title="presenter mode (P)">\
presenter mode</button>
<button id="show-table" type="button" aria-pressed="true" title="show or hide the table (T)">table</button>
<span id="keys"><kbd>←</kbd> <kbd>→</kbd> step · <kbd>P</kbd> presenter · <kbd>T</kbd> table · \
<kbd>B</kbd> blank</span>
</header>
<main>
<section id="stage">
<div id="picture">{svg}</div>
<pre id="caption" aria-live="polite"></pre>
</section>
<aside id="side">{table}</aside>
</main>
<div id="blank" title="blank screen: press any key"></div>
<script type="application/json" id="data">{data}</script>
<script>{script}</script>
</body>
</html>
"""
