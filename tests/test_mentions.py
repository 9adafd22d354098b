"""Mentions are found by the adapters; the core only leaves out the words they marked."""

from __future__ import annotations

from adapters.mentions import mention_names, mention_words
from facilitation.targets import find_target


def test_the_adapters_mark_both_ways_of_writing_a_mention() -> None:
    words = mention_words("<@123> 10m @alice shouting <@!9> a@b @")
    assert words == ("<@123>", "@alice", "<@!9>")
    assert mention_names(words) == ("@alice",)


def test_a_resolved_mention_wins_and_its_words_leave_the_rest() -> None:
    found = find_target("<@5> 10m shouting", mentions=("5",), mention_words=("<@5>",), reply_to_sender="7")
    assert (found.user_id, found.rest) == ("5", "10m shouting")


def test_an_unresolved_name_targets_nobody_rather_than_a_numeric_word() -> None:
    found = find_target("@ghost 42 spam", mentions=(), mention_words=("@ghost",), reply_to_sender=None)
    assert (found.user_id, found.rest) == (None, "42 spam")
    assert find_target("42 spam", mentions=(), mention_words=(), reply_to_sender=None).user_id == "42"
