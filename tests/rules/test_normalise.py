"""Normalisation: the tricks people use to dodge a blocklist all fold to one skeleton."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facilitation.rules.confusables import LOWERCASE_LOOKALIKES, latin_lookalikes
from facilitation.rules.normalise import normalise, prepare_for_matching

ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e", "\u034f", "\ufe0f"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello World", "heiio worid"),  # `l` folds into `i`, like `1` and `|`
        ("SHÏT", "shit"),
        ("Ｓｈｉｔ", "shit"),  # fullwidth
        ("𝐬𝐡𝐢𝐭", "shit"),  # mathematical bold
        ("sh\u200bi\u200dt", "shit"),
        ("$h!t", "shit"),
        ("5h1t", "shit"),
        ("ѕһіт".replace("т", "t"), "shit"),  # Cyrillic dze, shha, byelorussian i
        ("ιdιοt", "idiot"),  # Greek iota and omicron
        ("Straße", "strasse"),
        ("s h i t", "shit"),
        ("f.u.c.k", "fuck"),
        ("stop!  now???", "stop now"),
        ("ki11 myse1f", normalise("kill myself")),
        ("", ""),
        ("\u200b\u200b", ""),
    ],
)
def test_folds_known_tricks(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_punctuation_after_a_word_is_not_leetspeak() -> None:
    assert normalise("idiot!") == normalise("idiot")
    assert normalise("well$ ok") == "weii ok"


def test_other_scripts_keep_their_letters() -> None:
    assert normalise("Привет мир") != ""
    assert normalise("日本語のテキスト") == normalise("日本語のテキスト").strip()
    assert "ب" in normalise("مرحبا بالعالم")


def test_prepared_text_is_padded_for_whole_word_matching() -> None:
    assert prepare_for_matching("Hi, THERE") == " hi there "


def test_four_thousand_characters_of_mixed_scripts_and_zero_width() -> None:
    pieces = ["Hello", "Привет", "Γειά", "مرحبا", "你好", "שלום", "नमस्ते", "🙂", "sh\u200bit"]
    text = " \u200b".join(pieces[i % len(pieces)] for i in range(800))[:4096]
    assert len(text) == 4096
    result = normalise(text)
    assert "\u200b" not in result
    assert normalise(result) == result
    assert " shit " in f" {result} "
    assert normalise(text.replace("\u200b", "")) == result


@settings(max_examples=400)
@given(st.text())
def test_never_raises_and_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert isinstance(once, str)
    assert normalise(once) == once


@settings(max_examples=300)
@given(st.text(), st.data())
def test_zero_width_insertion_changes_nothing(text: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(min_value=0, max_value=len(text)))
    mark = data.draw(st.sampled_from(ZERO_WIDTH))
    assert normalise(text[:position] + mark + text[position:]) == normalise(text)


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126)))
def test_ascii_case_does_not_matter(text: str) -> None:
    assert normalise(text.upper()) == normalise(text.lower()) == normalise(text)


LATIN_WITH_LOOKALIKES: dict[str, list[str]] = {}
for glyph, latin in {**latin_lookalikes(), **LOWERCASE_LOOKALIKES}.items():
    if len(latin) == 1:
        LATIN_WITH_LOOKALIKES.setdefault(latin, []).append(glyph)


@settings(max_examples=300)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=1), st.data())
def test_homoglyph_swaps_change_nothing(text: str, data: st.DataObject) -> None:
    swapped = "".join(
        data.draw(st.sampled_from(LATIN_WITH_LOOKALIKES[ch])) if ch in LATIN_WITH_LOOKALIKES
        and data.draw(st.booleans()) else ch
        for ch in text
    )
    assert normalise(swapped) == normalise(text)


@settings(max_examples=300)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1))
def test_diacritics_change_nothing(word: str) -> None:
    accented = "".join(ch + "\u0301" for ch in word)  # a combining acute on every letter
    assert normalise(accented) == normalise(word)


@given(st.text())
def test_output_is_single_spaced_and_trimmed(text: str) -> None:
    result = normalise(text)
    assert "  " not in result
    assert result == result.strip()


@settings(max_examples=500)
@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_the_ascii_shortcut_makes_the_same_skeleton(text: str) -> None:
    from facilitation.rules.normalise import _fold_symbols_and_separators, _fold_unicode

    assert normalise(text) == _fold_symbols_and_separators(_fold_unicode(text))


@settings(max_examples=500)
@given(st.lists(st.sampled_from(["a", "b", "l", "I", "1", "0", "$", "@", "!", "|", "_", " ", "  ", "-", ".", "s h",
                                 "x y z", "Shit", "sh!t", "\t", "\n", "9", "2"]), max_size=20).map("".join))
def test_the_ascii_shortcut_agrees_on_symbols_and_spelt_out_words(text: str) -> None:
    from facilitation.rules.normalise import _fold_symbols_and_separators, _fold_unicode

    assert normalise(text) == _fold_symbols_and_separators(_fold_unicode(text))
