"""Flood, newcomer links and heat: pure windows over time, with `now` injected."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.refs import Platform, UserRef
from facilitation.rules.flood import check_flood
from facilitation.rules.heat import HeatState, HeatThresholds, HeatTrigger, check_heat
from facilitation.rules.links import contains_link, is_newcomer, newcomer_link

T0 = datetime(2026, 3, 1, 18, 0, tzinfo=UTC)
ANNA = UserRef(Platform.LOCAL, "anna")
BEN = UserRef(Platform.LOCAL, "ben")
CARA = UserRef(Platform.LOCAL, "cara")


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


# -- flood ---------------------------------------------------------------------------------------------------

def run_flood(seconds: list[float], max_messages: int = 5, window: int = 10) -> list[bool]:
    history: tuple[datetime, ...] = ()
    trips = []
    for second in seconds:
        check = check_flood(history, at(second), max_messages=max_messages, window=timedelta(seconds=window))
        history = check.history
        trips.append(check.flooding)
    return trips


def test_more_than_n_in_the_window_trips() -> None:
    assert run_flood([0, 1, 2, 3, 4, 5]) == [False] * 5 + [True]


def test_exactly_n_does_not_trip() -> None:
    assert run_flood([0, 1, 2, 3, 4]) == [False] * 5


def test_old_messages_slide_out_of_the_window() -> None:
    assert run_flood([0, 2, 4, 6, 8, 10, 12, 14]) == [False] * 8


def test_a_burst_is_one_offence_then_counting_starts_again() -> None:
    trips = run_flood([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5], max_messages=5)
    assert trips == [False] * 5 + [True] + [False] * 5 + [True]


# -- links from newcomers -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["see https://example.org/x", "www.cheap-stuff.com", "go to spam.xyz now",
                                  "join t.me/joinchat/abc", "discord.gg/abcdef", "HTTP://EXAMPLE.COM",
                                  "council.gov.uk/bins"])
def test_detects_links(text: str) -> None:
    assert contains_link(text)


@pytest.mark.parametrize("text", ["e.g. the bins", "at 10.30 tonight", "node.js is fine", "mail a@b.com",
                                  "file.txt attached", "hello.world", ""])
def test_ignores_things_that_are_not_links(text: str) -> None:
    assert not contains_link(text)


def test_newcomer_window() -> None:
    window = timedelta(hours=24)
    assert is_newcomer(T0 - timedelta(hours=23), T0, window)
    assert not is_newcomer(T0 - timedelta(hours=24), T0, window)
    assert not is_newcomer(None, T0, window)  # unknown join time: treated as established


def test_only_newcomers_are_stopped() -> None:
    window = timedelta(hours=24)
    assert newcomer_link("https://spam.example.com", T0 - timedelta(minutes=5), T0, window=window)
    assert not newcomer_link("https://council.gov.uk", T0 - timedelta(days=3), T0, window=window)
    assert not newcomer_link("no link here", T0 - timedelta(minutes=5), T0, window=window)


# -- heat ---------------------------------------------------------------------------------------------------

THRESHOLDS = HeatThresholds(burst_messages=3, burst_window=timedelta(seconds=120), exchange_messages=6,
                            exchange_window=timedelta(seconds=60), cool_down=timedelta(minutes=5))


def feed(posts: list[tuple[float, UserRef, bool]], state: HeatState | None = None):
    state = state or HeatState()
    checks = []
    for second, author, flagged in posts:
        check = check_heat(state, author=author, flagged=flagged, counted=True, now=at(second),
                           thresholds=THRESHOLDS)
        state = check.state
        checks.append(check)
    return checks


def test_burst_of_flagged_messages_triggers_a_cool_down() -> None:
    checks = feed([(0, ANNA, True), (10, BEN, False), (20, CARA, True), (30, ANNA, True)])
    assert [c.trigger for c in checks] == [None, None, None, HeatTrigger.BURST]
    assert checks[-1].cooling_until == at(30) + timedelta(minutes=5)


def test_flagged_messages_spread_out_do_not_trigger() -> None:
    checks = feed([(0, ANNA, True), (100, BEN, True), (200, CARA, True), (300, ANNA, True)])
    assert all(c.trigger is None for c in checks)


def test_rapid_back_and_forth_between_two_people_triggers() -> None:
    posts = [(i * 5, ANNA if i % 2 == 0 else BEN, False) for i in range(6)]
    checks = feed(posts)
    assert checks[-1].trigger == HeatTrigger.EXCHANGE
    assert set(checks[-1].pair) == {ANNA, BEN}
    assert all(c.trigger is None for c in checks[:-1])


def test_a_three_way_conversation_is_not_an_exchange() -> None:
    people = [ANNA, BEN, CARA]
    checks = feed([(i * 5, people[i % 3], False) for i in range(12)])
    assert all(c.trigger is None for c in checks)


def test_a_slow_exchange_is_not_heat() -> None:
    checks = feed([(i * 20, ANNA if i % 2 == 0 else BEN, False) for i in range(10)])
    assert all(c.trigger is None for c in checks)


def test_two_people_taking_long_turns_is_not_heat() -> None:
    authors = [ANNA, ANNA, ANNA, BEN, BEN, BEN]
    checks = feed([(i * 3, author, False) for i, author in enumerate(authors)])
    assert all(c.trigger is None for c in checks)


def test_nothing_retriggers_during_the_cool_down_and_windows_restart_after() -> None:
    checks = feed([(0, ANNA, True), (1, BEN, True), (2, CARA, True)])
    state = checks[-1].state
    during = feed([(10, ANNA, True), (11, BEN, True), (12, CARA, True)], state)
    assert all(c.trigger is None for c in during)
    after = feed([(400, ANNA, True), (401, BEN, True)], during[-1].state)
    assert all(c.trigger is None for c in after)  # the window starts afresh: two is not yet a burst


def test_edits_are_not_counted_as_turns() -> None:
    state = HeatState()
    for i in range(10):
        check = check_heat(state, author=ANNA if i % 2 == 0 else BEN, flagged=False, counted=False, now=at(i),
                           thresholds=THRESHOLDS)
        state = check.state
        assert check.trigger is None
    assert state.recent == ()


@settings(max_examples=300)
@given(steps=st.lists(st.integers(min_value=-5, max_value=30), min_size=1, max_size=60),
       window=st.integers(min_value=1, max_value=20), max_messages=st.integers(min_value=1, max_value=10))
def test_flood_keeps_exactly_the_moments_inside_the_window(steps: list[int], window: int,
                                                           max_messages: int) -> None:
    """The bisection over the kept history agrees with filtering every moment, whatever the clock does
    (steps back included)."""
    history: tuple[datetime, ...] = ()
    model: list[datetime] = []
    now = T0
    for step in steps:
        now += timedelta(seconds=step)
        span = timedelta(seconds=window)
        check = check_flood(history, now, max_messages=max_messages, window=span)
        model = [moment for moment in model if now - moment < span] + [now]
        assert check.flooding == (len(model) > max_messages)
        if check.flooding:
            model = []
        assert sorted(check.history) == sorted(model) and list(check.history) == sorted(check.history)
        history = check.history


@settings(max_examples=400)
@given(st.one_of(st.text(), st.lists(st.sampled_from(
    ["www", ".", "://", "http", "t", "me", "/", "example", "com", "uk", " ", "discord", "gg", "a", "x"]),
    max_size=12).map("".join)))
def test_the_dot_shortcut_finds_what_the_searches_find(text: str) -> None:
    from facilitation.rules import links

    assert contains_link(text) == bool(
        links._SCHEME.search(text) or links._INVITE.search(text) or links._BARE_DOMAIN.search(text))
