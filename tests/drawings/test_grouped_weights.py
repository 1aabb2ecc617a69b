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
    r"\b(parameters?|samples?|operations?|constants?|values?|box|network|zoom|neurons?|linear)\b"
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


def rgb(colour: str) -> tuple[int, int, int]:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return r, g, b


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
        r, g, _b = rgb(path.get("stroke", ""))
        assert (g > r) == (w.data > 0), (w.label, path.get("stroke"))  # green > 0, purple < 0
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
    for layer, pairs in seen.items():
        assert len(pairs) == n * 2 * widths[0] if layer == "layer0" else True
        widths_by_size = [width for _, width in sorted(pairs)]
        assert widths_by_size == sorted(widths_by_size), layer  # thicker for a larger |w|
    for key, p in params.items():
        if key.endswith(".b"):
            box = " ".join(titles[f"g_{key.removesuffix('.b')}"])
            assert f"b = {format_value(p.data, 4)}" in box and f"∂loss/∂b = {format_value(p.grad, 4)}" in box
    legend = " ".join(texts(svg.find(f"{SVG}g") or svg))
    assert "each edge into a neuron carries instead its weight w (green > 0, purple < 0, thicker" in legend
    assert ("that sample's share of ∂loss/∂w: a weight's edges add up to ∂loss/∂w" in legend) == (n > 1)
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
        assert "个运算" in every and "常数（目标值）" in every
    if group == "layer":
        assert "每个层一个方框，每个神经元和样本一行" in every
    english_drawing = " ".join(texts(ET.fromstring(run_dot(draw(loss, group=group, show_weights=weights)))))
    assert "sample 1" in english_drawing and "样本" not in english_drawing
