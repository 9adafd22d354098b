"""Roles by platform id (SPEC §2), authorisation in the core, and the command router's plain answers."""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.logs import RedactSecrets
from bot.storage import people
from tests.scenario import Scenario


async def test_councillor_links_by_private_code(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        await s.invite_and_join()
        created = await s.operator.add_councillor("Cllr Jane Smith", "Riverside")
        await s.say(s.jane, s.riverside, f"/link {created['link_code']}")
        assert "private chat" in s.last_text(s.riverside)  # never in a group: the code would be public
        await s.dm(s.jane, "/link")
        assert "Please add your code" in s.last_text(s.jane)
        await s.dm(s.jane, f"/link {created['link_code']}")
        assert "Cllr Jane Smith" in s.last_text(s.jane)
        await s.dm(s.mo, f"/link {created['link_code']}")  # single use
        assert "isn't valid" in s.last_text(s.mo)
        async with s.db.unit_of_work() as session:
            assert await people.is_councillor(session, "local", s.jane.id)
            assert not await people.is_councillor(session, "local", s.mo.id)


async def test_link_code_expires(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        created = await s.operator.add_councillor("Cllr Jane Smith", "Riverside")
        s.clock.advance(timedelta(days=15))
        await s.dm(s.jane, f"/link {created['link_code']}")
        assert "expired" in s.last_text(s.jane)


async def test_admin_appoints_and_removes_facilitator_by_reply_and_mention(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        await s.invite_and_join()
        priya_said = (await s.say(s.priya, s.riverside, "happy to help out")).message
        target = next(m for m in s.riverside.messages if m.id == priya_said.id)
        await s.say(s.ada, s.riverside, "/surgery facilitator add", reply_to=target)
        assert "now a facilitator" in s.last_text(s.riverside)
        await s.say(s.ada, s.riverside, "/surgery facilitator list")
        assert s.priya.id in s.last_text(s.riverside)
        await s.say(s.ada, s.riverside, "/surgery facilitator add @Priya")
        await s.say(s.ada, s.riverside, "/surgery facilitator remove @Priya")
        assert "@Priya is no longer a facilitator" in s.last_text(s.riverside)
        await s.say(s.ada, s.riverside, "/surgery facilitator remove @Priya")
        assert "weren't a facilitator" in s.last_text(s.riverside)
        await s.say(s.ada, s.riverside, "/surgery facilitator add")
        assert "Reply to someone's message" in s.last_text(s.riverside)


async def test_resident_cannot_appoint_and_no_state_changes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        await s.invite_and_join()
        await s.say(s.mo, s.riverside, "/surgery facilitator add @Mo")
        assert s.last_text(s.riverside) == "Sorry, that command is for group admins only."
        async with s.db.unit_of_work() as session:
            assert await people.list_facilitators(session) == []


async def test_admin_status_is_checked_live_with_a_short_cache(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        await s.invite_and_join()
        await s.say(s.ada, s.riverside, "/surgery facilitator list")
        s.riverside.admins.discard(s.ada.id)  # demoted on the platform
        s.clock.advance(timedelta(seconds=61))
        await s.say(s.ada, s.riverside, "/surgery facilitator list")
        assert "for group admins only" in s.last_text(s.riverside)


async def test_help_lists_only_what_you_may_do(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        await s.invite_and_join()
        await s.say(s.mo, s.riverside, "/help")
        resident_help = s.last_text(s.riverside)
        await s.say(s.ada, s.riverside, "/help")
        admin_help = s.last_text(s.riverside)
        assert "/about" in resident_help and "/surgery leave" not in resident_help
        assert "/surgery leave" in admin_help and "/link" not in admin_help
        await s.dm(s.mo, "/help")
        assert "/link" not in s.last_text(s.mo) and "/surgery leave" not in s.last_text(s.mo)


async def test_unknown_commands(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        await s.invite_and_join()
        before = len(s.texts(s.riverside))
        await s.say(s.mo, s.riverside, "/weather")  # probably another bot's: stay quiet in groups
        assert len(s.texts(s.riverside)) == before
        await s.say(s.mo, s.riverside, "/surgery dance")
        assert "Try /surgery" in s.last_text(s.riverside)
        await s.dm(s.mo, "/weather")
        assert "I don't know /weather" in s.last_text(s.mo)
        await s.dm(s.mo, "/surgery leave")
        assert "works in a community group" in s.last_text(s.mo)


async def test_huge_and_strange_input_gets_an_answer_and_no_crash(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        await s.invite_and_join()
        strange = "\u200b\u202e" + "é̃" * 3000 + "🏳️‍🌈" * 200
        await s.say(s.ada, s.riverside, f"/surgery accept {strange}")
        assert "already a guest" in s.last_text(s.riverside)
        await s.say(s.mo, s.riverside, strange)
        await s.dm(s.mo, f"/link {strange}")
        assert "doesn't look like" in s.last_text(s.mo)


def test_redaction_scrubs_tokens_from_messages_and_tracebacks() -> None:
    token = "123456789:AAH-secretsecretsecretsecretsecret1"
    redact = RedactSecrets([token, "discord.token.value.xyz"])
    record = logging.LogRecord("httpx", logging.INFO, __file__, 1,
                               "HTTP Request: POST https://api.telegram.org/bot%s/getUpdates", (token,), None)
    redact.filter(record)
    assert token not in record.getMessage() and "[redacted]" in record.getMessage()
    try:
        raise RuntimeError(f"failed for discord.token.value.xyz and bot{token}")
    except RuntimeError:
        import sys

        failing = logging.LogRecord("x", logging.ERROR, __file__, 1, "oops", (), sys.exc_info())
    redact.filter(failing)
    assert "discord.token.value.xyz" not in failing.exc_text and token not in failing.exc_text
    unknown = logging.LogRecord("x", logging.INFO, __file__, 1, "bot987654321:ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ/x", (),
                                None)
    redact.filter(unknown)
    assert "ZZZZZZZZ" not in unknown.getMessage()
