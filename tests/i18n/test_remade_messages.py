"""A rendered message remembers how it was made (config/messages/text.py): it can be made again in another
reader's language, with the values rendered into it, and a bilingual message built from pieces reads all its
Welsh before all its English."""

from __future__ import annotations

import copy
import pickle
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from config.messages import Bilingual, Messages, Text, changed, reading_in
from config.policy_text import render_policy
from facilitation.rules.policy import DEFAULT_POLICY

WHEN = datetime(2026, 12, 1, 18, tzinfo=timezone.utc)
ZONE = ZoneInfo("Europe/London")


def _reminder(say: Messages) -> str:
    return say("session_reminder", host="Cllr Jones", topic=say("topic_line", topic="Parcio"),
               when=say.datetime(WHEN, ZONE))


def test_a_message_is_made_again_in_another_language_with_its_values() -> None:
    follows = Messages("en", follows_reader=True)
    with reading_in("en"):
        english = _reminder(follows)
    assert isinstance(english, Text) and english == _reminder(Messages("en"))
    assert english.in_language("cy") == _reminder(Messages("cy"))
    assert "Maw 1 Rhag 2026, 18:00" in english.in_language("cy") and "Pwnc: Parcio" in english.in_language("cy")
    both = english.in_language("both")
    assert isinstance(both, Bilingual) and both == _reminder(Messages("both"))
    assert both.in_language("en") == english


def test_pieces_joined_into_a_bilingual_message_keep_all_the_welsh_first() -> None:
    say, cy, en = Messages("both"), Messages("cy"), Messages("en")
    keys = ("help_header", "queue_empty_public", "no_session")
    joined = say.join("\n", (say(key) for key in keys))
    added = say(keys[0]) + "\n" + say(keys[1]) + "\n" + say(keys[2])
    welsh, english = "\n".join(cy(key) for key in keys), "\n".join(en(key) for key in keys)
    assert joined == added == f"{welsh}\n\n{english}"
    assert joined.in_language("cy") == welsh  # and back to one language
    # An f-string can't do this: each piece is bilingual on its own, so the languages alternate.
    interleaved = f"{say(keys[0])}\n{say(keys[1])}"
    assert interleaved.index(en(keys[0])) < interleaved.index(cy(keys[1]))


def test_the_policy_of_a_bilingual_group_reads_in_welsh_then_in_english() -> None:
    cy, en = Messages("cy"), Messages("en")
    policy = render_policy(DEFAULT_POLICY, default_contact="help@example.org", messages=Messages("both"))
    welsh = render_policy(DEFAULT_POLICY, default_contact="help@example.org", messages=cy)
    english = render_policy(DEFAULT_POLICY, default_contact="help@example.org", messages=en)
    assert policy == f"{welsh}\n\n{english}"


def test_a_change_made_once_is_made_in_every_language() -> None:
    note = Messages("en")("mod_told_you_unmute", chat="Riverside", number="{number}")
    numbered = changed(note, lambda text: text.replace("{number}", "7"))
    assert numbered == "You can post in Riverside again (case #7)."
    assert "7" in numbered.in_language("cy") and "{number}" not in numbered.in_language("cy")
    assert changed("plain {number}", lambda text: text.replace("{number}", "7")) == "plain 7"


def test_long_lists_plain_text_and_copies() -> None:
    say = Messages("both")
    many = say.join("\n", [say("queue_more", more=n) for n in range(3000)])
    assert many.count("\n\n") == 1 and isinstance(many, Bilingual)
    assert Messages.join(", ", ["a", "b"]) == "a, b" and type(Messages.join(", ", ["a", "b"])) is str
    text = say("no_session")
    assert copy.deepcopy(text) is text
    assert type(pickle.loads(pickle.dumps(text))) is str and pickle.loads(pickle.dumps(text)) == text
