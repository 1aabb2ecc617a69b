"""`save` and `load`: a model's weights as a small JSON file (no pickle), written atomically.

The file is standard JSON:

    {"format": "backproplab.state_dict", "version": 1,
     "parameters": {"layer0.neuron0.w0": 0.5488135039273248, …}}

Floats are written with Python's shortest round-trip repr, so every weight reads back bit for
bit. Standard JSON has no NaN or infinity, and a weight that is not finite means training has
diverged, so the rule is: `save` refuses non-finite values (ValueError naming the parameter)
and `load` refuses them too, including the non-standard tokens NaN and Infinity.
"""

from __future__ import annotations

import json
import math
import os
import secrets
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ._arguments import is_real

__all__ = ["FORMAT", "VERSION", "load", "save"]

FORMAT = "backproplab.state_dict"
VERSION = 1

PathLike = str | os.PathLike[str]


def _checked_state(state: object) -> dict[str, float]:
    """Check a state dict {name: finite number} and return it as {str: float}."""
    if not isinstance(state, Mapping):
        hint = " (pass model.state_dict())" if hasattr(state, "state_dict") else ""
        raise TypeError(f"save needs a mapping {{name: number}}{hint}, got {type(state).__name__}")
    out: dict[str, float] = {}
    for name, value in state.items():
        if not isinstance(name, str):
            raise TypeError(f"parameter names must be str, got {type(name).__name__} {name!r}")
        if not is_real(value):
            raise TypeError(
                f"the value of {name!r} must be a real number, got {type(value).__name__} {value!r}"
            )
        x = float(value)
        if not math.isfinite(x):
            raise ValueError(
                f"the value of {name!r} is {x!r}; only finite numbers can be saved "
                "(standard JSON has no NaN or infinity, and a non-finite weight means training diverged)"
            )
        out[name] = x
    return out


def save(state: Mapping[str, float], path: PathLike) -> Path:
    """Write a state dict to a JSON file, atomically.

    The data goes to a temporary file in the same directory, which then replaces `path` in
    one step (os.replace): a crash midway leaves the old file, never half a file. The file gets
    the permissions an ordinary write would give it: an existing file keeps its mode, a new one
    gets 0666 less the umask (0644 under the usual umask 022).

    Args:
        state: {name: finite number}, e.g. `model.state_dict()`.
        path: Where to write; the directory must exist.

    Returns:
        The path written, as a Path.

    Raises:
        TypeError: if state is not a mapping of str to real numbers.
        ValueError: if a value is NaN or infinite (naming the parameter).
    """
    params = _checked_state(state)
    target = Path(path)
    document = {"format": FORMAT, "version": VERSION, "parameters": params}
    text = json.dumps(document, indent=1, allow_nan=False) + "\n"
    try:
        keep_mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        keep_mode = None  # a new file: os.open's 0o666 less the umask, as open() would give
    tmp = str(target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        if keep_mode is not None:
            os.chmod(tmp, keep_mode)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return target


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"the key {key!r} appears twice")
        out[key] = value
    return out


def _no_constants(token: str) -> float:
    raise ValueError(f"{token} is not a finite number (only finite weights are stored)")


def load(path: PathLike) -> dict[str, float]:
    """Read a state dict written by `save`, checking everything in it.

    Args:
        path: The file to read.

    Returns:
        {name: float}, ready for `model.load_state_dict`.

    Raises:
        FileNotFoundError: if there is no such file.
        ValueError: if the file is not a valid state-dict file (truncated, not JSON, nested too
            deeply, hand-edited into something else, a "version" other than the integer 1, NaN or
            infinite values); the message names the file and the problem.
    """
    target = Path(path)
    raw = target.read_bytes()

    def bad(problem: str) -> ValueError:
        return ValueError(f"{target}: not a backproplab state-dict file: {problem}")

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise bad(f"it is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    if not text.strip():
        raise bad("the file is empty")
    try:
        document = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except RecursionError:
        raise bad("the JSON is nested too deeply (a state dict is two levels deep)") from None
    except json.JSONDecodeError as exc:
        raise bad(
            f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg} (truncated or edited?)"
        ) from None
    except ValueError as exc:
        raise bad(str(exc)) from None
    if not isinstance(document, dict):
        raise bad(f"the top level must be a JSON object, found {type(document).__name__}")
    if document.get("format") != FORMAT:
        raise bad(f'"format" must be {FORMAT!r}, found {document.get("format")!r}')
    version = document.get("version")
    if type(version) is not int or version != VERSION:  # not true, not 1.0: the integer 1
        raise bad(f'"version" must be {VERSION}, found {document.get("version")!r}')
    extra = sorted(set(document) - {"format", "version", "parameters"})
    if extra:
        raise bad(f"unexpected top-level key {extra[0]!r}")
    params = document.get("parameters")
    if not isinstance(params, dict):
        raise bad(f'"parameters" must be a JSON object of name: number, found {type(params).__name__}')
    out: dict[str, float] = {}
    for name, value in params.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad(f"the value of {name!r} must be a number, found {json.dumps(value)}")
        try:
            x = float(value)
        except OverflowError:
            x = math.inf
        if not math.isfinite(x):
            raise bad(f"the value of {name!r} is not a finite number ({str(value)[:40]})")
        out[name] = x
    return out
