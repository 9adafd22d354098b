"""Surgery sessions, their questions and votes, casework referrals and private /ask drafts. Repository
functions take the caller's unit of work and return frozen views from facilitation/."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import ensure_utc, utc_or_none
from bot.storage.models import (
    AskDraft,
    CaseworkReferral,
    Community,
    Councillor,
    Question,
    QuestionCopy,
    SurgerySession,
    Vote,
    session_communities,
)
from bot.storage.rows import affected
from facilitation.casework import reference
from facilitation.queue import QuestionState, QuestionView, Visibility
from facilitation.sessions import ACCEPTING_STATES, LIVE_STATES, ModerationMode, SessionState, SessionView


async def _community_ids(tx: AsyncSession, session_id: int) -> tuple[tuple[int, ...], int | None]:
    """The session's communities, and the one it was scheduled in (the others joined it later)."""
    rows = (await tx.execute(select(session_communities.c.community_id, session_communities.c.joined_at)
                             .where(session_communities.c.session_id == session_id)
                             .order_by(session_communities.c.community_id))).all()
    home = next((cid for cid, joined_at in rows if joined_at is None), None)
    return tuple(cid for cid, _ in rows), home


async def _view(tx: AsyncSession, row: SurgerySession) -> SessionView:
    if row.councillor_id is not None:
        name = await tx.scalar(select(Councillor.name).where(Councillor.id == row.councillor_id)) or ""
    else:
        name = row.officer_name
    community_ids, home = await _community_ids(tx, row.id)
    return SessionView(
        id=row.id, councillor_id=row.councillor_id, host_name=name, topic=row.topic,
        state=SessionState(row.state), mode=ModerationMode(row.moderation_mode),
        starts_at=ensure_utc(row.starts_at), ends_at=ensure_utc(row.ends_at),
        community_ids=community_ids, opened_at=utc_or_none(row.opened_at),
        closed_at=utc_or_none(row.closed_at), live_question_id=row.live_question_id, floor_user_id=row.floor_user_id,
        floor_until=utc_or_none(row.floor_until), home_community_id=home, officer_platform=row.officer_platform,
        officer_user_id=row.officer_user_id)


@dataclass(frozen=True, slots=True)
class OfficerHost:
    """A council officer hosting a surgery with no councillor: their account and the name they go by."""

    platform: str
    user_id: str
    name: str


async def create_session(tx: AsyncSession, *, councillor_id: int | None, community_ids: list[int],
                         starts_at: datetime, ends_at: datetime, topic: str, mode: ModerationMode,
                         now: datetime, officer: OfficerHost | None = None) -> SessionView:
    """A councillor's surgery, or (`councillor_id` None) one hosted by `officer`."""
    if (councillor_id is None) == (officer is None):
        raise ValueError("a surgery has either a host councillor or an officer host")
    row = SurgerySession(councillor_id=councillor_id, topic=topic[:300], state=SessionState.SCHEDULED.value,
                         moderation_mode=mode.value, starts_at=starts_at, ends_at=ends_at, created_at=now,
                         officer_platform=officer.platform if officer else None,
                         officer_user_id=officer.user_id if officer else None,
                         officer_name=officer.name[:200] if officer else "")
    tx.add(row)
    await tx.flush()
    await tx.execute(session_communities.insert(),
                          [{"session_id": row.id, "community_id": cid} for cid in community_ids])
    return await _view(tx, row)


async def join_session(tx: AsyncSession, session_id: int, community_id: int, now: datetime) -> bool:
    """Add a community to someone else's session (a joint surgery). False when it was already in it."""
    present = await tx.scalar(select(session_communities.c.community_id).where(
        session_communities.c.session_id == session_id, session_communities.c.community_id == community_id))
    if present is not None:
        return False
    await tx.execute(session_communities.insert().values(session_id=session_id, community_id=community_id,
                                                         joined_at=now))
    return True


async def part_session(tx: AsyncSession, session_id: int, community_id: int) -> bool:
    """Take a joined community out of a session; the community it was scheduled in never leaves this way."""
    return await affected(tx, delete(session_communities).where(
        session_communities.c.session_id == session_id, session_communities.c.community_id == community_id,
        session_communities.c.joined_at.is_not(None))) > 0


async def get_session(tx: AsyncSession, session_id: int) -> SessionView | None:
    row = await tx.get(SurgerySession, session_id)
    return await _view(tx, row) if row else None


async def save_session(tx: AsyncSession, view: SessionView) -> None:
    """Write back what the state machine and the queue change."""
    await tx.execute(update(SurgerySession).where(SurgerySession.id == view.id).values(
        state=view.state.value, moderation_mode=view.mode.value, starts_at=view.starts_at, ends_at=view.ends_at,
        opened_at=view.opened_at, closed_at=view.closed_at, live_question_id=view.live_question_id,
        floor_user_id=view.floor_user_id, floor_until=view.floor_until))


async def save_report(tx: AsyncSession, session_id: int, report: dict) -> None:
    await tx.execute(update(SurgerySession).where(SurgerySession.id == session_id).values(report=report))


async def stored_report(tx: AsyncSession, session_id: int) -> dict | None:
    return await tx.scalar(select(SurgerySession.report).where(SurgerySession.id == session_id))


async def sessions_in(tx: AsyncSession, community_ids: tuple[int, ...] | list[int],
                      states: frozenset[SessionState] | None = None) -> list[SessionView]:
    # A subquery rather than JOIN + DISTINCT: PostgreSQL cannot compare the JSON report column for DISTINCT.
    linked = select(session_communities.c.session_id).where(
        session_communities.c.community_id.in_(list(community_ids)))
    query = (select(SurgerySession).where(SurgerySession.id.in_(linked))
             .order_by(SurgerySession.starts_at, SurgerySession.id))
    if states is not None:
        query = query.where(SurgerySession.state.in_([s.value for s in states]))
    return [await _view(tx, row) for row in await tx.scalars(query)]


async def current_session(tx: AsyncSession, community_id: int) -> SessionView | None:
    """The session a group is talking about: the open (or paused) one, else the next one scheduled."""
    found = await sessions_in(tx, [community_id], ACCEPTING_STATES)
    live = [s for s in found if s.state in LIVE_STATES]
    chosen = live or found
    return chosen[0] if chosen else None


async def sessions_for_staff(tx: AsyncSession, councillor_id: int | None, community_ids: set[int], *,
                             officer: tuple[str, str] | None = None) -> list[SessionView]:
    """Sessions a person may act in from their private chat: those they host (as councillor, or as the council
    officer `officer` = (platform, user id)), and those of the communities they facilitate. Running ones first,
    then the latest."""
    linked = select(session_communities.c.session_id).where(session_communities.c.community_id.in_(community_ids))
    theirs: ColumnElement[bool] = SurgerySession.id.in_(linked)
    if councillor_id is not None:
        theirs = theirs | (SurgerySession.councillor_id == councillor_id)
    if officer is not None:
        theirs = theirs | (SurgerySession.councillor_id.is_(None) & (SurgerySession.officer_platform == officer[0])
                           & (SurgerySession.officer_user_id == officer[1]))
    query = select(SurgerySession).where(SurgerySession.state != SessionState.CANCELLED.value, theirs)
    found = [await _view(tx, row) for row in await tx.scalars(query.order_by(SurgerySession.starts_at.desc(),
                                                                              SurgerySession.id.desc()))]
    return sorted(found, key=lambda s: s.state not in LIVE_STATES)


async def list_sessions(tx: AsyncSession) -> list[SessionView]:
    rows = await tx.scalars(select(SurgerySession).order_by(SurgerySession.starts_at, SurgerySession.id))
    return [await _view(tx, row) for row in rows]


# -- questions ------------------------------------------------------------------------------------------------

def _question(row: Question, votes: int = 0, label: str = "",
              copies: tuple[tuple[str, str, str], ...] = ()) -> QuestionView:
    return QuestionView(
        id=row.id, session_id=row.session_id, number=row.number, text=row.text, state=QuestionState(row.state),
        visibility=Visibility(row.visibility), asked_at=ensure_utc(row.asked_at),
        asker_person_id=row.asker_person_id, asker_platform=row.asker_platform, asker_user_id=row.asker_user_id,
        asker_name=row.asker_name, community_id=row.community_id, votes=votes, note=row.note,
        merged_into_id=row.merged_into_id, message_chat_id=row.message_chat_id,
        message_id=row.platform_message_id, carried_from_id=row.carried_from_id, community_label=label,
        copies=copies)


async def add_question(tx: AsyncSession, *, session_id: int, community_id: int | None, text: str,
                       visibility: Visibility, state: QuestionState, now: datetime,
                       asker_person_id: int | None = None, asker_platform: str | None = None,
                       asker_user_id: str | None = None, asker_name: str = "",
                       carried_from_id: int | None = None) -> QuestionView:
    number = (await tx.scalar(select(func.max(Question.number)).where(Question.session_id == session_id))
              or 0) + 1
    row = Question(session_id=session_id, community_id=community_id, number=number, text=text,
                   visibility=visibility.value, state=state.value, asker_person_id=asker_person_id,
                   asker_platform=asker_platform, asker_user_id=asker_user_id,
                   asker_name=asker_name[:200] if visibility == Visibility.PUBLIC else "",
                   carried_from_id=carried_from_id, asked_at=now, updated_at=now, note="")
    tx.add(row)
    await tx.flush()
    labels = await _community_labels(tx, session_id)
    return _question(row, label=labels.get(community_id or 0, ""))


async def _voters_by_question(tx: AsyncSession, session_id: int) -> dict[int, set[int]]:
    rows = await tx.execute(select(Vote.question_id, Vote.person_id).join(Question, Question.id == Vote.question_id)
                                 .where(Question.session_id == session_id))
    voters: dict[int, set[int]] = defaultdict(set)
    for question_id, person_id in rows:
        voters[question_id].add(person_id)
    return voters


async def questions(tx: AsyncSession, session_id: int) -> list[QuestionView]:
    """Every question of a session with its vote count; a merged question's votes count for the one it
    joined (each person once), so unmerging with /reopen gives both their own votes back."""
    rows = list(await tx.scalars(select(Question).where(Question.session_id == session_id)
                                      .order_by(Question.number)))
    voters = await _voters_by_question(tx, session_id)
    children: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        if row.merged_into_id is not None and row.state == QuestionState.MERGED.value:
            children[row.merged_into_id].append(row.id)

    def all_voters(question_id: int, seen: frozenset[int] = frozenset()) -> set[int]:
        found = set(voters.get(question_id, set()))
        for child in children.get(question_id, []):
            if child not in seen:
                found |= all_voters(child, seen | {question_id})
        return found

    labels = await _community_labels(tx, session_id)
    copies: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    if rows and labels:
        found = await tx.execute(select(QuestionCopy.question_id, QuestionCopy.platform, QuestionCopy.chat_id,
                                        QuestionCopy.message_id)
                                 .where(QuestionCopy.question_id.in_([row.id for row in rows]))
                                 .order_by(QuestionCopy.id))
        for question_id, platform, chat_id, message_id in found:
            copies[question_id].append((platform, chat_id, message_id))
    return [_question(row, len(all_voters(row.id)), labels.get(row.community_id or 0, ""),
                      tuple(copies.get(row.id, ()))) for row in rows]


async def _community_labels(tx: AsyncSession, session_id: int) -> dict[int, str]:
    """Community id → name, for a joint surgery only: a question is labelled with its community when the queue
    mixes several. Empty for a session of one community."""
    rows = (await tx.execute(select(Community.id, Community.name)
                             .join(session_communities, session_communities.c.community_id == Community.id)
                             .where(session_communities.c.session_id == session_id))).all()
    return {cid: name for cid, name in rows} if len(rows) > 1 else {}


async def add_question_copy(tx: AsyncSession, question_id: int, platform: str, chat_id: str,
                            message_id: str) -> None:
    tx.add(QuestionCopy(question_id=question_id, platform=platform, chat_id=chat_id, message_id=message_id))
    await tx.flush()


async def question_by_number(tx: AsyncSession, session_id: int, number: int) -> QuestionView | None:
    return next((q for q in await questions(tx, session_id) if q.number == number), None)


async def asked_by(tx: AsyncSession, platform: str, user_id: str, number: int) -> list[tuple[SessionView,
                                                                                                 QuestionView]]:
    """A person's question #number in sessions still taking questions (running ones first): for /withdraw in a
    private chat, where no group says which session is meant."""
    rows = await tx.scalars(select(Question.session_id).join(SurgerySession, SurgerySession.id == Question.session_id)
                            .where(Question.asker_platform == platform, Question.asker_user_id == user_id,
                                   Question.number == number,
                                   SurgerySession.state.in_([s.value for s in ACCEPTING_STATES])))
    found = []
    for session_id in rows:
        view = await get_session(tx, session_id)
        q = await question_by_number(tx, session_id, number)
        if view is not None and q is not None:
            found.append((view, q))
    return sorted(found, key=lambda pair: (pair[0].state not in LIVE_STATES, pair[0].starts_at))


async def question_by_id(tx: AsyncSession, question_id: int) -> QuestionView | None:
    row = await tx.get(Question, question_id)
    if row is None:
        return None
    return next((q for q in await questions(tx, row.session_id) if q.id == question_id), None)


async def reread_question(tx: AsyncSession, question_id: int) -> QuestionView:
    """A question this unit of work has just found or changed, as it stands now."""
    found = await question_by_id(tx, question_id)
    if found is None:
        raise LookupError(f"question {question_id} is gone")
    return found


async def set_question_state(tx: AsyncSession, question_id: int, state: QuestionState, now: datetime, *,
                             note: str | None = None, merged_into_id: int | None = None) -> None:
    values: dict = {"state": state.value, "updated_at": now, "merged_into_id": merged_into_id}
    if state == QuestionState.LIVE:
        # The first time only: a question reopened and taken again was still first taken then.
        values["taken_at"] = func.coalesce(Question.taken_at, now)
    if note is not None:
        values["note"] = note[:1000]
    await tx.execute(update(Question).where(Question.id == question_id).values(**values))


async def set_question_message(tx: AsyncSession, question_id: int, chat_id: str, message_id: str) -> None:
    await tx.execute(update(Question).where(Question.id == question_id)
                          .values(message_chat_id=chat_id, platform_message_id=message_id))


async def has_voted(tx: AsyncSession, question_id: int, person_id: int) -> bool:
    return await tx.scalar(select(Vote.id).where(Vote.question_id == question_id,
                                                      Vote.person_id == person_id)) is not None


async def add_vote(tx: AsyncSession, question_id: int, person_id: int, now: datetime) -> None:
    tx.add(Vote(question_id=question_id, person_id=person_id, created_at=now))
    await tx.flush()


async def remove_vote(tx: AsyncSession, question_id: int, person_id: int) -> None:
    await tx.execute(delete(Vote).where(Vote.question_id == question_id, Vote.person_id == person_id))


async def voter_ids(tx: AsyncSession, session_id: int) -> set[int]:
    return set().union(*(await _voters_by_question(tx, session_id)).values())


# -- casework -------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ReferralView:
    id: int
    reference: str
    question_id: int | None
    session_id: int | None
    note: str
    reply_due: datetime
    created_at: datetime


async def create_referral(tx: AsyncSession, *, question_id: int | None, person_id: int | None,
                          session_id: int | None, note: str, reply_due: datetime, now: datetime) -> ReferralView:
    # The row id makes the number unique without a race between two processes; the placeholder is replaced
    # inside the same transaction, so nobody ever sees it.
    row = CaseworkReferral(reference=f"pending-{now.timestamp()}-{question_id}", question_id=question_id,
                           person_id=person_id, session_id=session_id, note=note[:1000], reply_due=reply_due,
                           created_at=now)
    tx.add(row)
    await tx.flush()
    row.reference = reference(now.year, row.id)
    await tx.flush()
    return ReferralView(row.id, row.reference, question_id, session_id, row.note, reply_due, now)


async def referral_for_question(tx: AsyncSession, question_id: int) -> ReferralView | None:
    row = await tx.scalar(select(CaseworkReferral).where(CaseworkReferral.question_id == question_id)
                               .order_by(CaseworkReferral.id.desc()))
    if row is None:
        return None
    return ReferralView(row.id, row.reference, row.question_id, row.session_id, row.note,
                        ensure_utc(row.reply_due), ensure_utc(row.created_at))


async def referrals_for_session(tx: AsyncSession, session_id: int) -> list[ReferralView]:
    rows = await tx.scalars(select(CaseworkReferral).where(CaseworkReferral.session_id == session_id)
                                 .order_by(CaseworkReferral.id))
    return [ReferralView(r.id, r.reference, r.question_id, r.session_id, r.note, ensure_utc(r.reply_due),
                         ensure_utc(r.created_at)) for r in rows]


# -- private /ask drafts ----------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class DraftView:
    id: int
    platform: str
    user_id: str
    display_name: str
    text: str
    community_id: int | None
    expires_at: datetime


def _draft(row: AskDraft) -> DraftView:
    return DraftView(row.id, row.platform, row.user_id, row.display_name, row.text, row.community_id,
                     ensure_utc(row.expires_at))


async def create_draft(tx: AsyncSession, *, platform: str, user_id: str, display_name: str, text: str,
                       community_id: int | None, now: datetime, expires_at: datetime) -> DraftView:
    # One draft per person: a new /ask replaces an unfinished one.
    await tx.execute(delete(AskDraft).where(AskDraft.platform == platform, AskDraft.user_id == user_id))
    row = AskDraft(platform=platform, user_id=user_id, display_name=display_name[:200], text=text,
                   community_id=community_id, created_at=now, expires_at=expires_at)
    tx.add(row)
    await tx.flush()
    return _draft(row)


async def get_draft(tx: AsyncSession, draft_id: int) -> DraftView | None:
    row = await tx.get(AskDraft, draft_id)
    return _draft(row) if row else None


async def set_draft_community(tx: AsyncSession, draft_id: int, community_id: int) -> None:
    await tx.execute(update(AskDraft).where(AskDraft.id == draft_id).values(community_id=community_id))


async def delete_draft(tx: AsyncSession, draft_id: int) -> bool:
    changed = await affected(tx, delete(AskDraft).where(AskDraft.id == draft_id))
    return changed > 0
