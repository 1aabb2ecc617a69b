"""The lecture player's page: its HTML skeleton, its style and its script, all inline (no network)."""

from __future__ import annotations

# Colours: the drawing's own (see drawing.py); presenter mode maps them onto the Okabe–Ito
# palette, which people with every common colour-vision deficiency can tell apart.
CSS = """
:root { --value: #1f5fbf; --grad: #c0392b; --hi: #e67e22; --hi-fill: #fdebd0; --unknown: #9e9e9e; }
* { box-sizing: border-box; }
html, body { height: 100%; }
body { margin: 0; font: 16px/1.4 system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "PingFang SC",
       "Microsoft YaHei", sans-serif; color: #222;
       background: #fafafa; display: flex; flex-direction: column; overflow: auto; }
/* one line, whatever the mode: the title gives way (…) before the controls wrap */
header { flex: none; display: flex; flex-wrap: nowrap; gap: .3em .7em; align-items: center;
         padding: .3em .8em; background: #fff; border-bottom: 1px solid #ddd; font-size: 16px; }
header h1 { font-size: 1.15em; margin: 0; flex: 0 1 auto; min-width: 5em; white-space: nowrap;
            overflow: hidden; text-overflow: ellipsis; }
header input[type=range] { flex: 1 1 6em; min-width: 4em; }
header button { font: inherit; padding: .15em .6em; white-space: nowrap; }
#position { flex: none; min-width: 7.5em; font-variant-numeric: tabular-nums; white-space: nowrap; }
#keys { white-space: nowrap; }
@media (max-width: 1400px) { #keys { display: none; } }
main { flex: 1 1 auto; min-height: 0; display: flex; flex-direction: column; gap: .5em; padding: .5em 1em; }
/* the caption's and the table's text grows with the window, for the back row: 14px at 1024×768,
   about 17px at 1366×768, 20px from 1600×900 on: presenter mode (26px) stays half as large again */
:root { --text: clamp(14px, min(1.25vw, 2.25vh), 20px); }
body.beside main { flex-direction: row; }
#stage { flex: none; min-width: 0; }
body.beside #stage { flex: 3 1 0; }
#picture { min-width: 0; }
#picture svg { display: block; width: 100%; height: auto; margin: 0 auto; }
#caption { margin: .4em 0 0; padding: .4em .5em; background: #fff; border: 1px solid #ddd;
           white-space: pre-wrap; overflow-wrap: anywhere; font-family: ui-monospace, monospace;
           font-size: var(--text); overflow-y: auto; }
#side { flex: 1 1 auto; min-width: 0; min-height: 0; overflow: auto; }
body.beside #side { flex: 2 1 0; }
#table { border-collapse: collapse; font-size: var(--text); width: 100%; }
#table th, #table td { border: 1px solid #ddd; padding: .15em .4em; text-align: left; vertical-align: top; }
#table thead th { position: sticky; top: 0; background: #fff; }
#table tr.current td { background: var(--hi-fill); outline: 2px solid var(--hi); }
#table td.unknown { color: var(--unknown); }
#table.grouped td:nth-child(-n+3) { width: 1px; }  /* names as narrow as they go: room for the numbers */
#table.grouped td:nth-child(3) { word-break: keep-all; }  /* "3 个参数" breaks at its space only */
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
body.presenter header { font-size: 18px; }
body.presenter #table { font-size: .75em; }
body.presenter svg text[fill="#1f5fbf"] { fill: #0072b2; font-weight: bold; }
body.presenter svg text[fill="#c0392b"] { fill: #d55e00; font-weight: bold; }
body.presenter svg text[fill="#2e7d32"] { fill: #009e73; font-weight: bold; }
body.presenter svg text[fill="#9e9e9e"] { fill: #555; font-weight: bold; }
body.presenter svg path, body.presenter svg ellipse { stroke-width: 1.5px; }
body.no-table #side { display: none; }
#blank { display: none; position: fixed; inset: 0; z-index: 10; background: #000; }
body.blank #blank { display: block; }
"""

SCRIPT = r"""
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
// only a box's numbers ("0.5974", "out = 0.5974"), not its column heads ("out", "∂f/∂out")
const number = t => /^[−-]?[\d∞]|= /.test(t.textContent.trim()) || t.textContent.trim() === "nan";
const blank = text => text.includes("= ") ? text.replace(/= [^=]*$/, "= ?") : "?";
// A network's boxes (save_html(group=…)): "out = …" at the box's forward step, "∂f/∂out = …" at its backward
const boxes = Object.entries(data.boxes).map(([id, [fwd, back]]) => ({ fwd, back,
  values: texts(id, VALUE).filter(number).map(t => [t, t.textContent]),
  grads: texts(id, GRAD).filter(number).map(t => [t, t.textContent]) }));
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
  for (const b of boxes) {
    const computed = all || !forward || b.fwd <= k, sent = all || (!forward && b.back <= k);
    for (const [t, text] of b.values) say(t, computed ? text : blank(text), true, computed ? VALUE : UNKNOWN);
    for (const [t, text] of b.grads) say(t, sent ? text : blank(text), true, sent ? GRAD : UNKNOWN);
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
  position.textContent = data.position.replace("{p}", p).replace("{n}", data.frames.length - 1);
  document.body.dataset.position = String(p);
  keepRowInView();
}

// The picture as large as the window allows, the table under it or beside it, whichever leaves the
// picture larger; the caption and the table's current row always in the window.
const main = document.querySelector("main"), side = document.getElementById("side");
function fit() {
  const body = document.body, box = svg.viewBox.baseVal, aspect = box.height / box.width;
  const table = !body.classList.contains("no-table");
  svg.style.height = "40px";  // small while measuring, so that no scroll bar takes up width
  svg.style.width = `${40 / aspect}px`;
  // the tallest picture an arrangement leaves room for, its caption fitted to its width first
  function room(beside) {
    body.classList.toggle("beside", beside);
    fitCaption();
    const m = getComputedStyle(main), gap = parseFloat(m.rowGap) || 0;
    const width = main.clientWidth - parseFloat(m.paddingLeft) - parseFloat(m.paddingRight);
    const height = window.innerHeight - document.querySelector("header").offsetHeight
      - parseFloat(m.paddingTop) - parseFloat(m.paddingBottom)
      - caption.offsetHeight - parseFloat(getComputedStyle(caption).marginTop);
    if (beside) return Math.min((width - gap) * 0.6 * aspect, height);
    // under the picture the table keeps room for its header and three rows (all, if fewer)
    const rows = Array.from(side.querySelectorAll("tr")).slice(0, 4);
    const kept = table ? rows.reduce((h, r) => h + r.offsetHeight, 0) + 4 + gap : 0;
    return Math.min(width * aspect, height - kept);
  }
  const below = room(false), beside = table ? room(true) : 0;
  const tall = Math.max(40, beside > 1.1 * below ? beside : below);
  room(beside > 1.1 * below);
  svg.style.height = `${Math.floor(tall)}px`;
  svg.style.width = `${Math.floor(tall / aspect)}px`;
  svg.style.maxWidth = "100%";
  keepRowInView();
}
function keepRowInView() {
  const row = side.querySelector("tr.current");
  if (!row) return;
  const s = side.getBoundingClientRect(), r = row.getBoundingClientRect();
  const head = side.querySelector("thead"), top = s.top + (head ? head.offsetHeight : 0);
  if (r.top < top) side.scrollTop -= top - r.top;
  else if (r.bottom > s.bottom) side.scrollTop += r.bottom - s.bottom;
}

function presenter(on) {
  document.body.classList.toggle("presenter", on);
  document.getElementById("presenter").setAttribute("aria-pressed", String(on));
  fit();
}

slider.addEventListener("input", () => show(Number(slider.value)));
document.getElementById("back").addEventListener("click", () => show(Number(slider.value) - 1));
document.getElementById("next").addEventListener("click", () => show(Number(slider.value) + 1));
document.getElementById("presenter").addEventListener("click",
  () => presenter(!document.body.classList.contains("presenter")));
function tableShown(on) {
  document.body.classList.toggle("no-table", !on);
  document.getElementById("show-table").setAttribute("aria-pressed", String(on));
  fit();
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
window.addEventListener("resize", fit);
show(0);
fit();
"""

#: The page's own words, filled in from `phrases` in the page's language ({w_table} for "table").
WORDS = ("previous", "next", "presenter", "table", "table title", "keys", "blank", "blank title")

TEMPLATE = """<!DOCTYPE html>
<html lang="{lang}">
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
<button id="back" type="button" title="{w_previous} (←)">◀</button>
<input id="slider" type="range" min="0" max="{last}" value="0" aria-label="step">
<button id="next" type="button" title="{w_next} (→)">▶</button>
<span id="position"></span>
<button id="presenter" type="button" aria-pressed="{presenter_pressed}" title="{w_presenter} (P)">\
{w_presenter}</button>
<button id="show-table" type="button" aria-pressed="true" title="{w_table_title} (T)">{w_table}</button>
<span id="keys"><kbd>←</kbd> <kbd>→</kbd> {w_keys} · <kbd>P</kbd> {w_presenter} · <kbd>T</kbd> {w_table} · \
<kbd>B</kbd> {w_blank}</span>
</header>
<main>
<section id="stage">
<div id="picture">{svg}</div>
<pre id="caption" aria-live="polite"></pre>
</section>
<aside id="side">{table}</aside>
</main>
<div id="blank" title="{w_blank_title}"></div>
<script type="application/json" id="data">{data}</script>
<script>{script}</script>
</body>
</html>
"""
