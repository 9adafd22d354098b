"""Deaf by default (SPEC §6): ordinary chat outside sessions never reaches the database, and the core refuses a
chat handler that did not come through the privacy gate."""

from __future__ import annotations

import pytest

from bot.events import Event, MessageReceived
from bot.message_gate import UngatedMessageHandler
from facilitation.processing import ChatFacts, Purpose, may_process
from tests.privacy.dbscan import containing, text_values
from tests.scenario import Scenario
from tests.surgery.helpers import surgery_ready

CHATTER = [
    "Hi all, it's Margaret Thistlewood from number 14",
    "call me on 07700 900123 or margaret.t@example.com",
    "my NHS number is 943 476 5919, the GP keeps losing it",
    "the bins on Acacia Avenue SW1A 2AA were missed again",
    "anyone know a good plumber? rent is due friday",
]
NEEDLES = ["Thistlewood", "07700", "margaret.t", "943 476", "Acacia", "plumber"]


async def chatter(s: Scenario, chat, people) -> None:  # type: ignore[no-untyped-def]
    for index, text in enumerate(CHATTER):
        await s.say(people[index % len(people)], chat, text)


async def test_ordinary_chat_outside_sessions_never_reaches_the_database(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        dormant = s.world.add_group("Hilltop Chat", owner=s.priya, members=(s.mo,))
        await s.adapter.add_bot(dormant, by=s.priya)  # dormant: waiting for the code
        await s.invite_and_join()  # Riverside is an active community, with no session
        sent = len(s.calls("send_message"))
        await chatter(s, s.riverside, [s.mo, s.priya, s.jane])
        await chatter(s, dormant, [s.mo, s.priya])
        for text in CHATTER:  # and privately to the bot, without a command
            await s.dm(s.mo, text)
        assert len(s.calls("send_message")) == sent  # the bot said nothing either
        stored = text_values(s.database_file)
        assert any(value == "Riverside Residents" for _, _, value in stored)  # the scan does see the database
        assert containing(s.database_file, *NEEDLES) == []


async def test_chat_after_a_session_closes_is_not_stored(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        await surgery_ready(s, "today 18:30 1h Bins")
        await s.say(s.jane, s.riverside, "/surgery open")
        await s.say(s.mo, s.riverside, "/ask When are the bins collected?")
        await s.say(s.jane, s.riverside, "/surgery close")
        await chatter(s, s.riverside, [s.mo, s.priya])
        assert containing(s.database_file, *NEEDLES) == []
        assert containing(s.database_file, "When are the bins collected?")  # what the session needed stays


async def test_a_chat_handler_that_skips_the_gate_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async def careless(event: MessageReceived) -> None:
        return None

    async with Scenario(tmp_path) as s:
        with pytest.raises(UngatedMessageHandler):
            s.app.dispatcher.on(MessageReceived, careless)
        with pytest.raises(UngatedMessageHandler):
            s.app.dispatcher.on(Event, careless)  # a catch-all would see chat too
        s.app.dispatcher.on(MessageReceived, s.app.privacy_gate.guard(Purpose.SESSION, lambda e, c: careless(e)))


async def test_the_gate_admits_session_handlers_only_while_a_session_is_open(tmp_path) -> None:  # type: ignore[no-untyped-def]
    seen: list[str] = []

    async def moderation(event: MessageReceived, community) -> None:  # type: ignore[no-untyped-def]
        seen.append(event.text)

    async with Scenario(tmp_path) as s:
        s.app.dispatcher.on(MessageReceived, s.app.privacy_gate.guard(Purpose.SESSION, moderation))
        await surgery_ready(s, "today 18:30 1h Bins")
        await s.say(s.mo, s.riverside, "before the session")
        await s.say(s.jane, s.riverside, "/surgery open")
        await s.say(s.mo, s.riverside, "during the session")
        await s.dm(s.mo, "privately, during the session")
        await s.say(s.jane, s.riverside, "/surgery pause")
        await s.say(s.mo, s.riverside, "while paused")
        await s.say(s.jane, s.riverside, "/surgery resume")
        await s.say(s.jane, s.riverside, "/surgery close")
        await s.say(s.mo, s.riverside, "after the session")
        assert seen == ["during the session", "while paused"]


async def test_a_policy_scope_of_always_widens_the_session_purpose(tmp_path) -> None:  # type: ignore[no-untyped-def]
    seen: list[str] = []

    async def moderation(event: MessageReceived, community) -> None:  # type: ignore[no-untyped-def]
        seen.append(event.text)

    def always(facts) -> bool:  # type: ignore[no-untyped-def]
        return True

    async with Scenario(tmp_path) as s:
        s.app.dispatcher.on(MessageReceived, s.app.privacy_gate.guard(Purpose.SESSION, moderation))
        s.app.privacy_gate.widen_scope_with(always)
        await s.invite_and_join()
        await s.say(s.mo, s.riverside, "no session, scope always")
        await s.dm(s.mo, "private chat is never in scope")
        assert seen == ["no session, scope always"]


def test_may_process_decisions() -> None:
    group = ChatFacts(in_group=True, community_active=True)
    assert not may_process(Purpose.SESSION, group)
    assert may_process(Purpose.SESSION, ChatFacts(in_group=True, community_active=True, session_open=True))
    assert may_process(Purpose.SESSION, ChatFacts(in_group=True, community_active=True, scope_always=True))
    assert not may_process(Purpose.LISTENING, ChatFacts(in_group=True, community_active=True, session_open=True))
    assert may_process(Purpose.LISTENING, ChatFacts(in_group=True, community_active=True, listening_on=True))
    everything = dict(session_open=True, scope_always=True, listening_on=True)
    assert not may_process(Purpose.SESSION, ChatFacts(in_group=False, community_active=True, **everything))
    assert not may_process(Purpose.LISTENING, ChatFacts(in_group=True, community_active=False, **everything))
