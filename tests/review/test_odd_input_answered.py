"""Issue 16 item 7: odd input is refused plainly, and a command or button whose handler fails anyway gets one
kind line back (the detail goes to the log), never silence."""

from __future__ import annotations

import dataclasses
import logging
from datetime import timedelta

import pytest

from bot.storage.sessions import list_sessions
from tests.moderation.helpers import community_with_facilitators, open_session
from tests.scenario import Scenario
from tests.surgery.helpers import bot_texts_since, question_message


def _errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize(("command", "key"), [
    ("/reopen ²", "reopen_usage"),
    ("/reopen #²", "reopen_usage"),
    ("/merge ¹ 1", "merge_usage"),
    ("/merge ٣ 1", "merge_usage"),
])
async def test_unicode_digits_are_refused_plainly(tmp_path, caplog, command: str, key: str) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await open_session(s)
        mark = len(s.riverside.messages)
        await s.say(s.jane, s.riverside, command)
        assert bot_texts_since(s, s.riverside, mark) == [s.app.ctx.messages(key)]
        assert _errors(caplog) == []


@pytest.mark.parametrize("when", ["9999-12-31 23:59 4h", "9999-12-31T23:59-05:00 1h", "0001-01-01T00:30+01:00 1h",
                                  "2099-01-01 18:00 1h"])
async def test_a_date_too_far_ahead_is_refused_plainly(tmp_path, caplog, when: str) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        mark = len(s.riverside.messages)
        await s.say(s.jane, s.riverside, f"/surgery schedule {when}")
        replies = bot_texts_since(s, s.riverside, mark)
        assert len(replies) == 1
        assert replies[0] in (s.app.ctx.messages("schedule_too_far", days=366),
                              s.app.ctx.messages("schedule_past"))
        assert _errors(caplog) == []


async def test_a_failing_command_handler_answers_kindly_and_logs(tmp_path, caplog) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)

        async def broken(call):
            raise RuntimeError("database on fire")

        spec = s.app.router.specs["queue"]
        s.app.router.specs["queue"] = dataclasses.replace(spec, handler=broken)
        mark = len(s.riverside.messages)
        await s.say(s.mo, s.riverside, "/queue")
        assert bot_texts_since(s, s.riverside, mark) == [s.app.ctx.messages("command_failed")]
        errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert any("/queue failed" in r.getMessage() and r.exc_info for r in errors)
        assert not any("database on fire" in text for text in bot_texts_since(s, s.riverside, 0))


async def test_a_failing_button_handler_answers_kindly_and_logs(tmp_path, caplog, monkeypatch) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await open_session(s)
        await s.say(s.mo, s.riverside, "/ask Why are the bins late?")
        message = question_message(s, s.riverside, 1)

        async def broken(event):
            raise RuntimeError("database on fire")

        s.app._buttons = [dataclasses.replace(b, handler=broken) if b.prefix.startswith("vote") else b
                          for b in s.app._buttons]
        data = next(b.data for b in message.buttons if b.data.startswith("vote"))
        await s.adapter.press_button(s.ada, s.riverside, message.id, data)
        assert s.calls("answer_button")[-1].args["text"] == s.app.ctx.messages("button_failed")
        assert any("failed" in r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)


async def test_a_schedule_within_the_year_still_works(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        day = (s.clock.now() + timedelta(days=300)).date().isoformat()
        mark = len(s.riverside.messages)
        await s.say(s.jane, s.riverside, f"/surgery schedule {day} 18:00 1h Bins")
        replies = bot_texts_since(s, s.riverside, mark)
        assert replies and s.app.ctx.messages("schedule_too_far", days=366) not in replies
        async with s.db.read() as tx:
            assert [v.topic for v in await list_sessions(tx)] == ["Bins"]
