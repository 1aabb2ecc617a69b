"""The words every view shows, in English and in Chinese (the course's language), and display width."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

__all__ = ["LANGUAGES", "check_lang", "display_width", "words"]

#: Each view's words, one entry per term. Chinese follows the lecture notes' own terms
#: (计算图, 前向传播, 反向传播, 梯度, 局部导数, 链式法则). Add a term to both languages at once.
_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "graph": "computational graph",
        "forward": "forward pass",
        "backward": "backward pass",
        "gradient": "gradient",
        "value": "value",
        "local": "local derivative",
        "chain rule": "chain rule",
        "node": "node",
        "step": "step",
        "input": "input",
        "output": "output",
        "loss": "loss",
        "weight": "weight",
        "bias": "bias",
        "neuron": "neuron",
        "layer": "layer",
        "sample": "sample",
    },
    "zh": {
        "graph": "计算图",
        "forward": "前向传播",
        "backward": "反向传播",
        "gradient": "梯度",
        "value": "值",
        "local": "局部导数",
        "chain rule": "链式法则",
        "node": "节点",
        "step": "步骤",
        "input": "输入",
        "output": "输出",
        "loss": "损失",
        "weight": "权重",
        "bias": "偏置",
        "neuron": "神经元",
        "layer": "层",
        "sample": "样本",
    },
}

#: The languages a view can be shown in.
LANGUAGES = tuple(_WORDS)


def check_lang(lang: object) -> str:
    """Check a `lang` argument: one of LANGUAGES ("en", "zh")."""
    if not isinstance(lang, str) or lang not in _WORDS:
        allowed = ", ".join(repr(name) for name in LANGUAGES)
        raise ValueError(f"lang must be one of {allowed}, got {lang!r}")
    return lang


def words(lang: str = "en") -> Mapping[str, str]:
    """The terms of one language, keyed by their English short name: words("zh")["gradient"] == "梯度"."""
    return _WORDS[check_lang(lang)]


def display_width(text: str) -> int:
    """The columns `text` takes on a terminal: wide (CJK) characters count 2, combining marks 0.

    Example: display_width("权重") == 4, display_width("∂f/∂w") == 5.
    """
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width
