"""The README and docs/*.md: their examples run and print what they show; the README picture is current."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import pathlib
import re
import xml.etree.ElementTree as ET
from types import ModuleType

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
IMAGES = DOCS / "images"


def _python_blocks(path: pathlib.Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), re.S)


def _readme_image_tool() -> ModuleType:
    """tools/readme_image.py, the script behind `make readme-image`."""
    spec = importlib.util.spec_from_file_location("readme_image", ROOT / "tools" / "readme_image.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_h1_to_h6_example_prints_what_it_shows() -> None:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Ten lines: the h1…h6 table") :]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    shown = re.search(r"```text\n(.*?)```", section, re.S)
    assert code is not None and shown is not None
    lines = code.group(1).strip().splitlines()
    assert len(lines) <= 10, "the README promises a ten-line example"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code.group(1), "README.md", "exec"), {})  # the README's own code, nothing else
    assert out.getvalue() == shown.group(1)


def test_every_python_block_in_the_readme_runs(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each ```python block runs, in order, in one namespace, in a scratch directory."""
    monkeypatch.chdir(tmp_path)
    blocks = _python_blocks(README)
    assert len(blocks) >= 3
    namespace: dict[str, object] = {}
    with contextlib.redirect_stdout(io.StringIO()) as out:
        for block in blocks:
            exec(compile(block, "README.md", "exec"), namespace)
    assert (tmp_path / "pictures" / "sigmoid.svg").read_text(encoding="utf-8").startswith("<?xml")
    assert "accuracy 100%" in out.getvalue()
    assert (tmp_path / "moons.json").stat().st_size > 0


def test_the_readme_is_short_and_links_only_to_files_that_exist() -> None:
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 250
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text)
    assert "docs/engine.md" in targets and "docs/images/sigmoid.svg" in targets
    missing = [t for t in targets if not t.startswith("http") and not (ROOT / t).exists()]
    assert missing == []


#: The docs pages with examples, each tested below; the moved README examples live in drawing and speed.
PAGES_WITH_EXAMPLES = sorted(page.stem for page in DOCS.glob("*.md") if _python_blocks(page))


def test_the_moved_readme_examples_are_still_tested() -> None:
    assert {"drawing", "speed"} <= set(PAGES_WITH_EXAMPLES)


@pytest.mark.parametrize("name", PAGES_WITH_EXAMPLES)
def test_every_python_block_in_the_docs_runs(
    name: str, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/NAME.md's ```python blocks run in order, in one namespace, in a scratch directory."""
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    with contextlib.redirect_stdout(io.StringIO()):
        for block in _python_blocks(DOCS / f"{name}.md"):
            exec(compile(block, f"docs/{name}.md", "exec"), namespace)
    if name == "drawing":
        assert (tmp_path / "pictures" / "sigmoid.svg").read_text(encoding="utf-8").startswith("<?xml")


def test_every_docs_page_links_only_to_files_that_exist() -> None:
    for page in DOCS.glob("*.md"):
        targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8"))
        missing = [t for t in targets if not t.startswith("http") and not (page.parent / t).exists()]
        assert missing == [], f"{page.name} links to missing files"


def _anchors(page: pathlib.Path) -> set[str]:
    """The anchors GitHub makes of a page's headings: lower case, punctuation dropped, - for spaces."""
    headings = re.findall(r"^#+ (.+)$", page.read_text(encoding="utf-8"), re.M)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


def test_every_link_to_a_section_finds_its_heading() -> None:
    for page in [README, *DOCS.glob("*.md")]:
        for target, anchor in re.findall(r"\]\(([^)#\s]*)#([^)\s]+)\)", page.read_text(encoding="utf-8")):
            linked = (page.parent / target) if target else page
            assert anchor in _anchors(linked), f"{page.name} links to a missing section {target}#{anchor}"


def test_the_readme_picture_is_what_draw_makes_of_the_readme_example_now() -> None:
    """The committed DOT source equals autograd.draw of the README's code; if not, run `make readme-image`.

    dot's own SVG differs between Graphviz versions, so the picture is checked for its numbers only.
    """
    tool = _readme_image_tool()
    committed = (IMAGES / "sigmoid.dot").read_text(encoding="utf-8")
    assert tool.drawing().source == committed, "docs/images/sigmoid.dot is stale: run `make readme-image`"
    svg = ET.fromstring((IMAGES / "sigmoid.svg").read_bytes())
    texts = {"".join(t.itertext()).strip() for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    assert {"h1", "h6", "w", "x", "b", "0.5", "−0.25", "∂f/∂w = 0.25"} <= texts


def test_make_readme_image_writes_both_files(tmp_path: pathlib.Path) -> None:
    assert _readme_image_tool().main(tmp_path) == 0
    assert (tmp_path / "sigmoid.dot").read_text(encoding="utf-8") == (IMAGES / "sigmoid.dot").read_text(
        encoding="utf-8"
    )
    assert (tmp_path / "sigmoid.svg").read_bytes().startswith(b"<?xml")
