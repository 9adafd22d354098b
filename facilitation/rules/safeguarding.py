"""Safeguarding: words about self-harm, abuse or a child in danger. Never acted on in public: the only
effect is a private alert to the community's facilitators carrying the council's safeguarding contact."""

from __future__ import annotations

from dataclasses import dataclass

from facilitation.rules.blocklist import TermMatcher


@dataclass(frozen=True, slots=True)
class SafeguardingConcern:
    term: str  # for the facilitators' private alert only
    contact: str  # whom facilitators should call


def find_concern(prepared: str, matcher: TermMatcher, contact: str) -> SafeguardingConcern | None:
    """`prepared` is `normalise.prepare_for_matching(text)`, shared with the blocklist to normalise once."""
    match = matcher.first_match(prepared)
    return SafeguardingConcern(term=match.term, contact=contact) if match else None
