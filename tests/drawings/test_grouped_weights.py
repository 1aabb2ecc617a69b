"""draw(group="neuron", show_weights=True) and grouped drawings in Chinese, rendered by the real `dot`."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from test_grouped_layout import SVG, assert_apart, nodes, run_dot, sample_loss, texts

from autograd import Value, draw
from autograd.views.numbers import format_value

#: English words a grouped drawing writes; a Chinese drawing has none of them.
ENGLISH = re.compile(
    r"\b(parameters?|samples?|operations?|constants?|values?|box|network|zoom|neurons?|linear|weights?|bias"
    r"|edges?|label|colour|inputs?)\b"
)


def parameters(loss: Value) -> dict[str, Value]:
    """The graph's parameters by label ("layer0.neuron3.w1")."""
    found, stack, seen = {}, [loss], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node.is_leaf and node.label.startswith("layer"):
            found[node.label] = node
        stack.extend(node.parents)
    return found


def hue(colour: str) -> str:
    """ "green", "purple" or "grey": the family of an edge's colour ("#1b7837" → "green")."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "grey" if r == g == b else "green" if g > r else "purple"


def hue_of(w: float) -> str:
    return "green" if w > 0 else "purple" if w < 0 else "grey"


def legend_of(svg: ET.Element) -> list[str]:
    """The drawing's heading: the texts of the graph itself, not of its nodes and edges."""
    graph = next(g for g in svg.iter(f"{SVG}g") if g.get("class") == "graph")
    return ["".join(t.itertext()).strip() for t in graph.findall(f"{SVG}text")]


@pytest.mark.parametrize(("widths", "n"), [([4, 1], 1), ([4, 1], 3), ([3, 3, 1], 3), ([16, 16, 1], 1)])
def test_each_edge_into_a_neuron_carries_its_weight_and_the_gradient_backward_gives(
    widths: list[int], n: int
) -> None:
    loss, _, _ = sample_loss(widths, n)
    loss.backward()  # the oracle: the engine's own ∂loss/∂w
    params = parameters(loss)
    svg = ET.fromstring(run_dot(draw(loss, group="neuron", show_weights=True)))
    assert_apart(svg, len(widths))
    titles = {g.get("id", ""): texts(g) for g in nodes(svg).values()}
    seen: dict[str, list[tuple[float, float]]] = {}
    shares: dict[str, list[float]] = {}
    for edge in (g for g in svg.iter(f"{SVG}g") if g.get("class") == "edge"):
        match = re.fullmatch(r"e_(.+?)__g_(layer(\d+)\.neuron\d+)__\d+", edge.get("id", ""))
        if match is None:
            continue
        src, neuron, layer = match[1], match[2], int(match[3])
        name = titles[src][0]  # an input's label ("x0_1") or a box's "layer0 · neuron2"
        index = name.rsplit("_", 1)[1] if layer == 0 else name.rsplit("neuron", 1)[1]
        w = params[f"{neuron}.w{index}"]
        path = edge.find(f"{SVG}path")
        assert path is not None
        assert hue(path.get("stroke", "")) == hue_of(w.data), (w.label, path.get("stroke"))
        seen.setdefault(f"layer{layer}", []).append((abs(w.data), float(path.get("stroke-width", "1"))))
        said = texts(edge)
        if said:  # labelled while the edges into the layer are few: w, and this sample's share of ∂loss/∂w
            assert said[0] == f"w = {format_value(w.data, 4)}", w.label
            shares.setdefault(w.label, []).append(float(said[1].replace("−", "-")))
    assert sorted(seen) == [f"layer{i}" for i in range(len(widths))]
    assert shares or widths[0] == 16  # some edges are labelled, but in a 16 × 16 mesh
    for label, parts in shares.items():  # a weight's edges add up to ∂loss/∂w
        # one edge per sample from the inputs (each sample has its own); one between two boxes
        assert len(parts) == (n if label.startswith("layer0") else 1), label
        assert sum(parts) == pytest.approx(params[label].grad, rel=1e-3, abs=1e-4), label
    sizes = [2, *widths]
    for layer, pairs in seen.items():
        i = int(layer.removeprefix("layer"))
        # every weight has its edge: one per sample from the inputs, one from each box before
        assert len(pairs) == sizes[i] * widths[i] * (n if i == 0 else 1), layer
        widths_by_size = [width for _, width in sorted(pairs)]
        assert widths_by_size == sorted(widths_by_size), layer  # thicker for a larger |w|
    for key, p in params.items():
        if key.endswith(".b"):
            box = " ".join(titles[f"g_{key.removesuffix('.b')}"])
            assert f"b = {format_value(p.data, 4)}" in box and f"∂loss/∂b = {format_value(p.grad, 4)}" in box
    legend = " ".join(legend_of(svg))
    assert "each edge into a neuron carries instead its weight w (green > 0, purple < 0, grey = 0" in legend
    assert "below it ∂loss/∂w" in legend and "a box's last row is its bias b and ∂loss/∂b" in legend
    assert ("from an input, an edge per sample carries that sample's share of ∂loss/∂w" in legend) == (n > 1)
    if widths[0] == 16:
        quiet = re.search(
            r"the edges into ([^:]*) are too many to label: colour and width show the weight", legend
        )
        assert quiet is not None and "layer1" in quiet[1]


def test_show_weights_needs_the_neuron_drawing() -> None:
    loss, _, _ = sample_loss([3, 1], 1)
    for group in (None, "layer"):
        with pytest.raises(
            ValueError, match=rf"show_weights=True .* needs group='neuron', got group={group!r}"
        ):
            draw(loss, group=group, show_weights=True)
    with pytest.raises(TypeError, match=r"show_weights must be True or False, got str 'yes'"):
        draw(loss, group="neuron", show_weights="yes")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("widths", "n", "group", "weights"),
    [([4, 1], 3, "neuron", False), ([4, 1], 3, "layer", False), ([3, 3, 1], 8, "neuron", True)],
)
def test_a_chinese_drawing_says_every_word_in_chinese(
    widths: list[int], n: int, group: str, weights: bool
) -> None:
    loss, _, _ = sample_loss(widths, n)
    svg = ET.fromstring(run_dot(draw(loss, group=group, lang="zh", show_weights=weights)))
    assert_apart(svg, len(widths))  # boxes sized by their Chinese text do not overlap
    words = [t for t in texts(svg) if t]
    english = [t for t in words if ENGLISH.search(t)]
    assert english == []
    every = " ".join(words)
    for term in ("上：值（前向传播）", "样本 1", "个参数" if not weights else "偏置 b", "屏幕上太小"):
        assert term in every, term
    if n == 8:  # the loss after 8 samples is one box, with its targets
        assert "个运算" in every and "常数：" in every
    if group == "layer":
        assert "每层一个方框，每个神经元、每个样本各一行" in every
    english_drawing = " ".join(texts(ET.fromstring(run_dot(draw(loss, group=group, show_weights=weights)))))
    assert "sample 1" in english_drawing and "样本" not in english_drawing


def test_a_weight_of_zero_is_grey_and_without_gradients_the_legend_promises_none() -> None:
    loss, _, _ = sample_loss([3, 1], 2)
    params = parameters(loss)
    params["layer0.neuron1.w0"].data = 0.0  # the graph keeps its values: only the drawing's colour changes
    svg = ET.fromstring(run_dot(draw(loss, group="neuron", show_weights=True, show_grads=False)))
    strokes = {
        g.get("id", ""): hue(path.get("stroke", ""))
        for g in svg.iter(f"{SVG}g")
        if g.get("class") == "edge" and "__g_layer0.neuron1__" in g.get("id", "")
        for path in g.findall(f"{SVG}path")
    }
    edge_texts = [texts(g) for g in svg.iter(f"{SVG}g") if g.get("class") == "edge"]
    assert sorted(strokes.values()).count("grey") == 2  # w0 from each sample's x0
    assert all(len(said) <= 1 for said in edge_texts)  # w, no gradient under it
    legend = " ".join(legend_of(svg))
    assert "∂loss/∂w" not in legend and "∂loss/∂b" not in legend and "share" not in legend
    assert "a box's last row is its bias b" in legend


def test_a_penalty_on_the_weights_stays_out_of_the_boxes_and_every_part_of_the_gradient_is_drawn() -> None:
    import nn

    loss, _, _ = sample_loss([3, 1], 2)
    params = parameters(loss)
    total = loss + 0.1 * nn.losses.l2(params.values()) + 0.01 * nn.losses.l1(params.values())
    total.backward()
    svg = ET.fromstring(run_dot(draw(total, group="neuron", show_weights=True)))
    boxes = {
        k: t for k, t in ((g.get("id", ""), texts(g)) for g in nodes(svg).values()) if k.startswith("g_layer")
    }
    for key, said in boxes.items():
        assert sum(t.startswith("sample ") for t in said) == 2, key  # its two samples' rows, no w² rows
    # the penalty's part of ∂f/∂w is not on the weights' edges into the neurons: the legend says so,
    # in words a student can read (no "the loss" left in English in a Chinese drawing)
    legend = " ".join(legend_of(svg))
    assert "their edges carry only the products' part of ∂f/∂w" in legend
    zh = " ".join(
        legend_of(ET.fromstring(run_dot(draw(total, group="neuron", show_weights=True, lang="zh"))))
    )
    assert "边上只是乘积那部分的 ∂f/∂w" in zh and not ENGLISH.search(zh) and "the loss" not in zh
    for key in ("layer0.neuron0.b", "layer1.neuron0.b"):
        box = " ".join(boxes[f"g_{key.removesuffix('.b')}"])
        assert f"∂f/∂b = {format_value(params[key].grad, 4)}" in box  # the penalty's part included


@pytest.mark.parametrize("case", ["sigmoid", "cross-entropy"])
def test_other_networks_get_their_weights_drawn(case: str) -> None:
    import nn

    x = [Value(0.5, "x0"), Value(-1.0, "x1")]
    if case == "sigmoid":
        model = nn.MLP(2, [3, 1], seed=1, activation="sigmoid")
        loss = (model(x) - 1.0) ** 2
    else:
        model = nn.MLP(2, [4, 3], seed=0)
        loss = nn.cross_entropy([model(x)], [2])
    loss.backward()
    svg = ET.fromstring(run_dot(draw(loss, group="neuron", show_weights=True)))
    assert_apart(svg, 2)
    labelled = [texts(g) for g in svg.iter(f"{SVG}g") if g.get("class") == "edge" and texts(g)[:1] != []]
    weights = {t[0] for t in labelled if t[0].startswith("w = ")}
    every = [p for p in parameters(loss).values() if not p.label.endswith(".b")]
    assert weights == {f"w = {format_value(w.data, 4)}" for w in every}


def test_a_lone_layer_fed_plain_numbers_has_no_weight_to_draw_and_says_so() -> None:
    import nn

    layer = nn.Layer(2, 3, "tanh", seed=0)
    outs = layer([0.5, -1.0])
    with pytest.raises(
        ValueError, match=r"show_weights=True .* this graph has none: its inputs are plain numbers"
    ):
        draw(outs[0] + outs[1] + outs[2], group="neuron", show_weights=True)
