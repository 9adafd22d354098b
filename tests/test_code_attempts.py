"""Issue 16 item 11: wrong invitation and /link codes are limited per person and per chat, with a cool-down and
a plain reply; a guess made while cooling down is not even checked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from facilitation.code_attempts import AttemptLimit, Tries, after_failure, locked_until, minutes_left
from tests.scenario import Scenario

T0 = datetime(2026, 3, 1, 18, 0, tzinfo=UTC)
LIMIT = AttemptLimit(failures=5, window=timedelta(minutes=15), cool_down=timedelta(minutes=15))
WRONG = "AAAAAAAAAAAAAAAAAAAA"  # shaped like a code, but no code


def test_the_fifth_wrong_code_starts_the_cool_down() -> None:
    tries: Tries | None = None
    for n in range(4):
        tries = after_failure(tries, T0 + timedelta(seconds=n), LIMIT)
        assert locked_until([tries], T0 + timedelta(seconds=n)) is None
    tries = after_failure(tries, T0 + timedelta(seconds=5), LIMIT)
    assert locked_until([tries], T0 + timedelta(seconds=6)) == T0 + timedelta(seconds=5, minutes=15)
    assert locked_until([tries], T0 + timedelta(seconds=5, minutes=15)) is None  # cooled down: allowed again


def test_failures_older_than_the_window_are_forgotten() -> None:
    tries: Tries | None = None
    for n in range(4):
        tries = after_failure(tries, T0, LIMIT)
    tries = after_failure(tries, T0 + timedelta(minutes=16), LIMIT)
    assert tries.failures == 1 and locked_until([tries], T0 + timedelta(minutes=16)) is None


def test_the_longest_lock_of_person_and_chat_counts() -> None:
    later = Tries(locked_until=T0 + timedelta(minutes=9))
    assert locked_until([Tries(locked_until=T0 + timedelta(minutes=3)), None, later], T0) == later.locked_until


def test_minutes_left_rounds_up() -> None:
    assert minutes_left(T0 + timedelta(seconds=70), T0) == 2
    assert minutes_left(T0 + timedelta(seconds=1), T0) == 1
    assert minutes_left(T0, T0) == 1


@settings(max_examples=200)
@given(st.lists(st.integers(min_value=0, max_value=3600), max_size=60), st.integers(min_value=1, max_value=10))
def test_never_more_wrong_codes_than_allowed_per_window_and_cool_down(gaps: list[int], allowed: int) -> None:
    """Whatever the timing, each window (or window cut short by a cool-down) counts at most `allowed` wrong
    codes, and nothing is counted while locked (the caller does not check a code then): so over any run, at most
    `allowed` per started fifteen minutes get checked."""
    limit = AttemptLimit(failures=allowed, window=timedelta(minutes=15), cool_down=timedelta(minutes=15))
    tries: Tries | None = None
    now, counted = T0, 0
    for gap in gaps:
        now += timedelta(seconds=gap)
        if locked_until([tries], now) is not None:
            continue
        tries = after_failure(tries, now, limit)
        counted += 1
        assert tries.failures < allowed
        elapsed = (now - T0).total_seconds()
        assert counted <= allowed * (1 + int(elapsed // limit.window.total_seconds()))


async def test_link_codes_are_limited_and_come_back_after_the_cool_down(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        created = await s.operator.add_councillor("Cllr Jane Smith", "Riverside")
        m = s.app.ctx.messages
        for _ in range(5):
            await s.dm(s.jane, f"/link {WRONG}")
            assert m("code_problem_unknown") in s.last_text(s.world.private_chat(s.jane.id))
            s.clock.advance(timedelta(seconds=5))  # slower than the command allowance refills
        await s.dm(s.jane, f"/link {created['link_code']}")  # even the right code is not checked now
        assert s.last_text(s.world.private_chat(s.jane.id)) == m("code_attempts_wait", minutes=15)
        s.clock.advance(timedelta(minutes=15))
        await s.dm(s.jane, f"/link {created['link_code']}")
        assert "now linked" in s.last_text(s.world.private_chat(s.jane.id))


async def test_invitation_codes_are_limited_per_person_and_per_chat(tmp_path) -> None:
    async with Scenario(tmp_path, limits={"code_attempts_per_person": 3, "code_attempts_per_chat": 5}) as s:
        m = s.app.ctx.messages
        created = await s.operator.create_invitation("Riverside Residents", "local", None)
        await s.adapter.add_bot(s.riverside, by=s.ada)
        for _ in range(3):
            await s.say(s.ada, s.riverside, f"/surgery accept {WRONG}")
            assert m("code_problem_unknown") in s.last_text(s.riverside)
            s.clock.advance(timedelta(seconds=5))
        await s.say(s.ada, s.riverside, f"/surgery accept {created.code}")
        assert s.last_text(s.riverside) == m("code_attempts_wait", minutes=15)  # Ada is cooling down
        # Olu, another admin of the same group, still has tries, until the group's own limit is reached.
        for _ in range(2):
            await s.say(s.olu, s.riverside, f"/surgery accept {WRONG}")
            assert m("code_problem_unknown") in s.last_text(s.riverside)
            s.clock.advance(timedelta(seconds=5))
        await s.say(s.olu, s.riverside, f"/surgery accept {created.code}")
        assert s.last_text(s.riverside) == m("code_attempts_wait", minutes=15)
        async with s.db.read() as tx:
            from bot.storage import communities

            community = await communities.community_by_space(tx, "local", s.riverside.id)
        assert community is None or not community.is_active


async def test_two_hundred_wrong_codes_cost_at_most_the_allowance(tmp_path) -> None:
    """The issue's reproduction: 200 wrong tries. Only the allowance is checked against the database."""
    async with Scenario(tmp_path) as s:
        await s.operator.add_councillor("Cllr Jane Smith", "Riverside")
        m = s.app.ctx.messages
        answers = []
        for _ in range(200):
            await s.dm(s.jane, f"/link {WRONG}")
            answers.append(s.last_text(s.world.private_chat(s.jane.id)))
            s.clock.advance(timedelta(seconds=2))
        checked = [a for a in answers if m("code_problem_unknown") in a]
        # 200 tries two seconds apart span 400 s, inside one window and one cool-down: five are checked.
        assert len(checked) == 5
