"""A short mute on Telegram stays short (issue 16, item 1): Telegram reads a restriction ending under 30 s from its
own clock as *forever*, so the end is re-read at every attempt (a 429's retry comes seconds later), the shortest
mute the bot allows is not refused by a second look at the same bound, and a durable timer lifts every mute whose
end the bot chose, whatever the platform made of it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest

from tests.clock import FakeClock
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.fake_world import FakeMember
from tests.telegram.harness import fresh_clock
from tests.telegram.test_app_e2e import TelegramApp
from tests.telegram.test_moderation_e2e import Group


class TickingClock(FakeClock):
    """Time that moves a millisecond every time it is read, as a real clock does between two checks."""

    def now(self) -> datetime:
        return self.advance(timedelta(milliseconds=1))


@pytest.fixture
def clock() -> FakeClock:
    start = fresh_clock().now()
    return TickingClock(start)


@pytest.fixture
async def group(api: FakeBotApi, clock: FakeClock, tmp_path) -> AsyncIterator[Group]:  # type: ignore[no-untyped-def]
    tg = TelegramApp(api, clock, f"sqlite+aiosqlite:///{tmp_path / 'mutes.db'}")
    await tg.app.start(run_timers=False)
    g = Group(api, tg)
    await g.set_up()
    yield g
    await tg.app.stop()


def restricted(group: Group) -> FakeMember:
    return group.chat.member(group.mo.id)


async def test_a_429_retry_keeps_the_end_at_least_30_seconds_ahead(group: Group, api: FakeBotApi,
                                                                   clock: FakeClock) -> None:
    api.fail("restrictChatMember", 429, "Too Many Requests: retry after 1", parameters={"retry_after": 1})
    shout = api.post(group.mo, group.chat, "SHOUTING")
    api.user_sends(group.priya, group.chat, "/mute 32s shouting", reply_to=shout.id)
    await group.tg.wait_until(lambda: api.calls_named("restrictChatMember"), "the first restrictChatMember")
    clock.advance(timedelta(seconds=3))  # the rate limiter's pause: Telegram asked for it, and time passes
    await group.tg.wait_until(lambda: any("muted for" in t for t in group.texts(group.chat)), "the mute's reply")
    attempts = api.calls_named("restrictChatMember")
    assert len(attempts) == 2
    for attempt in attempts:
        assert int(attempt.params["until_date"]) - attempt.at >= 30, "Telegram would read this end as forever"
    member = restricted(group)
    assert member.status == "restricted" and member.until_date != 0


async def test_the_shortest_mute_is_not_refused_by_a_second_check(group: Group, api: FakeBotApi) -> None:
    shout = api.post(group.mo, group.chat, "SHOUTING")
    await group.says(group.priya, "/mute 31s shouting", "muted for", reply_to=shout.id)
    [restrict] = api.calls_named("restrictChatMember")
    assert int(restrict.params["until_date"]) - restrict.at >= 30
    assert restricted(group).status == "restricted" and restricted(group).until_date != 0


async def test_a_durable_timer_lifts_a_mute_telegram_kept_forever(group: Group, api: FakeBotApi,
                                                                  clock: FakeClock) -> None:
    shout = api.post(group.mo, group.chat, "SHOUTING")
    await group.says(group.priya, "/mute 10m shouting", "muted for", reply_to=shout.id)
    restricted(group).until_date = 0  # however it happened, Telegram now holds the mute as forever
    clock.advance(timedelta(minutes=10, seconds=1))
    assert await group.tg.app.timers.run_due() >= 1
    lifted = api.calls_named("restrictChatMember")[-1]
    assert lifted.params["permissions"].get("can_send_messages") is True
    assert restricted(group).status != "restricted"


async def test_unmute_cancels_the_timer(group: Group, api: FakeBotApi, clock: FakeClock) -> None:
    shout = api.post(group.mo, group.chat, "SHOUTING")
    await group.says(group.priya, "/mute 10m shouting", "muted for", reply_to=shout.id)
    await group.says(group.priya, "/unmute", "can post again", reply_to=shout.id)
    calls = len(api.calls_named("restrictChatMember"))
    clock.advance(timedelta(minutes=11))
    assert await group.tg.app.timers.run_due() == 0
    assert len(api.calls_named("restrictChatMember")) == calls
