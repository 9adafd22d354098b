"""The council-wide figures behind `surgerybot insight`, aggregated in SQL: a thousand surgeries and fifty thousand
questions come back as a few dozen numbers and rows, never as ORM objects looped over in Python.

The period is [start, end) in UTC (the CLI turns the council's local dates into it). With a community, surgeries
are those it took part in and questions those asked from it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, distinct, func, or_, select, union
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import ensure_utc
from bot.storage.models import (
    AuditRow,
    CaseworkReferral,
    Community,
    ListeningCount,
    ModerationCase,
    Question,
    SurgerySession,
    Vote,
    session_communities,
)
from facilitation.insight_figures import CaseworkOnTime, CommunityChange, InsightFacts, RuleCases
from facilitation.queue import QuestionState

# A question that was never reached, then got a follow-up after close, was referred all the same.
_FOLLOW_UP_STATES = [QuestionState.PENDING.value, QuestionState.QUEUED.value, QuestionState.LIVE.value,
                     QuestionState.PARKED.value]
_CHANGES = {"community_activated": "joined", "community_left": "left"}


@dataclass(frozen=True, slots=True)
class Period:
    start: datetime | None  # UTC, inclusive
    end: datetime | None  # UTC, exclusive
    first_day: str | None  # the same period as council days (YYYY-MM-DD), for listening counts
    last_day: str | None
    community_id: int | None = None


def _within(column: Any, period: Period) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if period.start is not None:
        found.append(column >= period.start)
    if period.end is not None:
        found.append(column < period.end)
    return found


def _held(period: Period) -> list[ColumnElement[bool]]:
    """Surgeries held in the period: opened then, and closed since (a cancelled one was never held)."""
    conditions: list[ColumnElement[bool]] = [SurgerySession.state == "closed", SurgerySession.opened_at.is_not(None),
                                             *_within(SurgerySession.opened_at, period)]
    if period.community_id is not None:
        conditions.append(SurgerySession.id.in_(select(session_communities.c.session_id)
                                                .where(session_communities.c.community_id == period.community_id)))
    return conditions


def _questions(period: Period) -> list[ColumnElement[bool]]:
    held = select(SurgerySession.id).where(*_held(period))
    conditions: list[ColumnElement[bool]] = [Question.session_id.in_(held)]
    if period.community_id is not None:
        conditions.append(Question.community_id == period.community_id)
    return conditions


def _wait_seconds(dialect: str) -> ColumnElement[Any]:
    if dialect == "postgresql":
        return func.extract("epoch", Question.taken_at - Question.asked_at)
    return (func.julianday(Question.taken_at) - func.julianday(Question.asked_at)) * 86400.0


async def _median_wait(tx: AsyncSession, period: Period) -> float | None:
    """The median in SQL on both databases: count, then read the one or two middle values in order."""
    wait = _wait_seconds(tx.get_bind().dialect.name)
    taken = [*_questions(period), Question.taken_at.is_not(None)]
    count = await tx.scalar(select(func.count()).select_from(Question).where(*taken)) or 0
    if count == 0:
        return None
    middle = list(await tx.scalars(select(wait).where(*taken).order_by(wait)
                                   .offset((count - 1) // 2).limit(2 if count % 2 == 0 else 1)))
    return float(sum(middle) / len(middle))


async def _participants(tx: AsyncSession, period: Period) -> int:
    asked = select(Question.asker_person_id.label("person")).where(*_questions(period),
                                                                   Question.asker_person_id.is_not(None))
    voted = select(Vote.person_id.label("person")).join(Question, Question.id == Vote.question_id) \
        .where(*_questions(period))
    people = union(asked, voted).subquery()
    return await tx.scalar(select(func.count()).select_from(people)) or 0


async def _question_counts(tx: AsyncSession, period: Period) -> tuple[int, int, int]:
    followed_up = and_(Question.state.in_(_FOLLOW_UP_STATES),
                       Question.id.in_(select(CaseworkReferral.question_id)
                                       .where(CaseworkReferral.question_id.is_not(None))))
    row = (await tx.execute(select(
        # A question carried over from an earlier surgery was asked once, then.
        func.count(case((Question.carried_from_id.is_(None), 1))),
        func.count(case((Question.state == QuestionState.ANSWERED.value, 1))),
        func.count(case((or_(Question.state == QuestionState.REFERRED.value, followed_up), 1))),
    ).where(*_questions(period)))).one()
    return int(row[0]), int(row[1]), int(row[2])


async def _cases(tx: AsyncSession, period: Period) -> tuple[RuleCases, ...]:
    conditions = _within(ModerationCase.created_at, period)
    if period.community_id is not None:
        conditions.append(ModerationCase.community_id == period.community_id)
    reversed_ = ModerationCase.reversed_at.is_not(None)
    rows = await tx.execute(
        select(ModerationCase.clause, func.count(),
               func.count(case((ModerationCase.dry_run.is_(True), 1))),
               func.count(case((reversed_, 1))),
               func.count(case((and_(reversed_, ModerationCase.reversed_by != ModerationCase.actor), 1))))
        .where(*conditions).group_by(ModerationCase.clause).order_by(ModerationCase.clause))
    return tuple(RuleCases(clause, int(n), int(dry), int(rev), int(upheld)) for clause, n, dry, rev, upheld in rows)


async def _appeals(tx: AsyncSession, period: Period) -> int | None:
    # An appeal is forwarded privately to one facilitator (bot/moderation/reports.py): its audit row names no
    # community, so there is no per-community count.
    if period.community_id is not None:
        return None
    count = await tx.scalar(select(func.count()).select_from(AuditRow).where(
        AuditRow.action == "SendMessage", AuditRow.reason == "/appeal", *_within(AuditRow.at, period)))
    return int(count or 0)


async def _community_changes(tx: AsyncSession, period: Period) -> tuple[CommunityChange, ...]:
    query = (select(AuditRow.at, AuditRow.action, Community.name)
             .join(Community, and_(Community.platform == AuditRow.platform, Community.space_id == AuditRow.chat_id))
             .where(AuditRow.action.in_(list(_CHANGES)), *_within(AuditRow.at, period))
             .order_by(AuditRow.at, AuditRow.id))
    if period.community_id is not None:
        query = query.where(Community.id == period.community_id)
    return tuple(CommunityChange(ensure_utc(at), _CHANGES[action], name)
                 for at, action, name in await tx.execute(query))


async def _listening(tx: AsyncSession, period: Period) -> tuple[tuple[tuple[str, str, int], ...], tuple[str, ...]]:
    conditions = []
    if period.first_day is not None:
        conditions.append(ListeningCount.day >= period.first_day)
    if period.last_day is not None:
        conditions.append(ListeningCount.day <= period.last_day)
    if period.community_id is not None:
        conditions.append(ListeningCount.community_id == period.community_id)
    rows = await tx.execute(select(ListeningCount.day, ListeningCount.theme, func.sum(ListeningCount.count))
                            .where(*conditions).group_by(ListeningCount.day, ListeningCount.theme)
                            .order_by(ListeningCount.day, ListeningCount.theme))
    names = await tx.scalars(select(Community.name).distinct()
                             .join(ListeningCount, ListeningCount.community_id == Community.id)
                             .where(*conditions).order_by(Community.name))
    return tuple((day, theme, int(n)) for day, theme, n in rows), tuple(names)


async def casework_on_time(tx: AsyncSession, period: Period) -> CaseworkOnTime:
    """Casework replied on time: referrals whose reply date fell in the period, and how many the council replied
    to (`surgerybot casework reply`) by that date. Narrowed to a community by the question each came from."""
    conditions = [*_within(CaseworkReferral.reply_due, period)]
    if period.community_id is not None:
        conditions.append(CaseworkReferral.question_id.in_(
            select(Question.id).where(Question.community_id == period.community_id)))
    on_time = case((and_(CaseworkReferral.replied_at.is_not(None),
                         CaseworkReferral.replied_at <= CaseworkReferral.reply_due), 1), else_=0)
    due, replied = (await tx.execute(select(func.count(CaseworkReferral.id), func.coalesce(func.sum(on_time), 0))
                                     .where(*conditions))).one()
    return CaseworkOnTime(due=int(due), replied_on_time=int(replied))


async def insight_facts(tx: AsyncSession, period: Period) -> InsightFacts:
    held_at = [ensure_utc(at) for at in await tx.scalars(select(SurgerySession.opened_at).where(*_held(period)))
               if at is not None]
    per_community = select(Community.name, func.count(distinct(session_communities.c.session_id))) \
        .join(session_communities, session_communities.c.community_id == Community.id) \
        .where(session_communities.c.session_id.in_(select(SurgerySession.id).where(*_held(period)))) \
        .group_by(Community.id, Community.name)
    if period.community_id is not None:
        per_community = per_community.where(Community.id == period.community_id)
    asked, answered, referred = await _question_counts(tx, period)
    listening, listening_names = await _listening(tx, period)
    return InsightFacts(
        held_at=tuple(held_at), per_community=tuple((name, int(n)) for name, n in await tx.execute(per_community)),
        participants=await _participants(tx, period), asked=asked, answered=answered, referred=referred,
        median_wait_seconds=await _median_wait(tx, period), casework=await casework_on_time(tx, period),
        cases=await _cases(tx, period), appeals=await _appeals(tx, period),
        community_changes=await _community_changes(tx, period), listening=listening,
        listening_communities=listening_names)

