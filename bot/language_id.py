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
    return identifier


def is_welsh(text: str) -> bool:
    words = _WORD.findall(text)
    if len(words) < MIN_WORDS:
        return False
    language, confidence = _identifier().classify(" ".join(words))
    return bool(language == "cy" and confidence >= MIN_CONFIDENCE)


async def written_in_welsh(text: str) -> bool:
    """As `is_welsh`, without holding up other chats while the model loads the first time (about a second)."""
    if len(_WORD.findall(text)) < MIN_WORDS:
        return False
    return await asyncio.to_thread(is_welsh, text)
