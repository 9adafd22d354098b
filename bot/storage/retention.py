"""The retention purge: deletes what `facilitation.retention` says is due, in the caller's unit of work, and
counts it per category. Rows removed by a foreign-key cascade (a session's questions and votes) are counted
before the delete, so the report says what really went."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Delete, Select, delete, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import ensure_utc, utc_or_none
from bot.storage.models import (
    AskDraft,
    AuditRow,
    BanRequest,
    CaseworkReferral,
    Community,
    Councillor,
    Facilitator,
    ListeningCount,
    ModerationCase,
    PendingPrivateNote,
    Person,
    PolicyVersion,
    ProcessedUpdate,
    Question,
    SurgerySession,
    Timer,
    Vote,
    session_communities,
)
from bot.storage.rows import affected
from facilitation.casework import ReferralStatus
from facilitation.retention import Category, Cutoffs, community_due, session_due
from facilitation.sessions import FINAL_STATES


async def _count(tx: AsyncSession, query: Select[Any]) -> int:
    return int(await tx.scalar(select(func.count()).select_from(query.subquery())) or 0)


async def _delete_sessions(tx: AsyncSession, session_ids: list[int], counts: dict[Category, int]) -> None:
    if not session_ids:
        return
    question_ids = select(Question.id).where(Question.session_id.in_(session_ids))
    counts[Category.VOTES] += await _count(tx, select(Vote.id).where(Vote.question_id.in_(question_ids)))
    counts[Category.QUESTIONS] += await _count(tx, question_ids)
    counts[Category.SESSIONS] += await affected(tx, delete(SurgerySession).where(SurgerySession.id.in_(session_ids)))


async def _purge_left_community(tx: AsyncSession, community: Community, counts: dict[Category, int]) -> bool:
    """Everything about a group that removed the bot, except the row that keeps it on the do-not-rejoin list."""
    cid, removed = community.id, 0
    for model in (Facilitator, AskDraft, ListeningCount, BanRequest, PolicyVersion):
        removed += await affected(tx, delete(model).where(model.community_id == cid))
    cases = await affected(tx, delete(ModerationCase).where(ModerationCase.community_id == cid))
    counts[Category.CASES] += cases
    questions = select(Question.id).where(Question.community_id == cid)
    votes = await _count(tx, select(Vote.id).where(Vote.question_id.in_(questions)))
    gone = await affected(tx, delete(Question).where(Question.community_id == cid))
    counts[Category.VOTES] += votes
    counts[Category.QUESTIONS] += gone
    await tx.execute(session_communities.delete().where(session_communities.c.community_id == cid))
    # A joint surgery keeps running for its other groups; one that was only here goes.
    orphaned = list(await tx.scalars(select(SurgerySession.id).where(~exists().where(
        session_communities.c.session_id == SurgerySession.id))))
    await _delete_sessions(tx, orphaned, counts)
    scrubbed = community.accepted_by is not None or community.missing_rights != ""
    if scrubbed:
        community.accepted_by, community.missing_rights = None, ""
    return bool(removed or cases or gone or orphaned or scrubbed)


async def purge(tx: AsyncSession, cut: Cutoffs) -> dict[Category, int]:
    """Delete everything due at `cut`. Returns how many rows went, per category (every category present)."""
    counts = {category: 0 for category in Category}

    left = (await tx.scalars(select(Community).where(Community.state == "left"))).all()
    for community in left:
        left_at = utc_or_none(community.left_at)
        if community_due(left=True, left_at=left_at, cut=cut) and await _purge_left_community(tx, community,
                                                                                              counts):
            counts[Category.LEFT_COMMUNITIES] += 1

    finished = await tx.execute(select(SurgerySession.id, SurgerySession.closed_at, SurgerySession.ends_at)
                                     .where(SurgerySession.state.in_([s.value for s in FINAL_STATES])))
    due = [sid for sid, closed_at, ends_at in finished
           if session_due(finished=True, ended_at=ensure_utc(closed_at or ends_at), cut=cut)]
    await _delete_sessions(tx, due, counts)

    async def remove(category: Category, statement: Delete) -> None:
        counts[category] += await affected(tx, statement)

    # A referral the council still owes a reply on is kept past its retention period until it is closed
    # (facilitation.casework.kept_after_retention).
    await remove(Category.CASEWORK, delete(CaseworkReferral).where(
        CaseworkReferral.created_at < cut.sessions, CaseworkReferral.status == ReferralStatus.CLOSED.value))
    await remove(Category.DRAFTS, delete(AskDraft).where(AskDraft.expires_at < cut.now))
    await remove(Category.HELD_NOTES, delete(PendingPrivateNote).where(PendingPrivateNote.created_at < cut.sessions))
    await remove(Category.CASES, delete(ModerationCase).where(ModerationCase.created_at < cut.cases))
    await remove(Category.AUDIT, delete(AuditRow).where(AuditRow.at < cut.audit))
    await remove(Category.PROCESSED_UPDATES, delete(ProcessedUpdate).where(
        ProcessedUpdate.processed_at < cut.processed_updates))
    await remove(Category.BAN_REQUESTS, delete(BanRequest).where(BanRequest.expires_at < cut.processed_updates))
    await remove(Category.TIMERS, delete(Timer).where(or_(Timer.fired_at < cut.processed_updates,
                                                          Timer.cancelled_at < cut.processed_updates)))
    # A person nothing refers to any more (their questions, votes and cases have gone) goes too.
    referenced = or_(exists().where(Question.asker_person_id == Person.id), exists().where(Vote.person_id == Person.id),
                     exists().where(CaseworkReferral.person_id == Person.id),
                     exists().where(ModerationCase.target_person_id == Person.id),
                     exists().where(Councillor.person_id == Person.id))
    await remove(Category.PEOPLE, delete(Person).where(Person.created_at < cut.sessions, ~referenced)
                 .execution_options(synchronize_session=False))
    return counts

