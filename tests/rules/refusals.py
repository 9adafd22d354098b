"""The domain refuses with codes and values; these tests read the sentence a person would see, rendered at the
edge through the message catalogue, so the wording stays checked."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

from config.messages import Messages
from facilitation.problems import InputProblem

_TEXT = Messages()


@dataclass
class Refusal:
    text: str = ""
    problem: InputProblem | None = None


@contextmanager
def refused(fragment: str = "") -> Iterator[Refusal]:
    """Like `pytest.raises(InputProblem, match=…)`, but matching the rendered sentence (a plain substring)."""
    refusal = Refusal()
    with pytest.raises(InputProblem) as caught:
        yield refusal
    refusal.problem = caught.value
    refusal.text = _TEXT.problem(caught.value)
    assert fragment in refusal.text, refusal.text
