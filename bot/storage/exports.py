"""Flat rows for the operator's exports (`surgerybot export …`): casework to follow up, moderation cases, and
sessions. Casework rows name the resident's platform identity, because replying to them is the purpose."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import ensure_utc
from facilitation.summary import officer_for_staff
from bot.storage.models import (
    CaseworkReferral,
    Community,
    Councillor,
    ModerationCase,
    Question,
    SurgerySession,
    session_communities,
)


def _iso(value: datetime | None) -> str | None:
    return ensure_utc(value).isoformat() if value else None


async def casework_rows(tx: AsyncSession) -> list[dict[str, Any]]:
    query = (select(CaseworkReferral, Question).outerjoin(Question, Question.id == CaseworkReferral.question_id)
             .order_by(CaseworkReferral.id))
    names = dict((await tx.execute(select(Community.id, Community.name))).tuples().all())
    rows = []
    for referral, question in (await tx.execute(query)).all():
        rows.append({
            "reference": referral.reference,
            "session_id": referral.session_id,
            "question_number": question.number if question else None,
            "question": question.text if question else "",
            "platform": question.asker_platform if question else None,
            "user_id": question.asker_user_id if question else None,
            "note": referral.note,
            "reply_due": _iso(referral.reply_due),
            "created_at": _iso(referral.created_at),
            "community": names.get(question.community_id) if question and question.community_id else None,
            "status": referral.status,
            "status_note": referral.status_note,
            "replied_at": _iso(referral.replied_at),
            "closed_at": _iso(referral.closed_at),
        })
    return rows


async def case_rows(tx: AsyncSession) -> list[dict[str, Any]]:
    query = (select(ModerationCase, Community.name).join(Community, Community.id == ModerationCase.community_id)
             .order_by(ModerationCase.community_id, ModerationCase.number))
    return [{
        "community": name, "number": case.number, "action": case.action, "clause": case.clause,
        "actor": case.actor, "target_user_id": case.target_user_id, "reason": case.reason,
        "evidence": case.evidence, "dry_run": case.dry_run, "created_at": _iso(case.created_at),
        "expires_at": _iso(case.expires_at), "reversed_at": _iso(case.reversed_at), "reversed_by": case.reversed_by,
    } for case, name in (await tx.execute(query)).all()]


async def session_rows(tx: AsyncSession) -> list[dict[str, Any]]:
    counts = dict((await tx.execute(select(Question.session_id, func.count()).group_by(Question.session_id)))
                  .all())
    answered = dict((await tx.execute(select(Question.session_id, func.count())
                                            .where(Question.state == "answered").group_by(Question.session_id))).all())
    names: dict[int, list[str]] = {}
    for session_id, name in (await tx.execute(
            select(session_communities.c.session_id, Community.name)
            .join(Community, Community.id == session_communities.c.community_id))).all():
        names.setdefault(session_id, []).append(name)
    # An outer join: a surgery a council officer hosts has no councillor.
    query = (select(SurgerySession, Councillor.name)
             .outerjoin(Councillor, Councillor.id == SurgerySession.councillor_id)
             .order_by(SurgerySession.starts_at, SurgerySession.id))
    return [{
        "id": row.id, "state": row.state,
        "host": host if row.councillor_id is not None else officer_for_staff(row.officer_name), "topic": row.topic,
        "communities": "; ".join(sorted(names.get(row.id, []))), "starts_at": _iso(row.starts_at),
        "ends_at": _iso(row.ends_at), "opened_at": _iso(row.opened_at), "closed_at": _iso(row.closed_at),
        "questions": counts.get(row.id, 0), "answered": answered.get(row.id, 0),
    } for row, host in (await tx.execute(query)).all()]


EXPORTS = {"casework": casework_rows, "cases": case_rows, "sessions": session_rows}
