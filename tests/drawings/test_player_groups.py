"""The lecture player for a network, save_html(loss, group=…): one step per neuron, in real Chromium."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from graphs import lecture_sigmoid
from players import go_to, position, visible_texts

from autograd import Value, save_html
from autograd.views.graph_view import GraphView
from autograd.views.numbers import format_value
from nn import MLP


def small_loss() -> tuple[Value, list[Value]]:
    """(mlp(x) − 1)² for a 2-2-1 tanh network, and the two hidden neurons' outputs."""
    model = MLP(2, [2, 1], activation="tanh", seed=0)
    hidden = model.layers[0].forward([Value(0.5, "x0"), Value(-1.0, "x1")])
    out = model.layers[1].forward(hidden)[0]
    return (out - 1.0) ** 2, hidden


def box_texts(page: Any, box: str) -> list[str]:
    """The visible texts of one box of the grouped drawing."""
    found: list[str] = page.eval_on_selector_all(
        f"[id='{box}'] text",
        "ts => ts.filter(t => getComputedStyle(t).visibility !== 'hidden').map(t => t.textContent)",
    )
    return found


def loss_over(samples: int) -> Value:
    model = MLP(2, [4, 1], seed=0)
    total: Value | None = None
    for s in range(samples):
        out = model([Value(0.3 * (s + 1) - 0.5 * i, f"x{s}_{i}") for i in range(2)])
        assert isinstance(out, Value)
        term = (out - float(s % 2)) ** 2
        total = term if total is None else total + term
    assert total is not None
    return total


def test_a_network_steps_neuron_by_neuron_and_shows_nothing_before_its_time(
    tmp_path: Path, open_page: Any
) -> None:
    loss, hidden = small_loss()
    grads = GraphView(loss).grads
    page = open_page(save_html(loss, tmp_path / "net.html", group="neuron", title="loss = (mlp(x) − 1)²"))
    # three boxes and the loss's two nodes: 5 forward steps, 5 backward
    assert page.inner_text("#position") == "step 0 of 10"
    first, second = (format_value(h.data, 4) for h in hidden)
    one, two = "g_layer0.neuron0", "g_layer0.neuron1"
    assert first not in box_texts(page, one) and box_texts(page, one).count("?") == 2  # out and ∂loss/∂out
    page.keyboard.press("PageDown")
    assert page.inner_text("#caption") == f"Forward pass, step 1 of 5: layer0 · neuron0 (tanh): out = {first}"
    assert "g_layer0.neuron0" in page.eval_on_selector_all("svg .current", "gs => gs.map(g => g.id)")
    assert first in box_texts(page, one) and second not in box_texts(page, two)
    assert "out" in box_texts(page, one)  # the column heads stay
    assert page.locator("#table tr.current td").first.inner_text() == "layer0 · neuron0"
    go_to(page, 6)  # backward step 1: the loss's last node
    assert page.inner_text("#caption").startswith("Backward pass, step 1 of 5: h16, ∂loss/∂h16 = 1")
    assert format_value(grads[hidden[0]], 4) not in box_texts(page, one)
    page.keyboard.press("End")
    texts = visible_texts(page)
    for h, box in zip(hidden, (one, two)):  # every box's value and gradient, as backward() computes them
        assert [format_value(h.data, 4), format_value(grads[h], 4)] == box_texts(page, box)[-2:]
    x0 = next(n for n in GraphView(loss).order if n.label == "x0")
    assert f"∂loss/∂x0 = {format_value(grads[x0], 4)}" in texts
    assert page.inner_text("#caption").startswith("Backward pass, step 5 of 5: layer0 · neuron0 (tanh) gets")
    titles = page.eval_on_selector_all("svg g.node > title", "ts => ts.map(t => t.textContent)")
    assert "layer0 · neuron1 (tanh, 3 parameters)" in titles
    edges = page.eval_on_selector_all("svg g.edge > title", "ts => ts.map(t => t.textContent)")
    assert "x0 → layer0 · neuron1" in edges and "layer0 · neuron1 → layer1 · neuron0" in edges
    assert not [t for t in edges if "->" in t or "g_" in t]  # never Graphviz's own ids


@pytest.mark.parametrize("group", ["neuron", "layer"])
def test_a_loss_over_three_samples_keeps_its_rows_short_and_the_current_one_in_view(
    tmp_path: Path, open_page: Any, group: str
) -> None:
    f = loss_over(3)
    page = open_page(save_html(f, tmp_path / "net.html", group=group, max_nodes=10_000), 1024, 768)
    last = int(page.get_attribute("#slider", "max") or 0)
    line = float(page.eval_on_selector("#table td", "td => parseFloat(getComputedStyle(td).lineHeight)"))
    for p in range(1, last + 1):
        go_to(page, p)
        row = page.locator("#table tr.current").bounding_box()
        caption = page.locator("#caption").bounding_box()
        assert row is not None and caption is not None and position(page) == p
        assert row["y"] >= 0 and row["y"] + row["height"] <= 768 and caption["y"] + caption["height"] <= 768
        assert (
            row["height"] - 6
        ) / line <= 2.05  # one line (two for a layer's twelve numbers), not three to five
    assert "sample 3" in visible_texts(page)


def test_group_must_apply(tmp_path: Path) -> None:
    f, *_ = lecture_sigmoid()
    with pytest.raises(ValueError, match="group='neuron' applies to graphs built by nn.Layer or nn.MLP"):
        save_html(f, tmp_path / "a.html", group="neuron")
    with pytest.raises(ValueError, match="group must be 'neuron', 'layer' or None, got 'box'"):
        save_html(f, tmp_path / "a.html", group="box")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_steps_and_the_table_name_only_what_the_picture_shows(
    tmp_path: Path, open_page: Any, lang: str
) -> None:
    page = open_page(save_html(loss_over(3), tmp_path / "net.html", group="neuron", lang=lang), 1366, 768)
    drawn = set(page.eval_on_selector_all("svg g.node > title", "ts => ts.map(t => t.textContent)"))
    said = page.inner_text("#table")
    for p in range(int(page.get_attribute("#slider", "max") or 0) + 1):
        go_to(page, p)
        said += "\n" + page.inner_text("#caption")
    named = set(re.findall(r"(?<![\w.])h\d+(?![\w.])", said))
    assert named and named <= drawn, sorted(named - drawn)  # no h28 hidden inside a box
    assert "layer1\u00a0·\u00a0neuron0\u00a0out₂ + (−1)" in said  # sample 2's row of the box, its out column
    cell = page.locator("#table tbody tr:first-child td:nth-child(3)")  # "3 parameters", "3 个参数"
    line = float(cell.evaluate("td => parseFloat(getComputedStyle(td).lineHeight)"))
    box = cell.bounding_box()
    assert box is not None and box["height"] <= 2 * line + 8, (cell.inner_text(), box)  # not a glyph a line
