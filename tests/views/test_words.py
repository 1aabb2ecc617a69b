"""The word table: both languages hold the same terms, lang is checked, display width counts CJK as 2."""

import pytest

from autograd.views.words import LANGUAGES, check_lang, display_width, words


def test_every_language_names_the_same_terms() -> None:
    keys = {lang: set(words(lang)) for lang in LANGUAGES}
    assert keys["zh"] == keys["en"]
    assert words("zh")["gradient"] == "梯度" and words("zh")["backward"] == "反向传播"


def test_an_unknown_language_is_refused_with_the_allowed_ones() -> None:
    with pytest.raises(ValueError, match=r"lang must be one of 'en', 'zh', got 'fr'"):
        check_lang("fr")


def test_display_width_counts_wide_characters_twice() -> None:
    assert display_width("权重") == 4
    assert display_width("∂f/∂w") == 5
    assert display_width("e\u0301") == 1
