"""Deaf by default (SPEC §6), as pure decisions: when ordinary chat may be looked at at all, and what an
erasure leaves behind. The core's gate (bot/message_gate.py) asks these; nothing here sees a database."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from enum import StrEnum

REMOVED_TEXT = "[removed at the resident's request]"


class Purpose(StrEnum):
    """Why a handler wants to see ordinary chat. Each purpose has its own condition."""

    SESSION = "session"  # what a session needs (moderation, the asker's follow-ups): only while one is open
    LISTENING = "listening"  # aggregated theme counts: only where a community admin turned listening on


@dataclass(frozen=True, slots=True)
class ChatFacts:
    """What the gate knows about where a message was posted."""

    in_group: bool
    community_active: bool
    session_open: bool = False
    scope_always: bool = False  # the community's policy widened the rules' scope to "always"
    listening_on: bool = False


def may_process(purpose: Purpose, facts: ChatFacts) -> bool:
    """True only when a message may reach a handler of `purpose`. Private chats and groups the council is not
    (or no longer) a guest in are never processed: outside those conditions the bot is deaf."""
    if not (facts.in_group and facts.community_active):
        return False
    if purpose == Purpose.SESSION:
        return facts.session_open or facts.scope_always
    if purpose == Purpose.LISTENING:
        return facts.listening_on
    return False


@dataclass(frozen=True, slots=True)
class ErasureCounts:
    """What an erasure did, for the resident's confirmation and the operator's output."""

    questions_anonymised: int = 0
    votes_removed: int = 0
    cases_pseudonymised: int = 0
    casework_references_detached: int = 0
    drafts_removed: int = 0
    held_notes_removed: int = 0
    facilitator_roles_removed: int = 0
    councillor_links_removed: int = 0
    hosted_surgeries_anonymised: int = 0  # hosted as a council officer: the name and account go
    audit_rows_pseudonymised: int = 0
    identities_removed: int = 0
    people_removed: int = 0
    language_choices_removed: int = 0

    @property
    def total(self) -> int:
        return sum(getattr(self, f.name) for f in fields(self))

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


# Sections of an export that hold something about the person (the activity log alone is the bot's own
# record of having replied to them, which /mydata and /forgetme themselves create).
SUBSTANTIVE_SECTIONS = ("people", "identities", "councillor_roles", "facilitator_roles", "questions", "votes",
                        "moderation_cases", "casework_references", "ask_drafts", "communities_accepted",
                        "surgeries_hosted_as_officer", "language_choice")


def holds_anything(export: Mapping[str, object]) -> bool:
    return any(export.get(section) for section in SUBSTANTIVE_SECTIONS)
