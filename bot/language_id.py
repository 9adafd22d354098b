"""Is this text written in Welsh? Someone who writes to the council in Welsh is answered in Welsh (Welsh Language
Standards), so a private message, an /ask or an /appeal is checked.

The model is py3langid's (BSD-3-Clause, a maintained fork of langid.py: a naive-Bayes classifier over byte n-grams,
trained offline), narrowed to the one question asked here — Welsh or English — by scripts/build_language_model.py
into bot/data/welsh_english.langid.xz (~0.4 MB; ~2 MB in memory, against ~64 MB for py3langid's dense automaton
and numpy). This module walks the same automaton and scores the same features, so it decides as py3langid would
(tests/test_language_id.py checks both). It never decides from one or two words ("Diolch", a place name like
"Heol y Bont" inside English): a text needs MIN_WORDS words and a confident score before it counts as Welsh."""

from __future__ import annotations

import asyncio
import lzma
import math
import re
import struct
import unicodedata
from array import array
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

MIN_WORDS = 3
MIN_CONFIDENCE = 0.95
# Enough text to be sure, and a bound on the work one long message can cause (a walk step per byte).
MAX_BYTES = 4096
_WORD = re.compile(r"[^\W\d_]{2,}")
_MAGIC = b"SBLANGID1"
_HEADER = struct.Struct("<f5I")


@dataclass(frozen=True)
class _Model:
    edge_keys: array[int]   # sorted `state << 8 | byte` of the automaton's goto edges
    edge_states: array[int]  # the state each edge leads to
    fail: array[int]         # per state: where to continue when no edge matches
    out: array[int]          # per state: the feature counted on reaching it, or -1
    weight: array[float]     # per feature: log P(feature | Welsh) - log P(feature | English)
    prior: float             # log P(Welsh) - log P(English)

    def welsh_probability(self, text: str) -> float:
        """P(Welsh | text) between the two, as py3langid computes it with norm_probs: naive-Bayes log scores
        (log1p of each feature's count), scaled by 1/sqrt(bytes), then a softmax — for two classes, the logistic
        function of the score difference."""
        if text.isupper():
            text = text.lower()
        data = unicodedata.normalize("NFC", text).encode("utf8", errors="surrogatepass")[:MAX_BYTES]
        counts: Counter[int] = Counter()
        keys, states, fail, out, size = self.edge_keys, self.edge_states, self.fail, self.out, len(self.edge_keys)
        state = 0
        for byte in data:  # `step`, inlined: this loop is the whole cost of classifying
            while True:
                key = (state << 8) | byte
                at = bisect_left(keys, key)
                if at < size and keys[at] == key:
                    state = states[at]
                    break
                if state == 0:
                    break
                state = fail[state]
            if (feature := out[state]) >= 0:
                counts[feature] += 1
        if not counts:
            return 0.5
        difference = self.prior + sum(math.log1p(n) * self.weight[f] for f, n in counts.items())
        scaled = difference / math.sqrt(len(data))
        return 1.0 / (1.0 + math.exp(-scaled)) if scaled > -700 else 0.0


def _read(data: bytes) -> _Model:
    if not data.startswith(_MAGIC):
        raise ValueError("not a surgerybot language model")
    prior, *lengths = _HEADER.unpack_from(data, len(_MAGIC))
    offset = len(_MAGIC) + _HEADER.size
    parts: list[array[Any]] = []
    for typecode, length in zip("IIIif", lengths, strict=True):
        part: array[Any] = array(typecode)
        part.frombytes(data[offset:offset + length * part.itemsize])
        offset += length * part.itemsize
        parts.append(part)
    edge_keys, edge_states, fail, out, weight = parts
    return _Model(edge_keys, edge_states, fail, out, weight, prior=prior)


@cache
def _model() -> _Model:
    packed = resources.files("bot").joinpath("data/welsh_english.langid.xz").read_bytes()
    return _read(lzma.decompress(packed))


def is_welsh(text: str) -> bool:
    words = _WORD.findall(text)
    if len(words) < MIN_WORDS:
        return False
    return _model().welsh_probability(" ".join(words)) >= MIN_CONFIDENCE


_loading: asyncio.Future[_Model] | None = None


async def load() -> None:
    """Load the model in a thread (a few tens of milliseconds), once per process; the App starts this so that the
    first reader doesn't wait. Readers arriving meanwhile wait for the same load."""
    global _loading
    if _model.cache_info().currsize:
        return
    loop = asyncio.get_running_loop()
    if _loading is None or _loading.get_loop() is not loop:
        _loading = loop.run_in_executor(None, _model)
    await asyncio.shield(_loading)


async def written_in_welsh(text: str) -> bool:
    """As `is_welsh`. Classifying takes well under a millisecond for a message, so it runs inline once loaded."""
    if len(_WORD.findall(text)) < MIN_WORDS:
        return False
    await load()
    return is_welsh(text)
