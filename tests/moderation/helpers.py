"""Helpers for moderation scenarios: a community with Jane as councillor, Priya and Ada-appointed Olu as
facilitators, an approved policy with chosen rules on, and an open session."""

from __future__ import annotations

from datetime import timedelta

from adapters.local.world import LocalChat, LocalMessage, LocalUser
from bot.storage import cases as store
from facilitation.cases import CaseView
from tests.scenario import Scenario


async def community_with_facilitators(s: Scenario) -> None:
    """Active community; Priya and Olu are facilitators (Olu is also the group's owner), Jane a councillor."""
    await s.invite_and_join()
    await s.link_councillor(s.jane)
    await s.say(s.ada, s.riverside, "/surgery facilitator add @Priya")


async def set_policy(s: Scenario, *settings: str, approve: bool = True) -> None:
    for setting in settings:
        await s.say(s.ada, s.riverside, f"/surgery policy set {setting}")
    if approve:
        await s.say(s.ada, s.riverside, "/surgery policy approve")


async def open_session(s: Scenario) -> None:
    await s.say(s.jane, s.riverside, "/surgery schedule today 18:30 1h Bins")
    await s.advance(timedelta(minutes=30))


async def cases(s: Scenario, user: LocalUser | None = None) -> list[CaseView]:
    async with s.db.unit_of_work() as session:
        return list(reversed(await store.cases_for(session, 1, user.id if user else None, limit=100)))


def last_message_of(chat: LocalChat, user: LocalUser) -> LocalMessage:
    return [m for m in chat.messages if m.sender_id == user.id][-1]
