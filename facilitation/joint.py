"""Joint surgeries (SPEC §4): another community joins a councillor's surgery when its admin asks with
`/surgery join <n>` and the host councillor accepts privately; `/surgery part` leaves again. Pure decisions:
reading the typed number and the host's button, and whether a join or a part may go ahead."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from facilitation.queue import parse_number, parse_one_number
from facilitation.sessions import ACCEPTING_STATES, LIVE_STATES, SessionView, Slot, overlaps

# The host's answer buttons: `sjoin:<session id>:<community id>:<y|n>`.
JOIN_BUTTON_PREFIX = "sjoin"


class JoinRefusal(StrEnum):
    """Why a community can't join a surgery; each value is a catalogue key."""

    USAGE = "join_usage"
    UNKNOWN = "join_unknown_session"
    OVER = "join_session_over"
    OWN = "join_own_session"
    ALREADY = "join_already_in"
    GROUPS_LEFT = "join_session_groups_left"
    CLASH = "join_clash"


class PartRefusal(StrEnum):
    NOT_JOINED = "part_not_joined"
    HOME = "part_home"


def parse_session_number(args: str) -> int | None:
    """`/surgery join 3` or `/surgery join #3`: exactly one whole number, ASCII digits only."""
    return parse_one_number(args)


@dataclass(frozen=True, slots=True)
class JoinAnswer:
    session_id: int
    community_id: int
    accept: bool

    def data(self) -> str:
        return f"{JOIN_BUTTON_PREFIX}:{self.session_id}:{self.community_id}:{'y' if self.accept else 'n'}"


def parse_join_answer(data: str) -> JoinAnswer | None:
    """A press of the host's Accept / Decline button; None for anything that is not one (stale or forged)."""
    parts = data.split(":")
    if len(parts) != 4 or parts[0] != JOIN_BUTTON_PREFIX or parts[3] not in ("y", "n"):
        return None
    session_id, community_id = parse_number(parts[1]), parse_number(parts[2])
    # Only the form the bot itself writes (no "#", no leading zeros): anything else was not its button.
    if session_id is None or community_id is None or parts[1] != str(session_id) or parts[2] != str(community_id):
        return None
    return JoinAnswer(session_id, community_id, parts[3] == "y")


def check_join(view: SessionView | None, community_id: int, *, active_community_ids: frozenset[int],
               own_sessions: list[SessionView]) -> JoinRefusal | None:
    """Whether `community_id` may join `view`: it must still take questions, be someone else's, have at least one
    of its groups still there, and not clash with a surgery the community already has."""
    if view is None:
        return JoinRefusal.UNKNOWN
    if view.state not in ACCEPTING_STATES:
        return JoinRefusal.OVER
    if community_id in view.community_ids:
        return JoinRefusal.OWN if community_id == view.home_community_id else JoinRefusal.ALREADY
    if not any(cid in active_community_ids for cid in view.community_ids):
        return JoinRefusal.GROUPS_LEFT
    others = [Slot(s.starts_at, s.ends_at) for s in own_sessions if s.id != view.id and s.state in ACCEPTING_STATES]
    if overlaps(view.starts_at, view.ends_at, others):
        return JoinRefusal.CLASH
    return None


def joined_session(sessions: list[SessionView], community_id: int) -> SessionView | None:
    """The surgery a community joined (not one of its own) that `/surgery part` leaves: a running one first."""
    joined = [s for s in sessions if community_id in s.community_ids and s.home_community_id is not None
              and s.home_community_id != community_id and s.state in ACCEPTING_STATES]
    joined.sort(key=lambda s: (s.state not in LIVE_STATES, s.starts_at))
    return joined[0] if joined else None


def check_part(sessions: list[SessionView], community_id: int) -> PartRefusal | None:
    if joined_session(sessions, community_id) is not None:
        return None
    own = [s for s in sessions if s.home_community_id == community_id and s.state in ACCEPTING_STATES]
    return PartRefusal.HOME if any(s.is_joint for s in own) else PartRefusal.NOT_JOINED
