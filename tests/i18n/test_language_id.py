"""The Welsh identifier the bot ships (bot/data/welsh_english.langid.xz, read by bot/language_id.py) is py3langid's
model narrowed to Welsh and English: rebuilt from the installed py3langid it is the shipped file, and it decides as
py3langid does."""

from __future__ import annotations

import importlib.util
import lzma
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import language_id

SAMPLES = [
    "Mae'r cyngor yn cynnal cymhorthfa heno yn y neuadd.",
    "Pryd fydd y tyllau yn y ffordd ar y stryd fawr yn cael eu trwsio?",
    "Diolch yn fawr iawn am eich help gyda'r biniau ailgylchu.",
    "Hoffwn i ofyn am y bws ysgol sy'n hwyr bob bore.",
    "When will the potholes on the high street be fixed?",
    "The bins on Heol y Bont were not collected again this week.",
    "Can the council put a crossing near the primary school please?",
    "Bore da! When is the next surgery?",
    "DIOLCH YN FAWR AM Y GYMHORTHFA HENO",
    "ŵ ŷ â ê î ô û — Croeso i bawb, dewch â'ch cwestiynau.",
    "",
]


def _builder():  # type: ignore[no-untyped-def]
    path = Path(__file__).resolve().parents[2] / "scripts" / "build_language_model.py"
    spec = importlib.util.spec_from_file_location("build_language_model", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def py3langid_identifier():  # type: ignore[no-untyped-def]
    pytest.importorskip("py3langid")
    return _builder()._dense_model()


def test_the_shipped_model_is_what_the_build_script_makes_from_py3langid() -> None:
    pytest.importorskip("py3langid")
    shipped = lzma.decompress(resources.files("bot").joinpath("data/welsh_english.langid.xz").read_bytes())
    assert _builder().payload(verify=False) == shipped, (
        "bot/data/welsh_english.langid.xz is out of date: run `python scripts/build_language_model.py`")


def _agree(identifier, text: str) -> None:  # type: ignore[no-untyped-def]
    ours = language_id._model().welsh_probability(text)
    scores = identifier._decide(text[:language_id.MAX_BYTES])
    theirs = float(scores[identifier.nb_classes.index("cy")])
    if len(text.encode("utf8", errors="surrogatepass")) <= language_id.MAX_BYTES:
        assert ours == pytest.approx(theirs, abs=2e-3), text


def test_it_decides_as_py3langid_on_welsh_and_english(py3langid_identifier) -> None:  # type: ignore[no-untyped-def]
    for text in SAMPLES:
        _agree(py3langid_identifier, text)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300))
def test_it_decides_as_py3langid_on_any_text(py3langid_identifier, text: str) -> None:  # type: ignore[no-untyped-def]
    _agree(py3langid_identifier, text)


def test_welsh_is_recognised_and_english_or_one_word_is_not() -> None:
    assert language_id.is_welsh("Mae'r cyngor yn cynnal cymhorthfa heno yn y neuadd.")
    assert language_id.is_welsh("Diolch yn fawr iawn am eich help gyda'r biniau ailgylchu.")
    assert not language_id.is_welsh("When will the potholes on the high street be fixed?")
    assert not language_id.is_welsh("The bins on Heol y Bont were not collected again this week.")
    assert not language_id.is_welsh("Diolch")  # never from one word
    assert not language_id.is_welsh("")


def test_a_huge_or_strange_message_is_answered_quickly_and_never_raises() -> None:
    assert language_id.is_welsh("Mae'r cyngor yn cynnal cymhorthfa heno. " * 5000)
    language_id.is_welsh("\u202e\u0000\ud800 " * 3000 + "💥" * 3000)
