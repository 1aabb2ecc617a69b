"""nn.save / nn.load: exact round trips, atomic writes, and every way a file can be wrong."""

from __future__ import annotations

import json
import math
import os
import stat
import struct
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn
from autograd import Value
from nn import serialize


def _bits(x: float) -> bytes:
    return struct.pack("<d", x)


def test_model_round_trip(tmp_path: Path) -> None:
    model = nn.MLP(2, [16, 16, 1], seed=3)
    path = nn.save(model.state_dict(), tmp_path / "model.json")
    assert path == tmp_path / "model.json"
    other = nn.MLP(2, [16, 16, 1], seed=4)
    other.load_state_dict(nn.load(path))
    assert [_bits(v) for v in other.state_dict().values()] == [_bits(v) for v in model.state_dict().values()]
    a, b = model([0.3, -0.1]), other([0.3, -0.1])
    assert isinstance(a, Value) and isinstance(b, Value) and a.data == b.data


def test_awkward_floats_round_trip_bit_for_bit(tmp_path: Path) -> None:
    state = {
        "zero": 0.0,
        "minus_zero": -0.0,
        "tiny": 5e-324,
        "huge": 1.7976931348623157e308,
        "third": 1 / 3,
        "point_one": 0.1,
        "int_valued": 3.0,
    }
    loaded = nn.load(nn.save(state, tmp_path / "s.json"))
    assert list(loaded) == list(state)
    assert all(_bits(loaded[k]) == _bits(v) for k, v in state.items())
    assert math.copysign(1.0, loaded["minus_zero"]) == -1.0


@given(
    st.dictionaries(
        st.text(min_size=1, max_size=8), st.floats(allow_nan=False, allow_infinity=False), max_size=8
    )
)
def test_any_finite_floats_round_trip(state: dict[str, float]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        loaded = nn.load(nn.save(state, Path(d) / "s.json"))
    assert {k: _bits(v) for k, v in loaded.items()} == {k: _bits(v) for k, v in state.items()}


def test_file_is_standard_json(tmp_path: Path) -> None:
    path = nn.save({"w": 0.5}, tmp_path / "s.json")
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document == {"format": "backproplab.state_dict", "version": 1, "parameters": {"w": 0.5}}


# ---- atomic writes -----------------------------------------------------------------------------------


def test_no_temporary_files_left(tmp_path: Path) -> None:
    nn.save({"w": 1.0}, tmp_path / "s.json")
    nn.save({"w": 2.0}, tmp_path / "s.json")
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]
    assert nn.load(tmp_path / "s.json") == {"w": 2.0}


def test_failed_replace_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = nn.save({"w": 1.0}, tmp_path / "s.json")
    before = path.read_bytes()

    def broken_replace(src: str, dst: object) -> None:
        raise OSError("disk on fire")

    monkeypatch.setattr(serialize.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk on fire"):
        nn.save({"w": 2.0}, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]


def test_temporary_file_is_written_in_the_same_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """os.replace is only atomic within one file system, so the temp file must sit beside the target."""
    seen: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(src: str, dst: str) -> None:
        seen.append((src, dst))
        real_replace(src, dst)

    monkeypatch.setattr(serialize.os, "replace", spy)
    nn.save({"w": 1.0}, tmp_path / "s.json")
    ((src, dst),) = seen
    assert Path(src).parent == tmp_path and Path(dst) == tmp_path / "s.json"


def test_save_honours_the_umask_and_keeps_an_existing_files_mode(tmp_path: Path) -> None:
    """A new file gets 0666 less the umask, as open() gives; overwriting keeps the file's own mode."""
    old_umask = os.umask(0o022)
    try:
        fresh = nn.save({"w": 1.0}, tmp_path / "fresh.json")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
        os.umask(0o077)
        private = nn.save({"w": 1.0}, tmp_path / "private.json")
        assert stat.S_IMODE(private.stat().st_mode) == 0o600
        shared = tmp_path / "shared.json"
        shared.write_text("{}", encoding="utf-8")
        shared.chmod(0o664)
        nn.save({"w": 2.0}, shared)  # umask 077, yet the file stays group-writable as it was
        assert stat.S_IMODE(shared.stat().st_mode) == 0o664
        assert nn.load(shared) == {"w": 2.0}
    finally:
        os.umask(old_umask)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh.json", "private.json", "shared.json"]


# ---- what save refuses -----------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_save_refuses_non_finite_and_leaves_the_file(tmp_path: Path, bad: float) -> None:
    path = nn.save({"w": 1.0}, tmp_path / "s.json")
    with pytest.raises(ValueError, match=f"the value of 'b' is {bad!r}; only finite numbers can be saved"):
        nn.save({"w": 1.0, "b": bad}, path)
    assert nn.load(path) == {"w": 1.0}
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]


def test_save_refuses_non_mappings_and_bad_entries(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match=r"pass model.state_dict\(\)"):
        nn.save(nn.Neuron(2), tmp_path / "s.json")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="parameter names must be str, got int 3"):
        nn.save({3: 1.0}, tmp_path / "s.json")  # type: ignore[dict-item]
    with pytest.raises(TypeError, match="the value of 'w' must be a real number, got str '1'"):
        nn.save({"w": "1"}, tmp_path / "s.json")  # type: ignore[dict-item]
    assert list(tmp_path.iterdir()) == []


# ---- what load refuses -------------------------------------------------------------------------------


def test_truncated_file(tmp_path: Path) -> None:
    path = nn.save(nn.MLP(2, [4, 1], seed=0).state_dict(), tmp_path / "s.json")
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(
        ValueError, match=r"s\.json: not a backproplab state-dict file: invalid JSON at line \d+"
    ):
        nn.load(path)


def _write(tmp_path: Path, content: str | bytes) -> Path:
    path = tmp_path / "edited.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _doc(parameters: str, head: str = '"format": "backproplab.state_dict", "version": 1') -> str:
    return "{" + head + ', "parameters": ' + parameters + "}"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the file is empty"),
        ("[1, 2]", "the top level must be a JSON object, found list"),
        ('{"parameters": {}}', "\"format\" must be 'backproplab.state_dict', found None"),
        ('{"format": "pickle", "version": 1, "parameters": {}}', "found 'pickle'"),
        (
            '{"format": "backproplab.state_dict", "version": 2, "parameters": {}}',
            '"version" must be 1, found 2',
        ),
        ('{"format": "backproplab.state_dict", "version": 1}', '"parameters" must be a JSON object'),
        (_doc("[1.0]"), '"parameters" must be a JSON object of name: number, found list'),
        (_doc('{"w": "0.5"}'), "the value of 'w' must be a number, found \"0.5\""),
        (_doc('{"w": true}'), "the value of 'w' must be a number, found true"),
        (_doc('{"w": null}'), "the value of 'w' must be a number, found null"),
        (_doc('{"w": NaN}'), "NaN is not a finite number"),
        (_doc('{"w": -Infinity}'), "-Infinity is not a finite number"),
        (_doc('{"w": 1e400}'), "the value of 'w' is not a finite number"),
        (_doc('{"w": 1' + "0" * 400 + "}"), "the value of 'w' is not a finite number"),
        (_doc('{"w": 1.0, "w": 2.0}'), "the key 'w' appears twice"),
        (_doc("{}")[:-1] + ', "extra": 1}', "unexpected top-level key 'extra'"),
        (
            _doc("{}", '"format": "backproplab.state_dict", "version": true'),
            '"version" must be 1, found True',
        ),
        (_doc("{}", '"format": "backproplab.state_dict", "version": 1.0'), '"version" must be 1, found 1.0'),
        (_doc("[" * 100_000 + "]" * 100_000), "the JSON is nested too deeply"),
        (_doc('{"w": ' + "[" * 1000 + "]" * 1000 + "}"), "the JSON is nested too deeply"),
        (b'{"format": "\xff"}', "it is not UTF-8 text"),
        ('{"format": "backproplab.state_dict",', "invalid JSON at line 1, column"),
    ],
)
def test_hand_edited_files(tmp_path: Path, content: str | bytes, message: str) -> None:
    path = _write(tmp_path, content)
    with pytest.raises(ValueError) as info:
        nn.load(path)
    assert str(info.value).startswith(f"{path}: not a backproplab state-dict file: ")
    assert message in str(info.value)


def test_ints_in_a_hand_edited_file_are_fine(tmp_path: Path) -> None:
    assert nn.load(_write(tmp_path, _doc('{"w": 2, "b": -0.5}'))) == {"w": 2.0, "b": -0.5}


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        nn.load(tmp_path / "nope.json")


def test_loaded_file_for_another_model_is_refused_by_load_state_dict(tmp_path: Path) -> None:
    path = nn.save(nn.MLP(2, [4, 1], seed=0).state_dict(), tmp_path / "s.json")
    model = nn.MLP(2, [3, 1], seed=0)
    before = model.state_dict()
    with pytest.raises(ValueError, match="unexpected key 'layer0.neuron3.w0'"):
        model.load_state_dict(nn.load(path))
    assert model.state_dict() == before
