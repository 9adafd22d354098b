"""What a session's report page is drawn from (facilitation/session_figures.py): its questions with when they were
asked and taken, its voters as opaque numbers, the moderation cases in its communities while it ran, and the
follow-ups accepted after it closed. No asker's name or platform id leaves this module."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import ensure_utc, utc_or_none
from bot.storage import sessions as store
from bot.storage.models import CaseworkReferral, Community, ModerationCase, Question
from facilitation.queue import Visibility
from facilitation.session_figures import CaseFact, FollowUpFact, QuestionFact, SessionFacts
from facilitation.sessions import SessionView
from facilitation.summary import host_for_staff


async def _names(tx: AsyncSession, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = await tx.execute(select(Community.id, Community.name).where(Community.id.in_(ids)))
    return {cid: name for cid, name in rows}


async def _cases(tx: AsyncSession, view: SessionView, names: dict[int, str], now: datetime) -> tuple[CaseFact, ...]:
    """Cases in the session's communities while it was open (or paused): what its moderation amounted to."""
    if view.opened_at is None or not view.community_ids:
        return ()
    rows = await tx.execute(
        select(ModerationCase.clause, ModerationCase.action, ModerationCase.community_id, ModerationCase.dry_run,
               ModerationCase.reversed_at)
        .where(ModerationCase.community_id.in_(list(view.community_ids)),
               ModerationCase.created_at >= view.opened_at, ModerationCase.created_at <= (view.closed_at or now))
        .order_by(ModerationCase.id))
    return tuple(CaseFact(clause, action, names.get(cid, ""), bool(dry_run), reversed_at is not None)
                 for clause, action, cid, dry_run, reversed_at in rows)


async def follow_ups(tx: AsyncSession, view: SessionView) -> tuple[FollowUpFact, ...]:
    if view.closed_at is None:
        return ()
    rows = await tx.execute(
        select(Question.number, CaseworkReferral.reference, CaseworkReferral.created_at, CaseworkReferral.reply_due)
        .join(Question, Question.id == CaseworkReferral.question_id)
        .where(CaseworkReferral.session_id == view.id, CaseworkReferral.created_at > view.closed_at)
        .order_by(Question.number))
    return tuple(FollowUpFact(number, reference, ensure_utc(created), ensure_utc(due))
                 for number, reference, created, due in rows)


def summary_states(report: dict | None) -> dict[int, str]:
    """Question number → state, as the report stored at close had it."""
    if not report:
        return {}
    return {int(q["number"]): str(q["state"]) for q in report.get("questions", []) if "number" in q}


async def session_facts(tx: AsyncSession, view: SessionView, *, carried_to: int | None,
                        now: datetime) -> SessionFacts:
    questions = await store.questions(tx, view.id)
    taken = dict((await tx.execute(select(Question.id, Question.taken_at)
                                   .where(Question.session_id == view.id))).all())
    community_ids = sorted({*view.community_ids, *(q.community_id for q in questions if q.community_id)})
    names = await _names(tx, community_ids)
    facts = tuple(QuestionFact(
        number=q.number, state=q.state, visibility=q.visibility, votes=q.votes,
        # A private question's text never leaves storage for a report.
        text="" if q.visibility == Visibility.PRIVATE else q.text,
        community=names.get(q.community_id, "") if q.community_id else "", asker=q.asker_person_id,
        asked_at=q.asked_at, taken_at=utc_or_none(taken.get(q.id))) for q in questions)
    return SessionFacts(
        id=view.id, topic=view.topic, host=host_for_staff(view), state=str(view.state), mode=str(view.mode),
        communities=tuple(names[c] for c in view.community_ids if c in names), starts_at=view.starts_at,
        ends_at=view.ends_at, opened_at=view.opened_at, closed_at=view.closed_at, carried_to=carried_to,
        questions=facts, voters=frozenset(await store.voter_ids(tx, view.id)),
        cases=await _cases(tx, view, names, now), follow_ups=await follow_ups(tx, view),
        summary_states=summary_states(await store.stored_report(tx, view.id)))
