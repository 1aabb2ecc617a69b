"""draw() and render(): pictures made by the real `dot`, checked by the text inside the SVG."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from graphs import coloured, lecture_sigmoid, render_svg

from autograd import GraphvizNotFoundError, Value, draw, render
from autograd.drawings.look import GRAD_COLOUR, HIGHLIGHT, LOCAL_COLOUR, VALUE_COLOUR


def test_svg_of_worked_example_1_shows_every_value_and_gradient(tmp_path: Path) -> None:
    """The numbers on the edges, worked out by hand from §1.

    Values (blue) along the edges: w→h1 0, x→h1 1, h1→h2 0, b→h2 0, h2→h3 0, h3→h4 0,
    h4→h5 1, 1→h5 1, h5→h6 2, and the output 0.5.
    Gradients (red), ∂f/∂child · ∂child/∂parent: w→h1 0.25·x = 0.25, x→h1 0.25·w = 0,
    h1→h2 0.25, b→h2 0.25, h2→h3 (−0.25)(−1) = 0.25, h3→h4 −0.25·1, h4→h5 −0.25,
    h5→h6 1·(−0.25), the output 1; the constant's edge carries no red number.
    """
    f, *_ = lecture_sigmoid()
    texts = render_svg(f, tmp_path, title="the lecture's sigmoid")
    blue = coloured(texts, VALUE_COLOUR)
    red = coloured(texts, GRAD_COLOUR)
    blue.pop("top: value (forward)")  # the legend
    red.pop("below: ∂f/∂input along the edge (backward)")
    assert blue == Counter({"0": 5, "1": 3, "2": 1, "0.5": 1, "= 0": 2, "= 1": 1})
    leaves = {t for t in red if t.startswith("∂f/∂")}
    assert leaves == {"∂f/∂w = 0.25", "∂f/∂x = 0", "∂f/∂b = 0.25"}
    for t in leaves:
        del red[t]
    assert red == Counter({"0.25": 4, "0": 1, "−0.25": 4, "1": 1})
    plain = {text for text, fill in texts if fill in ("", "#000000", "black")}
    assert {"h1", "h2", "h3", "h4", "h5", "h6", "w", "x", "b", "f"} <= plain  # names and output
    assert {"×", "+", "−", "exp", "1/·"} <= plain  # the primitives' symbols; 1/· does not clash with x
    assert "the lecture's sigmoid" in plain


def test_a_plus_a_draws_two_edges(tmp_path: Path) -> None:
    a = Value(3.0, "a")
    f = a + a
    dot = draw(f)
    assert dot.source.count("n0 -> n1") == 2
    texts = render_svg(f, tmp_path, legend=False)
    assert coloured(texts, GRAD_COLOUR) == Counter({"1": 3, "∂f/∂a = 2": 1})  # two edges, the output
    assert coloured(texts, VALUE_COLOUR) == Counter({"3": 2, "6": 1, "= 3": 1})  # edges, output, a's box


def test_local_derivatives_and_hidden_gradients(tmp_path: Path) -> None:
    f, *_ = lecture_sigmoid()
    texts = render_svg(f, tmp_path, show_local=True, legend=False)
    green = coloured(texts, LOCAL_COLOUR)
    assert {"∂h6/∂h5 = −0.25", "∂h1/∂w = 1", "∂h1/∂x = 0", "∂h3/∂h2 = −1", "∂h5/∂1 = 1"} <= set(green)
    texts = render_svg(f, tmp_path, show_grads=False, legend=False)
    assert not coloured(texts, GRAD_COLOUR)
    assert sum(coloured(texts, VALUE_COLOUR).values()) == 10 + 3  # the edges, and w, x, b's boxes


def test_precision_and_direction() -> None:
    x = Value(2.0, "x")
    f = x.sigmoid()  # 0.8807970779778823
    assert "0.881" in draw(f, precision=3).source and "0.8807970779778823" in draw(f, precision=17).source
    assert "rankdir=TB" in draw(f, rankdir="TB").source and "rankdir=LR" in draw(f).source


def test_highlighted_nodes_and_edges() -> None:
    f, _x, w, b = lecture_sigmoid()
    h2 = f.parents[0].parents[0].parents[0].parents[0]  # h6 ← h5 ← h4 ← h3 ← h2
    h1 = h2.parents[0]
    assert (h1.op, h2.op) == ("mul", "add")
    src = draw(f, highlight=[h1, (w, h1), (b, h2)]).source
    assert src.count(f'color="{HIGHLIGHT}"') == 3  # one node, two edges
    assert draw(f).source.count(HIGHLIGHT) == 0


def test_backward_step_shows_only_the_gradients_known_so_far(tmp_path: Path) -> None:
    f, *_ = lecture_sigmoid()
    red0 = coloured(render_svg(f, tmp_path, step=0, legend=False), GRAD_COLOUR)
    assert red0 == Counter({"1": 1})  # only ∂f/∂f
    texts = render_svg(f, tmp_path, step=1, legend=False)
    assert coloured(texts, GRAD_COLOUR) == Counter({"1": 1, "−0.25": 1})  # h6 pushed to h5
    assert any(t == "after backward step 1 of 6" for t, _ in texts)
    src = draw(f, step=1).source
    assert src.count(f'color="{HIGHLIGHT}"') == 2  # h6 and its edge from h5
    red5 = coloured(render_svg(f, tmp_path, step=5, legend=False), GRAD_COLOUR)
    # h1 not yet pushed; the constant's edge into h5 carries −0.25 too
    assert red5 == Counter({"1": 1, "−0.25": 4, "0.25": 3, "∂f/∂b = 0.25": 1})
    red6 = coloured(render_svg(f, tmp_path, step=6, legend=False), GRAD_COLOUR)
    assert red6 == coloured(render_svg(f, tmp_path, legend=False), GRAD_COLOUR)


def test_forward_step_shows_values_computed_so_far(tmp_path: Path) -> None:
    f, *_ = lecture_sigmoid()
    texts = render_svg(f, tmp_path, forward_step=2, legend=False)
    assert not coloured(texts, GRAD_COLOUR)
    # known: the inputs w, x, b, the constant 1, h1 and h2; unknown: h3, h4, h5 and the output h6
    assert coloured(texts, VALUE_COLOUR) == Counter({"0": 4, "1": 2, "= 0": 2, "= 1": 1})
    assert Counter(t for t, _ in texts)["?"] == 4
    src = draw(f, forward_step=2).source  # h2, just computed, and its edges from h1 and b are highlighted
    assert src.count(f'color="{HIGHLIGHT}"') == 3 and "n4 [label=<<table" in src
    assert "h2" in next(line for line in src.splitlines() if HIGHLIGHT in line and "shape=circle" in line)
    assert draw(f, forward_step=0).source.count(HIGHLIGHT) == 0


def test_labels_with_markup_characters_are_drawn_as_text(tmp_path: Path) -> None:
    a = Value(2.0, "<a & b>")
    f = a * a
    f.label = "<f>"
    texts = {t for t, _ in render_svg(f, tmp_path, legend=False)}
    assert {"<a & b>", "<f>", "∂<f>/∂<a & b> = 4"} <= texts


def test_draw_does_not_touch_grad() -> None:
    f, _x, w, _b = lecture_sigmoid()
    w.grad = 7.0
    draw(f)
    assert w.grad == 7.0 and f.grad == 0.0


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"rankdir": "XY"}, ValueError, "rankdir must be one of LR, TB, RL, BT, got 'XY'"),
        ({"rankdir": "lr"}, ValueError, "rankdir must be one of"),
        ({"precision": -1}, ValueError, "precision must be an int from 1 to 17, got -1"),
        ({"precision": 0}, ValueError, "precision must be an int from 1 to 17"),
        ({"precision": 2.5}, ValueError, "precision must be an int from 1 to 17"),
        ({"precision": None}, ValueError, "precision must be an int from 1 to 17"),
        ({"show_grads": "no"}, TypeError, "show_grads must be True or False"),
        ({"show_local": 1}, TypeError, "show_local must be True or False"),
        ({"legend": None}, TypeError, "legend must be True or False"),
        ({"title": 3}, TypeError, "title must be a str or None"),
        ({"step": 7}, ValueError, "step must be an int from 0 to 6, got 7"),
        ({"step": -1}, ValueError, "step must be an int from 0 to 6"),
        ({"step": True}, ValueError, "step must be an int"),
        ({"forward_step": 9}, ValueError, "forward_step must be an int from 0 to 6"),
        ({"step": 1, "forward_step": 1}, ValueError, "not both"),
        ({"max_nodes": 0}, ValueError, "max_nodes must be an int ≥ 1"),
        ({"highlight": 3}, TypeError, "highlight must be a collection"),
        ({"highlight": [3]}, TypeError, "highlight entries must be nodes or"),
        ({"highlight": [Value(1.0, "q")]}, ValueError, "cannot highlight node 'q'"),
    ],
)
def test_every_option_is_checked(options: dict[str, object], error: type[Exception], message: str) -> None:
    f, *_ = lecture_sigmoid()
    with pytest.raises(error, match=message.replace("(", r"\(")):
        draw(f, **options)  # type: ignore[arg-type]


def test_highlighting_an_edge_that_is_not_there() -> None:
    f, _x, w, _b = lecture_sigmoid()
    with pytest.raises(ValueError, match="the first must be an input of the second"):
        draw(f, highlight=[(w, f)])
    with pytest.raises(TypeError, match="root must be a Value"):
        draw(2.0)  # type: ignore[arg-type]


def test_a_large_graph_asks_for_a_sub_graph() -> None:
    y = Value(1.0, "x")
    for _ in range(150):
        y = y * 1.01  # an operation node and a constant each time
    with pytest.raises(
        ValueError, match=r"the graph has 301 nodes, more than max_nodes=300.*pass an intermediate node"
    ):
        draw(y)
    assert "n300" in draw(y, max_nodes=301).source
    middle = y
    for _ in range(100):
        middle = middle.parents[0]
    assert "n100" in draw(middle).source  # a sub-graph: 51 operation nodes, their constants, x


def test_jupyter_shows_the_drawing_inline_as_svg() -> None:
    f, *_ = lecture_sigmoid()
    bundle = draw(f)._repr_mimebundle_()
    svg = bundle["image/svg+xml"]
    assert "h6" in svg and "−0.25" in svg


def test_render_formats_by_extension(tmp_path: Path) -> None:
    f, *_ = lecture_sigmoid()
    png = render(f, tmp_path / "a" / "b" / "g.png")  # missing directories are created
    assert png == tmp_path / "a" / "b" / "g.png" and png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert render(f, str(tmp_path / "g.pdf")).read_bytes().startswith(b"%PDF")
    assert b"<svg" in render(f, tmp_path / "g.SVG", rankdir="TB").read_bytes()
    source = render(f, tmp_path / "g.dot").read_text(encoding="utf-8")
    assert source == draw(f).source
    with pytest.raises(ValueError, match=r"must end in \.svg, \.png, \.pdf, \.dot, \.gv"):
        render(f, tmp_path / "g.jpg")
    with pytest.raises(ValueError, match="no extension"):
        render(f, tmp_path / "graph")
    with pytest.raises(ValueError, match="rankdir"):
        render(f, tmp_path / "g.svg", rankdir="sideways")


def test_without_dot_the_source_remains_and_render_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    f, *_ = lecture_sigmoid()
    dot = draw(f)
    assert "h6" in dot.source  # no Graphviz needed for the DOT text
    with pytest.raises(GraphvizNotFoundError, match="apt-get install -y graphviz"):
        dot.pipe(format="svg")  # proves that dot really is out of reach (and says so, in Jupyter too)
    with pytest.raises(GraphvizNotFoundError, match="apt-get install -y graphviz.*brew install graphviz"):
        render(f, tmp_path / "g.svg")
    assert not (tmp_path / "g.svg").exists()
    assert render(f, tmp_path / "g.dot").read_text(encoding="utf-8") == dot.source


def test_the_output_is_named_by_its_label_or_the_title(tmp_path: Path) -> None:
    f, *_ = lecture_sigmoid()
    texts = {t for t, _ in render_svg(f, tmp_path, title="y = σ(w·x + b)")}
    assert {"y", "∂y/∂w = 0.25", "below: ∂y/∂input along the edge (backward)"} <= texts and "f" not in texts
    assert "∂f/∂w = 0.25" in {t for t, _ in render_svg(f, tmp_path, title="the sigmoid")}
    f.label = "out"
    assert "∂out/∂w = 0.25" in {t for t, _ in render_svg(f, tmp_path, title="y = σ(w·x + b)")}


def test_scale_and_dpi_for_projectors(tmp_path: Path) -> None:
    f, *_ = lecture_sigmoid()
    big = draw(f, scale=2).source
    assert "fontsize=24" in big and 'point-size="18"' in big and "dpi" not in big
    assert "dpi=150" in draw(f, dpi=150).source
    small_png = render(f, tmp_path / "a.png").read_bytes()
    large_png = render(f, tmp_path / "b.png", dpi=192).read_bytes()

    def width(png: bytes) -> int:
        return int.from_bytes(png[16:20], "big")

    assert width(large_png) == pytest.approx(2 * width(small_png), rel=0.05)
    for bad in (0.1, 5, "2", None):
        with pytest.raises(ValueError, match="scale must be a number from 0.25 to 4"):
            draw(f, scale=bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="dpi must be an int from 36 to 600, got 10"):
        draw(f, dpi=10)


def test_without_dot_a_drawing_shown_in_jupyter_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """IPython's own display formatter, as a notebook shows `autograd.draw(f)`: text, not a traceback.

    A formatter that raises prints the traceback (to stderr outside a kernel) and shows nothing.
    """
    from IPython.core.formatters import DisplayFormatter

    formatter = DisplayFormatter()
    f, *_ = lecture_sigmoid()
    drawing = draw(f)
    shown, _ = formatter.format(drawing)
    assert "image/svg+xml" in shown and "h6" in shown["image/svg+xml"]  # with dot: the picture
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    capsys.readouterr()
    shown, _ = formatter.format(drawing)
    assert capsys.readouterr().err == "" and "image/svg+xml" not in shown
    text = shown["text/plain"]
    assert text.startswith("The drawing cannot be shown: Graphviz's `dot` program is not installed")
    for command in (
        "sudo apt-get install -y graphviz",
        "brew install graphviz",
        "winget install graphviz",
        "conda install -c conda-forge graphviz",
    ):
        assert f"\n  {command} " in text
    assert "ExecutableNotFound" not in text and "Traceback" not in text
    with pytest.raises(GraphvizNotFoundError, match="winget install graphviz.*conda install"):
        drawing._repr_image_svg_xml()
    with pytest.raises(GraphvizNotFoundError, match="brew install graphviz"):
        drawing.render(tmp_path / "g", format="png")
