"""Issue 16 item 13: look-alike letters fold from Unicode's confusables data (UTS #39), not a hand-written list.
Recall is measured against look-alikes generated from that same data: every one must fold to its letter, and a
blocklisted word with any or every letter swapped must still be caught."""

from __future__ import annotations

import string
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facilitation.rules.blocklist import term_matcher
from facilitation.rules.confusables import LOWERCASE_LOOKALIKES, SOURCE, latin_lookalikes
from facilitation.rules.normalise import normalise, prepare_for_matching

LOOKALIKES = latin_lookalikes()
BY_LETTER: dict[str, list[str]] = {}
for _glyph, _latin in LOOKALIKES.items():
    if len(_latin) == 1:
        BY_LETTER.setdefault(_latin, []).append(_glyph)


def test_the_data_comes_from_the_package_and_is_the_full_table() -> None:
    assert SOURCE.startswith("confusable-homoglyphs ")
    # UTS #39 lists well over a thousand non-ASCII characters that look like a Latin letter; the old
    # hand-written table had about fifty.
    assert len(LOOKALIKES) > 1000
    letters = [g for g in LOOKALIKES if unicodedata.category(g).startswith("L")]
    assert len(letters) > 546  # the count of letters alone that look like a–z
    assert set(BY_LETTER) == set(string.ascii_lowercase)  # every letter has look-alikes


def test_every_latin_letter_confusable_folds_to_its_letter() -> None:
    missed = {glyph: latin for glyph, latin in LOOKALIKES.items() if normalise(glyph) != normalise(latin)}
    assert missed == {}


@pytest.mark.parametrize(("glyph", "latin"), sorted(LOWERCASE_LOOKALIKES.items()))
def test_lower_case_look_alikes_outside_uts39_still_fold(glyph: str, latin: str) -> None:
    assert normalise(glyph) == normalise(latin)


@pytest.mark.parametrize(("text", "expected"), [
    ("ЅНІТ", "shit"),  # Cyrillic capitals
    ("ѕніт", "shit"),  # Cyrillic small letters
    ("\uabaa\u13c2\uab75\u13a2", "shit"),  # Cherokee letters, small and capital
    ("𝖘𝖍𝖎𝖙", "shit"),  # mathematical fraktur
    ("ſcam", "fcam"),  # long s looks like f (UTS #39), though NFKD would make it s
])
def test_examples(text: str, expected: str) -> None:
    assert normalise(text) == expected


WORDS = ["scam", "idiot", "moron", "fraud", "thief", "liar", "rubbish", "useless", "corrupt", "traitor"]
BLOCKLIST = term_matcher(frozenset(WORDS))


def caught(text: str) -> bool:
    return BLOCKLIST.first_match(prepare_for_matching(text)) is not None


@settings(max_examples=400)
@given(st.sampled_from(WORDS), st.data())
def test_a_blocklisted_word_with_any_letters_swapped_is_caught(word: str, data: st.DataObject) -> None:
    swapped = "".join(data.draw(st.sampled_from(BY_LETTER[ch])) if data.draw(st.booleans()) else ch
                      for ch in word)
    assert caught(f"you are a {swapped}!"), swapped


@pytest.mark.parametrize("word", WORDS)
def test_a_blocklisted_word_with_every_letter_swapped_by_every_look_alike_is_caught(word: str) -> None:
    # Walk each letter's whole list of look-alikes, so no entry of the data goes untried.
    width = max(len(BY_LETTER[ch]) for ch in word)
    for index in range(width):
        swapped = "".join(BY_LETTER[ch][index % len(BY_LETTER[ch])] for ch in word)
        assert caught(swapped), (word, swapped)


def test_the_shipped_table_is_what_the_package_s_data_gives() -> None:
    """The bot ships the derived table (the package's whole data is ~14 MiB once imported); it must be exactly
    what scripts/build_lookalikes.py derives from the installed confusable-homoglyphs, file and all."""
    import importlib.util
    from pathlib import Path

    from facilitation.rules.confusables import derive_from_package

    assert dict(LOOKALIKES) == derive_from_package()
    script = Path(__file__).resolve().parents[2] / "scripts" / "build_lookalikes.py"
    spec = importlib.util.spec_from_file_location("build_lookalikes", script)
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    assert build.OUTPUT.read_text(encoding="utf-8") == build.render()


def test_the_running_bot_does_not_load_the_package_s_data() -> None:
    import subprocess
    import sys

    code = ("import sys, facilitation.rules.normalise as n; n.normalise('\\u0455\\u043d\\u0456\\u0442'); "
            "print('confusable_homoglyphs' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() \
        == "False"
