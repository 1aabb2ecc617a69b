"""fit(live=True): what it records, its plain-text fallback, its errors, and the page save_html writes."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import nn
from autograd import Value
from autograd.views.numbers import format_value
from nn.live import CLASS_FILL, MAX_FRAMES, NETWORK_BOXES, Live

ROOT = Path(__file__).resolve().parents[2]
RECT = r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="(#\w+)"/>'


def _moons_model() -> tuple[nn.MLP, object, object]:
    x, y = nn.data.moons(30, noise=0.1, seed=0)
    return nn.MLP(2, [4, 1], seed=0), x, 2 * y - 1


def test_recorded_epochs_hold_the_weights_and_gradients(capsys: pytest.CaptureFixture[str]) -> None:
    """Every stride-th epoch and the last are recorded, with the weights and .grad the callback sees."""
    model, x, y = _moons_model()
    seen: dict[int, tuple[dict[str, float], dict[str, float]]] = {}

    def watch(epoch: int, history: nn.History) -> None:
        seen[epoch] = (model.state_dict(), {n: p.grad for n, p in model.named_parameters()})

    epochs = 2 * MAX_FRAMES + 1  # a stride of 3: epochs 0, 3, …, up to 2·MAX_FRAMES − 1, then the last
    history = nn.fit(model, x, y, loss="hinge", epochs=epochs, live=True, callback=watch, progress=False)
    live = history.live
    assert isinstance(live, Live) and live.stride == 3
    assert [f.epoch for f in live.frames] == [*range(0, 2 * MAX_FRAMES, 3), 2 * MAX_FRAMES]
    for frame in live.frames:
        assert (frame.weights, frame.grads) == seen[frame.epoch]
    assert live.frames[-1].weights == model.state_dict()
    assert any(g != 0.0 for g in live.frames[0].grads.values())
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("fit(live=True) writes one line per epoch (not in a notebook)")
    assert len(lines) == 1 + epochs and lines[-1].startswith(f"epoch {epochs}/{epochs}: loss ")


def test_a_frame_draws_the_grouped_network_the_loss_curve_and_the_boundary() -> None:
    model, x, y = _moons_model()
    history = nn.fit(model, x, y, loss="hinge", epochs=4, live=True, progress=False)
    live = history.live
    assert live is not None
    before = model.state_dict()
    page = live.html(1)  # epoch 2, drawn from the weights recorded then
    assert model.state_dict() == before  # the model is put back as it was
    assert 'class="live-head" data-epoch="2"' in page and f'data-loss="{history.loss[1]!r}"' in page
    network = page[page.index('class="network"') : page.index("<figure")]
    assert "<svg" in network and "layer0 · neuron3" in network and "layer1 · neuron0" in network
    assert (
        "after epoch 2: on the edges each weight w and ∂L/∂w, L the loss of the epoch&#39;s last update"
        in network
    )
    # the drawn graph is sample 1's loss L₁: its values are drawn, none of its gradients (they are
    # not the update's), and the mouse names what it is over, never Graphviz's ids
    assert "∂L₁" not in network and "∂L/∂out" not in network and "∂L/∂x" not in network
    hovers = re.findall(r"<title>([^<]*)</title>", network)
    assert "x1" in hovers and "layer0 · neuron3 (relu, 3 parameters)" in hovers
    assert not [h for h in hovers if "->" in h or re.fullmatch(r"n\d+|g_.*|backproplab", h)]
    # the edge from input x1 into layer0's neuron 0 carries that neuron's w0 and the epoch's ∂L/∂w0,
    # in green (w > 0) or purple (w < 0), and its box the bias with ∂L/∂b
    frame = live.frames[1]
    for k in range(4):
        w, g = frame.weights[f"layer0.neuron{k}.w0"], frame.grads[f"layer0.neuron{k}.w0"]
        edge = re.search(rf'<g id="e_n\d+__g_layer0\.neuron{k}__0" class="edge">(.*?)</g>', network, re.S)
        assert edge is not None
        stroke = re.search(r'<path [^>]*stroke="#(..)(..)(..)"', edge.group(1))
        assert stroke is not None
        red, green = int(stroke.group(1), 16), int(stroke.group(2), 16)
        assert (green > red) == (w > 0), (w, stroke.group(0))
        said = re.findall(r">([^<]+)</text>", edge.group(1))
        assert said == [f"w = {format_value(w, 3)}", format_value(g, 3)]
        b, gb = frame.weights[f"layer0.neuron{k}.b"], frame.grads[f"layer0.neuron{k}.b"]
        assert f"b = {format_value(b, 3)}" in network and f"∂L/∂b = {format_value(gb, 3)}" in network
    curve = re.search(r'<polyline class="loss" points="([^"]*)"', page)
    assert curve is not None and len(curve.group(1).split()) == 2  # two epochs so far
    last = curve.group(1).split()[-1].split(",")  # a dot on the latest epoch's point
    assert f'<circle class="loss-now" cx="{last[0]}" cy="{last[1]}"' in page
    assert 'class="boundary"' in page and page.count("<circle cx=") == 30  # the samples on the regions
    key = re.findall(
        r'<span class="class-key"[^>]*><span style="[^"]*background:(#\w+);[^>]*></span> ([^<]*)<', page
    )
    assert key == [(CLASS_FILL[0], "output ≤ 0"), (CLASS_FILL[1], "output &gt; 0")]  # hinge: the sign
    # each sample sits on a region of the class the model gives it at epoch 2's weights
    rects = [(*map(float, r[:4]), r[4]) for r in re.findall(RECT, page)]
    model.load_state_dict(live.frames[1].weights)
    predicted = nn.reference.predict(model, x)[:, 0] > 0  # hinge: the class is the sign
    circles = [(float(cx), float(cy)) for cx, cy in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)"', page)]
    on_own = 0
    for (cx, cy), positive in zip(circles, predicted, strict=True):
        (fill,) = [f for rx, ry, rw, rh, f in rects if rx <= cx < rx + rw - 0.5 and ry <= cy < ry + rh - 0.5]
        on_own += fill == CLASS_FILL[int(positive)]
    assert on_own >= 27 and len({f for *_, f in rects}) == 2  # a cell's centre may fall across the line
    model.load_state_dict(before)
    assert page.count('<td title="layer0.neuron') == 4 * 3 and '<td title="layer1.neuron0.b = ' in page
    w = live.frames[1].weights["layer0.neuron0.w0"]
    assert f"layer0.neuron0.w0 = {format_value(w)}" in page


def test_a_large_network_is_not_drawn_and_says_so() -> None:
    x, y = nn.data.moons(10, seed=0)
    model = nn.MLP(2, [24, 24, 1], seed=0)  # 49 neurons: more than NETWORK_BOXES
    history = nn.fit(model, x, 2 * y - 1, loss="hinge", epochs=1, live=True, progress=False)
    assert history.live is not None and history.live.boxes == 49 > NETWORK_BOXES
    page = history.live.html(0)
    assert f"The network has 49 neurons; the live view draws it up to {NETWORK_BOXES}, so read the" in page
    network = page[page.index('class="network"') : page.index("<figure")]
    assert "<svg" not in network
    # 24 × 25 weights in layer 1: colours with the numbers on hover, not written in the cells
    cell = re.search(r'<td title="layer1\.neuron23\.b = [^"]*" style="([^"]*)">(.*?)</td>', page)
    assert cell is not None and cell.group(1).startswith("background:#") and cell.group(2) == ""


def test_a_2_16_16_1_network_is_drawn_one_box_per_neuron() -> None:
    x, y = nn.data.moons(10, seed=0)
    model = nn.MLP(2, [16, 16, 1], seed=0)  # 33 neurons
    history = nn.fit(model, x, 2 * y - 1, loss="hinge", epochs=1, live=True, progress=False)
    assert history.live is not None and history.live.boxes == 33 <= NETWORK_BOXES
    network = (page := history.live.html(0))[page.index('class="network"') : page.index("<figure")]
    assert "<svg" in network and all(f"layer1 · neuron{k}<" in network for k in range(16))


def test_bad_live_arguments_and_ungroupable_models_get_one_clear_error() -> None:
    model, x, y = _moons_model()
    before = model.state_dict()
    for bad in ("yes", 1, None):
        with pytest.raises(TypeError, match=r"live must be True or False, got "):
            nn.fit(model, x, y, loss="hinge", epochs=1, live=bad)  # type: ignore[arg-type]
    neuron = nn.Neuron(2, seed=0)  # labels w0, w1, b: no neuron in them to make a box of
    with pytest.raises(ValueError, match=r"live=True draws the network one box per neuron.*'w0', 'w1', 'b'"):
        nn.fit(neuron, x, y, loss="hinge", epochs=1, live=True)
    assert model.state_dict() == before and all(p.grad == 0.0 for p in model.parameters())
    history = nn.fit(model, x, y, loss="hinge", epochs=1, progress=False)
    with pytest.raises(ValueError, match=r"no recorded epochs: train with nn.fit\(\.\.\., live=True\)"):
        history.save_html("x.html")


def test_a_lone_layer_and_validation_curves_work_too(capsys: pytest.CaptureFixture[str]) -> None:
    x, y = nn.data.blobs(24, 3, seed=0)
    layer = nn.Layer(2, 3, "linear", seed=0)  # labels neuron0.w0 …: one box per neuron, three classes
    history = nn.fit(
        layer, x, y, loss="cross_entropy", epochs=2, live=True, validation=(x[:6], y[:6]), progress=False
    )
    assert history.live is not None
    page = history.live.html(1)
    assert 'class="boundary"' in page and '<polyline class="val_loss"' in page
    assert len(set(re.findall(r'<circle cx=[^>]*fill="(#\w+)"', page))) == 3  # three classes of samples
    assert f"val_loss {format_value(history.val_loss[1], 6)}" in page
    lines = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"epoch 2/2: loss \S+, accuracy \d+%, val_loss \S+, val_accuracy \d+%", lines[-1])


def test_without_ipywidgets_a_script_prints_one_line_per_epoch(tmp_path: Path) -> None:
    """A fresh interpreter that cannot import ipywidgets (a sitecustomize blocks it) falls back to text."""
    (tmp_path / "sitecustomize.py").write_text("import sys\nsys.modules['ipywidgets'] = None\n")
    script = (
        "import nn\n"
        "x, y = nn.data.moons(30, noise=0.1, seed=0)\n"
        "h = nn.fit(nn.MLP(2, [4, 1], seed=0), x, 2 * y - 1, loss='hinge', epochs=3, live=True)\n"
        "print(repr(h.loss))\n"
        "import ipywidgets\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    command = [sys.executable, "-c", script]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert "import of ipywidgets halted" in done.stderr  # the block worked
    lines = done.stdout.splitlines()
    assert lines[0].startswith("fit(live=True) writes one line per epoch (not in a notebook)")
    losses = ast.literal_eval(lines[4])  # the History's own numbers
    for k in range(3):
        match = re.fullmatch(rf"epoch {k + 1}/3: loss (\S+), accuracy (\d+)%", lines[1 + k])
        assert match is not None
        assert float(match.group(1)) == pytest.approx(losses[k], rel=1e-5)
    assert len(lines) == 5  # no progress bar either


def test_the_model_can_be_any_labelled_module() -> None:
    """A custom Module whose parameters nn would label the same way is grouped like an MLP."""

    class Pair(nn.Module):
        def __init__(self) -> None:
            self.inner = nn.Layer(2, 2, "tanh", seed=1)
            self.nin = 2

        def named_parameters(self):  # type: ignore[no-untyped-def]
            return self.inner.named_parameters()

        def __call__(self, x: object) -> Value:
            a, b = self.inner(x)  # type: ignore[arg-type]
            return a + b

    x, y = nn.data.moons(12, seed=0)
    history = nn.fit(Pair(), x, 2 * y - 1, loss="hinge", epochs=1, live=True, progress=False)
    assert history.live is not None and 'class="boundary"' in history.live.html(0)


def test_the_docs_state_the_live_views_limits() -> None:
    """docs/nn.md's numbers are the ones the code uses."""
    from nn.live_page import WEIGHT_CELLS, WEIGHT_NUMBERS

    docs = " ".join((ROOT / "docs" / "nn.md").read_text(encoding="utf-8").split())
    assert f"Past {MAX_FRAMES} epochs every k-th epoch is recorded" in docs
    assert f"the network is drawn while it has at most {NETWORK_BOXES} neurons" in docs
    assert f"up to {WEIGHT_NUMBERS} of them, as colours (numbers on hover) up to {WEIGHT_CELLS:,}" in docs


def test_a_diverging_run_still_says_it_diverged(capsys: pytest.CaptureFixture[str]) -> None:
    """live=True shows the epochs up to the blow-up, then fit's own FloatingPointError comes through."""
    model = nn.Layer(1, 1, "linear", seed=0)
    with pytest.raises(FloatingPointError, match=r"training diverged in epoch \d+: .*smaller learning rate"):
        nn.fit(model, [[10.0]], [1.0], optimizer=nn.SGD(model.parameters(), lr=1.5), epochs=1000, live=True)
    assert capsys.readouterr().out.splitlines()[1].startswith("epoch 1/1000: loss ")
