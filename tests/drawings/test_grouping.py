"""draw(group="neuron" | "layer"): an MLP's graph, one box per neuron or layer, rendered by the real `dot`."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from graphs import lecture_sigmoid

from autograd import Value, draw, render, zero_grad
from autograd.drawings.grouping import find_groups, find_samples
from autograd.views.graph_view import GraphView
from autograd.views.numbers import format_value
from nn import MLP, Layer

SVG = "{http://www.w3.org/2000/svg}"

# nodes of one neuron with n inputs: n products, n additions (b + w₀x₀ + …), then its activation
ACTIVATION_NODES = {"relu": 1, "tanh": 1, "sigmoid": 4, "linear": 0}


def network(nin: int, widths: list[int], activation: str, seed: int = 0) -> tuple[Value, list[list[Value]]]:
    """A loss (Σ outputs − 1)² over an MLP, and every layer's outputs (the values that cross boundaries)."""
    model = MLP(nin, widths, activation=activation, seed=seed)
    xs: list[Value] = [Value(0.5 - 0.7 * i, f"x{i}") for i in range(nin)]
    outputs: list[list[Value]] = []
    values = xs
    for layer in model.layers:
        values = layer.forward(values)
        outputs.append(values)
    total = values[0]
    for v in values[1:]:
        total = total + v
    return (total - 1.0) ** 2, outputs


def svg_texts(path: Path) -> dict[str, list[str]]:
    """The texts of every node group of an SVG, by the group's id."""
    root = ET.fromstring(path.read_bytes())
    return {
        g.get("id", ""): ["".join(t.itertext()).strip() for t in g.iter(f"{SVG}text")]
        for g in root.iter(f"{SVG}g")
        if g.get("class") == "node"
    }


@pytest.mark.parametrize(
    ("nin", "widths", "activation"),
    [(2, [16, 16, 1], "relu"), (3, [4, 4, 1], "tanh"), (2, [3, 2], "sigmoid"), (1, [2, 2, 2, 1], "tanh")],
)
def test_every_neuron_gets_its_own_nodes(nin: int, widths: list[int], activation: str) -> None:
    loss, outputs = network(nin, widths, activation)
    group_of, groups = find_groups(GraphView(loss), "neuron")
    assert list(groups) == [f"layer{i}.neuron{j}" for i, w in enumerate(widths) for j in range(w)]
    sizes = [nin, *widths]
    for i, width in enumerate(widths):
        act = activation if i < len(widths) - 1 else "linear"
        for j in range(width):
            group = groups[f"layer{i}.neuron{j}"]
            assert len(group.nodes) == 2 * sizes[i] + ACTIVATION_NODES[act]
            assert len(group.parameters) == sizes[i] + 1
            assert group.activations == {f"neuron{j}": act}
            assert group.outputs == [(f"neuron{j}", outputs[i][j])]  # the neuron's output leaves its box
    assert loss not in group_of  # the loss is not part of any neuron


def test_sigmoid_neurons_on_both_sides_of_zero() -> None:
    """σ(z) is built from 4 nodes either way: 1/(exp(−z) + 1) for z ≥ 0, exp(z) · 1/(exp(z) + 1) for z < 0."""
    layer = Layer(1, 2, "sigmoid", seed=0)
    layer.neurons[0].w[0].data, layer.neurons[1].w[0].data = 2.0, -2.0
    a, b = layer.forward([Value(1.0, "x")])
    f = a * b
    assert (a.op, b.op) == ("reciprocal", "mul")  # the two branches
    _, groups = find_groups(GraphView(f), "neuron")
    assert [len(g.nodes) for g in groups.values()] == [6, 6]
    assert [g.outputs[0][1] for g in groups.values()] == [a, b]


@pytest.mark.parametrize(("nin", "widths", "activation"), [(2, [16, 16, 1], "relu"), (2, [3, 2], "sigmoid")])
def test_boxes_show_the_engines_values_and_gradients(
    tmp_path: Path, nin: int, widths: list[int], activation: str
) -> None:
    loss, outputs = network(nin, widths, activation)
    zero_grad(loss)
    loss.backward()
    neurons = svg_texts(render(loss, tmp_path / "n.svg", group="neuron"))
    layers = svg_texts(render(loss, tmp_path / "l.svg", group="layer"))
    for i, values in enumerate(outputs):
        layer_box = layers[f"g_layer{i}"]
        assert layer_box[0] == f"layer{i}"
        assert layer_box[2:5] == ["neuron", "out", "∂f/∂out"]  # the columns' names, then a row per neuron
        for j, v in enumerate(values):
            shown = [format_value(v.data, 4), format_value(v.grad, 4)]
            assert neurons[f"g_layer{i}.neuron{j}"][0] == f"layer{i} · neuron{j}"
            assert neurons[f"g_layer{i}.neuron{j}"][2:] == ["out", "∂f/∂out", *shown]
            row = layer_box.index(f"neuron{j}")
            assert layer_box[row + 1 : row + 3] == shown
    for i in range(nin):
        x = next(box for box in neurons.values() if box[0] == f"x{i}")
        assert x[1:] == [
            f"= {format_value(0.5 - 0.7 * i, 4)}",
            f"∂f/∂x{i} = {format_value(x_grad(loss, i), 4)}",
        ]


def x_grad(loss: Value, i: int) -> float:
    return next(n for n in GraphView(loss).order if n.label == f"x{i}").grad


def test_a_2_16_16_1_network_fits_one_slide(tmp_path: Path) -> None:
    """Scaled to a 1920 × 1080 slide, the smallest text of the neuron drawing is still ≥ 6.5 px."""
    loss, _ = network(2, [16, 16, 1], "relu")
    assert len(GraphView(loss)) > 300  # too large for the ungrouped drawing
    with pytest.raises(ValueError, match="group it"):
        draw(loss)
    for group in ("neuron", "layer"):
        svg = render(loss, tmp_path / f"{group}.svg", group=group, title="loss = (mlp(x) − 1)²")
        root = ET.fromstring(svg.read_bytes())
        width, height = (float(root.get(k, "0").removesuffix("pt")) for k in ("width", "height"))
        fit = min(1920 / (width * 4 / 3), 1080 / (height * 4 / 3))  # pt → px, then onto the slide
        smallest = min(float(t.get("font-size", "14")) for t in root.iter(f"{SVG}text")) * 4 / 3
        assert smallest * min(fit, 1.0) >= 6.5, (group, width, height)
    assert (
        render(loss, tmp_path / "big.png", group="neuron", dpi=150, scale=1.5).read_bytes()[:4] == b"\x89PNG"
    )


def test_small_networks_write_their_numbers_on_the_edges(tmp_path: Path) -> None:
    loss, outputs = network(2, [2, 1], "tanh")
    zero_grad(loss)
    loss.backward()
    source = draw(loss, group="neuron").source
    a = outputs[0][0]
    # the edge from layer0.neuron0 into layer1.neuron0 carries a's value and a's gradient (its only use)
    edge = next(
        line for line in source.splitlines() if re.search(r'"?g_layer0\.neuron0"? -> "?g_layer1', line)
    )
    assert format_value(a.data, 4) in edge and format_value(a.grad, 4) in edge


def test_a_group_that_does_not_apply_is_refused() -> None:
    f, *_ = lecture_sigmoid()
    with pytest.raises(
        ValueError, match=r"group='neuron' applies to graphs built by nn.Layer or nn.MLP.*'x'"
    ):
        draw(f, group="neuron")
    a, b = Layer(2, 2, seed=0).forward([1.0, 2.0])
    with pytest.raises(
        ValueError, match=r"labelled like 'neuron0\.\w+' \(one nn.Layer\): use group='neuron'"
    ):
        draw(a + b, group="layer")
    assert "neuron1" in draw(a + b, group="neuron").source
    loss, _ = network(2, [2, 1], "relu")
    with pytest.raises(ValueError, match="group must be one of 'neuron', 'layer' or None, got 'weights'"):
        draw(loss, group="weights")
    with pytest.raises(ValueError, match="step, forward_step, show_local and highlight apply only"):
        draw(loss, group="layer", step=1)


def test_samples_are_told_apart_in_the_order_the_loss_uses_them() -> None:
    model = MLP(2, [3, 1], seed=0)
    first, second = (model([Value(a, f"x{a}"), Value(-a, f"y{a}")]) for a in (1.0, 2.0))
    loss = (second - 1.0) ** 2 + (first - 1.0) ** 2  # the loss reads the second evaluation first
    view = GraphView(loss)
    group_of, groups = find_groups(view, "neuron")
    sample = find_samples(view, group_of, groups)
    assert sample[second] == 1 and sample[first] == 2
    feeds_second = set(GraphView(second).order)
    for j in range(3):
        rows = {sample[node]: node for _, node in groups[f"layer0.neuron{j}"].outputs}
        assert sorted(rows) == [1, 2]  # one row each
        assert rows[1] in feeds_second and rows[2] not in feeds_second


def test_a_lone_layer_fed_plain_numbers_counts_each_neurons_evaluations() -> None:
    """Plain numbers become fresh constants: nothing connects a sample's neurons, so order decides."""
    layer = Layer(2, 2, "tanh", seed=0)
    rows = [layer([0.5 * s, -1.0]) for s in range(3)]
    total = sum(o for row in rows for o in row)
    view = GraphView(total)
    group_of, groups = find_groups(view, "neuron")
    sample = find_samples(view, group_of, groups)
    assert [sample[o] for row in rows for o in row] == [1, 1, 2, 2, 3, 3]
