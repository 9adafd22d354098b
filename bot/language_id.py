"""Is this text written in Welsh? Someone who writes to the council in Welsh is answered in Welsh (Welsh Language
Standards), so a private message, an /ask or an /appeal is checked.

py3langid (a maintained fork of langid.py) ships its small naive-Bayes model inside the package, runs offline,
and knows Welsh; it is narrowed to Welsh and English, the only choice that matters here. It never decides from
one or two words ("Diolch", a place name like "Heol y Bont" inside English): a text needs MIN_WORDS words and a
confident score before it counts as Welsh."""

from __future__ import annotations

import asyncio
import re
from functools import cache
from typing import Any

MIN_WORDS = 3
MIN_CONFIDENCE = 0.95
_WORD = re.compile(r"[^\W\d_]{2,}")


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(["cy", "en"])
    # set_languages keeps the whole 97-language model beside the two columns it uses; dropping it frees ~27 MB.
    identifier._full_model = (identifier.nb_ptc, identifier.nb_pc, identifier.nb_classes)
    return identifier


def is_welsh(text: str) -> bool:
    words = _WORD.findall(text)
    if len(words) < MIN_WORDS:
        return False
    language, confidence = _identifier().classify(" ".join(words))
    return bool(language == "cy" and confidence >= MIN_CONFIDENCE)


_loading: asyncio.Future[Any] | None = None


async def load() -> None:
    """Load the model in a thread (about a second), once per process; the App starts this so that the first
    reader doesn't wait. Readers arriving meanwhile wait for the same load."""
    global _loading
    if _identifier.cache_info().currsize:
        return
    loop = asyncio.get_running_loop()
    if _loading is None or _loading.get_loop() is not loop:
        _loading = loop.run_in_executor(None, _identifier)
    await asyncio.shield(_loading)


async def written_in_welsh(text: str) -> bool:
    """As `is_welsh`. Classifying takes a fraction of a millisecond, so it runs inline once the model is loaded."""
    if len(_WORD.findall(text)) < MIN_WORDS:
        return False
    await load()
    return is_welsh(text)
