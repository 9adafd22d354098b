"""Odd input from residents and staff gets a kind one-line answer, never a silent failure in the log."""

from __future__ import annotations

import logging

import pytest

from facilitation.cases import parse_case_number
from facilitation.queue import AskProblem, check_question_text
from tests.moderation.helpers import community_with_facilitators, open_session
from tests.scenario import Scenario
from tests.surgery.helpers import bot_texts_since

HUGE = "99999999999999999999"  # longer than a 64-bit integer


@pytest.mark.parametrize("word", ["", "x", "-1", "1.5", HUGE, "#", "٣"])
def test_case_numbers_that_cannot_name_a_case(word: str) -> None:
    assert parse_case_number(word) is None


def test_case_numbers() -> None:
    assert parse_case_number("4") == 4
    assert parse_case_number("#12") == 12


@pytest.mark.parametrize("text", ["\u200b", "\u202e\u200f", " \u200d\u2060 ", "\ufeff"])
def test_a_question_of_invisible_characters_is_empty(text: str) -> None:
    assert check_question_text(text) == AskProblem.EMPTY


def test_a_question_with_an_emoji_is_fine() -> None:
    assert check_question_text("🙂") is None


def _failures(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


async def test_undo_with_a_huge_number_is_answered_not_crashed(tmp_path, caplog) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        mark = len(s.riverside.messages)
        await s.say(s.priya, s.riverside, f"/undo {HUGE}")
        assert bot_texts_since(s, s.riverside, mark) == [s.app.ctx.messages("mod_usage_undo")]
        assert _failures(caplog) == []


async def test_appeal_with_a_huge_number_is_answered_not_crashed(tmp_path, caplog) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await s.dm(s.mo, f"/appeal {HUGE} please look again")
        assert s.last_text(s.world.private_chat(s.mo.id)) == s.app.ctx.messages("appeal_usage")
        assert _failures(caplog) == []


async def test_a_zero_width_question_is_not_posted(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await open_session(s)
        mark = len(s.riverside.messages)
        await s.say(s.mo, s.riverside, "/ask \u200b\u200f")
        replies = bot_texts_since(s, s.riverside, mark)
        assert len(replies) == 1 and not replies[0].startswith("❓")
