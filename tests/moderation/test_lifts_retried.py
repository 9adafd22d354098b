"""What a session's close lifts is lifted even when the platform fails at that moment (issue 16, item 2): the
close-of-session unmute that fails with a transient error is tried again by a durable timer until it works."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.errors import PlatformUnavailable
from bot.moderation.lifting import FIRST_RETRY
from tests.moderation.helpers import community_with_facilitators, open_session, set_policy
from tests.scenario import Scenario


async def test_a_close_of_session_unmute_that_fails_is_tried_again(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await set_policy(s, "flood.mode on", "flood.max_messages 2", "flood.window_seconds 60")
        await open_session(s)
        s.world.mutes_enforced = False  # the member keeps posting past a mute, as no real platform allows
        for i in range(9):
            await s.say(s.mo, s.riverside, f"message {i}")
            s.clock.advance(timedelta(seconds=1))
        assert s.calls("mute_member")
        real_unmute = s.adapter.unmute_member
        tried: list[str] = []

        async def failing_unmute(chat, user, **kwargs) -> None:  # type: ignore[no-untyped-def]
            tried.append(user.id)
            raise PlatformUnavailable("Bad Gateway (502)")

        monkeypatch.setattr(s.adapter, "unmute_member", failing_unmute)
        await s.say(s.jane, s.riverside, "/surgery close")
        await s.app.timers.run_due()
        assert s.calls("unmute_member") == [] and tried and set(tried) == {s.mo.id}  # tried, and failed
        monkeypatch.setattr(s.adapter, "unmute_member", real_unmute)  # the platform is back
        s.clock.advance(FIRST_RETRY + timedelta(seconds=1))
        await s.app.timers.run_due()
        assert [c.args["user_id"] for c in s.calls("unmute_member")] == [s.mo.id]
