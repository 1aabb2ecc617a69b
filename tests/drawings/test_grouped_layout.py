"""Grouped drawings of a real loss, rendered by the real `dot`: boxes apart, numbers where the legend says."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import graphviz
import pytest
from playwright.sync_api import Browser, sync_playwright

import nn
from autograd import Value, draw
from autograd.drawings.grouping import MESH_COLOUR, ZOOM
from autograd.drawings.look import GRAD_COLOUR, VALUE_COLOUR
from autograd.views.graph_view import GraphView
from autograd.views.numbers import format_value
from nn import MLP, Layer

SVG = "{http://www.w3.org/2000/svg}"
SHAPES = [[4, 1], [3, 3, 1], [16, 16, 1]]
DOT_SECONDS = 120
Shape = tuple[int, ...]


def sample_loss(widths: list[int], n: int) -> tuple[Value, list[list[list[Value]]], list[float]]:
    """mean over n samples of (mlp(xₛ) − tₛ)², every layer's outputs per sample, and the targets."""
    model = MLP(2, widths, seed=0)
    terms, outputs, targets = [], [], []
    for s in range(n):
        values: list[Value] = [Value(0.3 * s - 0.4 * i + 0.2, f"x{s}_{i}") for i in range(2)]
        layers = []
        for layer in model.layers:
            values = layer.forward(values)
            layers.append(values)
        target = 1.0 if s % 2 else -0.5
        terms.append((values[0] - target) ** 2)
        outputs.append(layers)
        targets.append(target)
    loss = terms[0]
    for term in terms[1:]:
        loss = loss + term
    loss = loss * (1.0 / n) if n > 1 else loss
    loss.label = "loss"
    return loss, outputs, targets


def run_dot(drawing: graphviz.Digraph) -> bytes:
    """The SVG Graphviz makes of a drawing (with the layout engine it names), with a time limit."""
    dot = shutil.which("dot")
    if dot is None:
        raise RuntimeError("Graphviz's dot is not installed: `make test` installs it")
    command = [dot, f"-K{drawing.engine}", "-Tsvg"]
    done = subprocess.run(command, input=drawing.source.encode(), capture_output=True, timeout=DOT_SECONDS)
    assert done.returncode == 0 and not done.stderr, done.stderr.decode()
    return done.stdout


@cache
def rendered(widths: tuple[int, ...], n: int, group: str) -> ET.Element:
    loss, _, _ = sample_loss(list(widths), n)
    return ET.fromstring(run_dot(draw(loss, group=group)))


def texts(g: ET.Element) -> list[str]:
    return ["".join(t.itertext()).strip() for t in g.iter(f"{SVG}text")]


def nodes(svg: ET.Element) -> dict[str, ET.Element]:
    return {g.findtext(f"{SVG}title", ""): g for g in svg.iter(f"{SVG}g") if g.get("class") == "node"}


def points(d: str) -> list[tuple[float, float]]:
    numbers = [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", d)]
    return list(zip(numbers[::2], numbers[1::2]))


def outline(g: ET.Element) -> tuple[float, float, float, float] | None:
    """A node's box (x0, y0, x1, y1) from its drawn shape (path, polygon or ellipse), None for plain text."""
    for shape in g:
        tag = shape.tag.removeprefix(SVG)
        if tag == "ellipse":
            cx, cy, rx, ry = (float(shape.get(k, "0")) for k in ("cx", "cy", "rx", "ry"))
            return cx - rx, cy - ry, cx + rx, cy + ry
        if tag in ("path", "polygon") and shape.get("stroke") not in (None, "none", "transparent"):
            xy = points(shape.get("d") or shape.get("points", ""))
            return min(x for x, _ in xy), min(y for _, y in xy), max(x for x, _ in xy), max(y for _, y in xy)
    return None


def bezier(curve: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Points along a path of cubic Bézier pieces (SVG "M p0 C p1 p2 p3 p4 p5 p6 …"), 11 per piece."""
    out = []
    for k in range(0, len(curve) - 3, 3):
        p = curve[k : k + 4]
        for t in (i / 10 for i in range(11)):
            weights = ((1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t**3)
            out.append((sum(w * q[0] for w, q in zip(weights, p)), sum(w * q[1] for w, q in zip(weights, p))))
    return out


def text_box(g: ET.Element) -> tuple[float, float]:
    """The x range of a node's text (a plain-text node, such as a constant)."""
    xs = [float(t.get("x", "0")) for t in g.iter(f"{SVG}text")]
    return min(xs), max(xs)


CASES = [(tuple(w), n, g) for w in SHAPES for n in (1, 3, 8) for g in ("neuron", "layer")]


@pytest.mark.parametrize(("widths", "n", "group"), CASES)
def test_no_two_boxes_overlap_and_no_edge_runs_through_a_box(widths: Shape, n: int, group: str) -> None:
    assert_apart(rendered(widths, n, group), len(widths))


def other_drawing(name: str) -> graphviz.Digraph:
    """Other networks, losses and options, by name."""
    sigmoid = MLP(2, [3, 1], seed=1, activation="sigmoid")
    x = [Value(0.5, "x0"), Value(-1.0, "x1")]
    loss = (sigmoid(x) - 1.0) ** 2
    layer = Layer(2, 3, "tanh", seed=0)
    rows = [layer([0.5 * s, -1.0]) for s in range(3)]  # plain numbers: constants, not drawn
    model = MLP(2, [4, 3], seed=0)
    logits = [model([Value(0.1 * s, f"a{s}"), Value(-0.2 * s, f"b{s}")]) for s in range(2)]
    ce = nn.cross_entropy(logits, [0, 2])
    return {
        "the network's output is the root": lambda: draw(sigmoid(x), group="neuron"),
        "top to bottom": lambda: draw(loss, group="neuron", rankdir="TB"),
        "no gradients, no legend": lambda: draw(loss, group="layer", show_grads=False, legend=False),
        "a lone layer": lambda: draw(sum(o for row in rows for o in row), group="neuron"),
        "cross-entropy": lambda: draw(ce, group="neuron", scale=1.5),
        "cross-entropy by layer, top to bottom": lambda: draw(ce, group="layer", rankdir="TB"),
    }[name]()


OTHERS = [
    "the network's output is the root",
    "top to bottom",
    "no gradients, no legend",
    "a lone layer",
    "cross-entropy",
    "cross-entropy by layer, top to bottom",
]


@pytest.mark.parametrize("name", OTHERS)
def test_other_networks_and_options_keep_their_boxes_apart(name: str) -> None:
    assert_apart(ET.fromstring(run_dot(other_drawing(name))), 2)


def assert_apart(svg: ET.Element, at_least: int) -> None:
    """No two boxes (nor circles) of the drawing overlap, and no edge with numbers runs through a box."""
    boxes = {title: b for title, g in nodes(svg).items() if (b := outline(g)) is not None}
    assert len(boxes) >= at_least
    placed = sorted(boxes.items(), key=lambda item: item[1][0])
    for i, (a, (_, ay0, ax1, ay1)) in enumerate(placed):
        for b, (bx0, by0, _, by1) in placed[i + 1 :]:
            if bx0 >= ax1:
                break  # sorted by left edge: nothing further right can touch a
            assert ay1 <= by0 or by1 <= ay0, f"{a} and {b} overlap"
    # the black edges (those that carry numbers) pass no box but their own two ends
    for edge in (g for g in svg.iter(f"{SVG}g") if g.get("class") == "edge"):
        src, dst = edge.findtext(f"{SVG}title", "").split("->")
        path = edge.find(f"{SVG}path")
        if path is None or path.get("stroke") == MESH_COLOUR or not "".join(texts(edge)):
            continue  # an edge without numbers (grey, or coloured by its weight) may pass behind boxes
        curve = points(path.get("d", ""))
        for x, y in bezier(curve):
            for title, (x0, y0, x1, y1) in boxes.items():
                inside = x0 + 2 < x < x1 - 2 and y0 + 2 < y < y1 - 2
                assert title in (src, dst) or not inside, f"{src}->{dst} crosses {title}"


@pytest.mark.parametrize(("widths", "n", "group"), CASES)
def test_targets_sit_beside_the_loss_not_among_the_inputs(widths: Shape, n: int, group: str) -> None:
    svg = rendered(widths, n, group)
    shown = nodes(svg)
    first = [outline(g) for title, g in shown.items() if title.startswith("g_layer0")]
    network_left = min(b[0] for b in first if b is not None)
    network = [b for title, g in shown.items() if title.startswith("g_layer") and (b := outline(g))]
    network_right = max(b[2] for b in network)
    # o − t is drawn o + (−t): the constant is the target's negative
    targets = {format_value(-t, 4) for t in sample_loss(list(widths), n)[2]}
    numbers = targets | {"0.3333", "0.125"}  # and 1/n
    constants = [g for g in shown.values() if outline(g) is None and set(texts(g)) <= numbers]
    inputs = [outline(g) for title, g in shown.items() if any(t.startswith("∂loss/∂x") for t in texts(g))]
    assert inputs and all(b is not None and b[2] < network_left for b in inputs)
    if "g_tail" in shown:  # the loss drawn as one box lists its constants
        listed = " ".join(texts(shown["g_tail"]))
        assert all(t in listed for t in targets) and outline(shown["g_tail"])[0] > network_right  # type: ignore[index]
    else:
        assert len(constants) == n + (n > 1)  # every target, and 1/n
        assert all(text_box(g)[0] > network_left for g in constants)


@pytest.mark.parametrize(("widths", "n"), [((4, 1), 3), ((3, 3, 1), 8), ((16, 16, 1), 3)])
def test_each_row_says_its_sample_and_shows_the_engines_numbers(widths: Shape, n: int) -> None:
    loss, outputs, _ = sample_loss(list(widths), n)
    grads = GraphView(loss).grads
    by_neuron = nodes(rendered(widths, n, "neuron"))
    by_layer = nodes(rendered(widths, n, "layer"))
    for i, width in enumerate(widths):
        layer = texts(by_layer[f"g_layer{i}"])
        for j in range(width):
            box = texts(by_neuron[f"g_layer{i}.neuron{j}"])
            assert box[2:5] == ["sample", "out", "∂loss/∂out"]
            for s in range(n):
                v = outputs[s][i][j]
                row = [f"sample {s + 1}", format_value(v.data, 4), format_value(grads[v], 4)]
                assert box[5 + 3 * s : 8 + 3 * s] == row
                k = layer.index(f"sample {s + 1}") + 4 * j  # in the layer's box, sample by sample
                assert layer[k : k + 4] == [row[0], f"neuron{j}", *row[1:]]


@pytest.mark.parametrize(("widths", "n", "group"), CASES)
def test_the_legend_promises_numbers_only_where_they_are(widths: Shape, n: int, group: str) -> None:
    svg = rendered(widths, n, group)
    legend = " ".join(texts(next(g for g in svg.iter(f"{SVG}g") if g.get("class") == "graph")))
    heading = legend.split(ZOOM)[0]
    assert ZOOM in legend
    grey_into: set[str] = set()
    for edge in (g for g in svg.iter(f"{SVG}g") if g.get("class") == "edge"):
        path = edge.find(f"{SVG}path")
        dst = edge.findtext(f"{SVG}title", "").split("->")[1]
        if path is not None and path.get("stroke") == MESH_COLOUR:
            assert texts(edge) == []
            grey_into.add("the loss" if dst == "g_tail" else dst.removeprefix("g_").split(".")[0])
        else:
            numbers = texts(edge)
            assert numbers and all(re.fullmatch(r"−?[\d.e+−]+|\d+ values", t) for t in numbers), numbers
    if grey_into:
        said = re.search(r"the grey edges \(into ([^)]*)\) are too many to label", heading)
        assert said and set(said[1].split(", ")) == grey_into
    else:
        assert "grey" not in heading
    assert (f"the network ran on {n} samples" in heading) == (n > 1)


@pytest.fixture(scope="module")
def slide() -> Iterator[Browser]:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        raise RuntimeError("chromium is not installed: `make test` installs it (apt-get install -y chromium)")
    with sync_playwright() as pw:
        flags = ["--headless", "--no-sandbox", "--disable-gpu"]
        browser = pw.chromium.launch(executable_path=chromium, args=flags)
        yield browser
        browser.close()


def number_heights(browser: Browser, svg: bytes) -> list[float]:
    """How tall the numbers are on a 1366-px-wide page showing the drawing's whole width (as Jupyter does)."""
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    body = svg.decode()[svg.decode().index("<svg") :]
    fit = "<style>svg { max-width: 100%; height: auto }</style>"
    page.set_content(f"<body style='margin:0'>{fit}{body}</body>")
    colours = [VALUE_COLOUR, GRAD_COLOUR]
    heights: list[float] = page.evaluate(
        """colours => [...document.querySelectorAll('svg g.node text, svg g.edge text')]
            .filter(t => /\\d/.test(t.textContent) && (colours.includes(t.getAttribute('fill'))
                                                     || /^[−-]?[\\d.]+$/.test(t.textContent.trim())))
            .map(t => t.getBoundingClientRect().height)""",
        colours,
    )
    assert page.evaluate("document.querySelector('svg').getBoundingClientRect().width") <= 1366
    page.close()
    return heights


@pytest.mark.parametrize("group", ["neuron", "layer"])
def test_a_2_16_16_1_loss_keeps_its_numbers_12_px_high_on_a_1366_px_slide(slide: Browser, group: str) -> None:
    model = MLP(2, [16, 16, 1], seed=0)
    loss = (model([Value(0.5, "x0"), Value(-1.0, "x1")]) - 1.0) ** 2
    svg = run_dot(draw(loss, group=group, title="loss = (mlp(x) − 1)²"))
    heights = number_heights(slide, svg)
    assert len(heights) > 2 * 16 * (1 + (group == "neuron"))  # the boxes' numbers are among them
    assert min(heights) >= 12, sorted(heights)[:3]
    # the loss after the network is compact: at most 30% of the width (it was 45%)
    shown = nodes(ET.fromstring(svg))
    network = max(b[2] for title, g in shown.items() if title.startswith("g_layer") and (b := outline(g)))
    right = max(max(text_box(g)[1], (outline(g) or (0, 0, 0, 0))[2]) for g in shown.values())
    width = float(ET.fromstring(svg).get("width", "0").removesuffix("pt"))
    assert (right - network) / width <= 0.3


def test_a_drawing_too_wide_for_the_slide_says_how_to_zoom(slide: Browser) -> None:
    svg = run_dot(draw(sample_loss([16, 16, 1], 3)[0], group="layer"))
    assert min(number_heights(slide, svg)) < 12  # three samples' rows and the loss: too much for 1366 px
    assert ZOOM in " ".join(texts(ET.fromstring(svg)))


@pytest.mark.parametrize("bad", ["weights", "Neuron", 1, True])
def test_an_unknown_group_gets_one_line_naming_it_and_what_is_allowed(bad: object) -> None:
    loss, _, _ = sample_loss([4, 1], 1)
    with pytest.raises(ValueError) as caught:
        draw(loss, group=bad)  # type: ignore[arg-type]
    assert str(caught.value) == f"group must be one of 'neuron', 'layer' or None, got {bad!r}"


def test_a_group_on_a_graph_without_nn_parameters_gets_one_line() -> None:
    x, y = Value(2.0, "x"), Value(3.0, "y")
    with pytest.raises(ValueError) as caught:
        draw(x * y + 1.0, group="layer")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("group='layer' applies to graphs built by nn.Layer or nn.MLP")
    assert "'x', 'y'" in message and message.endswith("draw it with group=None")


def test_the_docs_example_draws_three_samples_rows() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "drawing.md").read_text(encoding="utf-8")
    section = text[text.index("## An MLP's loss, one box per neuron or per layer") :]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    scope: dict[str, object] = {}
    exec(compile("import autograd\n" + code[1], "docs/drawing.md", "exec"), scope)
    svg = ET.fromstring(run_dot(draw(scope["loss"], group="neuron", title="loss = …")))  # type: ignore[arg-type]
    box = texts(nodes(svg)["g_layer0.neuron0"])
    assert [box[k] for k in (5, 8, 11)] == ["sample 1", "sample 2", "sample 3"]
    assert "∂loss/∂out" in box


def test_the_docs_picture_is_what_draw_makes_of_the_docs_example() -> None:
    """docs/images/mlp_neuron.dot and .svg come from `make readme-image` (tools/readme_image.py)."""
    images = Path(__file__).resolve().parents[2] / "docs" / "images"
    script = images.parents[1] / "tools" / "readme_image.py"
    spec = importlib.util.spec_from_file_location("readme_image", script)
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    committed = (images / "mlp_neuron.dot").read_text(encoding="utf-8")
    assert tool.mlp_drawing().source == committed, "mlp_neuron.dot is stale: run `make readme-image`"
    box = texts(nodes(ET.fromstring((images / "mlp_neuron.svg").read_bytes()))["g_layer1.neuron0"])
    assert box[:2] == ["layer1 · neuron0", "linear · 5 parameters"] and "sample 3" in box
