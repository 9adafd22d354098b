"""A data subject's records across every community: the export behind /mydata and `surgerybot subject export`,
and the erasure behind /forgetme and `surgerybot subject erase`. A subject is one platform identity.

The export holds only what is about the subject: other people's names, ids and question texts never appear
(a vote shows the session and question number, a case says "a facilitator", not who)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import (
    AskDraft,
    AuditRow,
    MemberJoin,
    BanRequest,
    CaseworkReferral,
    Community,
    Councillor,
    Facilitator,
    Identity,
    LanguageChoice,
    ModerationCase,
    Person,
    PolicyVersion,
    Question,
    SurgerySession,
    Timer,
    Vote,
)
from bot.storage import held_notes
from bot.storage.rows import affected
from facilitation.cases import MANUAL
from facilitation.processing import REMOVED_TEXT, ErasureCounts
from facilitation.summary import ANONYMOUS_OFFICER


@dataclass(frozen=True, slots=True)
class ErasedQuestion:
    """A question whose public message should be re-rendered without the erased text."""

    id: int
    number: int
    message_chat_id: str | None
    message_id: str | None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


async def _person_ids(tx: AsyncSession, platform: str, user_id: str) -> list[int]:
    return list(await tx.scalars(select(Identity.person_id).where(Identity.platform == platform,
                                                                        Identity.user_id == user_id)))


async def _community_names(tx: AsyncSession) -> dict[int, str]:
    return {cid: name for cid, name in await tx.execute(select(Community.id, Community.name))}


def _asked_by(person_ids: list[int], platform: str, user_id: str) -> ColumnElement[bool]:
    return or_(Question.asker_person_id.in_(person_ids),
               (Question.asker_platform == platform) & (Question.asker_user_id == user_id))


def _cases_about(person_ids: list[int], platform: str, user_id: str) -> ColumnElement[bool]:
    on_platform = select(Community.id).where(Community.platform == platform)
    return or_(ModerationCase.target_person_id.in_(person_ids),
               (ModerationCase.target_user_id == user_id) & ModerationCase.community_id.in_(on_platform))


def _hosted_by(platform: str, user_id: str) -> ColumnElement[bool]:
    """Surgeries the subject hosts or hosted as a council officer (no councillor)."""
    return SurgerySession.councillor_id.is_(None) & (SurgerySession.officer_platform == platform) \
        & (SurgerySession.officer_user_id == user_id)


def _audit_about(platform: str, user_id: str) -> ColumnElement[bool]:
    # A private chat's id is the user's id on Telegram and the local platform; group ids never are.
    return (AuditRow.platform == platform) & or_(AuditRow.actor == user_id, AuditRow.target == f"user:{user_id}",
                                                 AuditRow.chat_id == user_id)


async def export(tx: AsyncSession, platform: str, user_id: str) -> dict[str, Any]:
    """Everything stored about the subject, as a JSON-ready document."""
    person_ids = await _person_ids(tx, platform, user_id)
    names = await _community_names(tx)
    people = (await tx.scalars(select(Person).where(Person.id.in_(person_ids)).order_by(Person.id))).all()
    identities = await tx.execute(select(Identity.platform, Identity.user_id)
                                       .where(Identity.person_id.in_(person_ids)).order_by(Identity.id))
    councillors = (await tx.scalars(select(Councillor).where(Councillor.person_id.in_(person_ids)))).all()
    facilitators = (await tx.scalars(select(Facilitator).where(
        Facilitator.platform == platform, Facilitator.user_id == user_id).order_by(Facilitator.id))).all()
    questions = (await tx.scalars(select(Question).where(_asked_by(person_ids, platform, user_id))
                                       .order_by(Question.asked_at, Question.id))).all()
    votes = await tx.execute(select(Vote.created_at, Question.session_id, Question.number, Question.community_id)
                                  .join(Question, Question.id == Vote.question_id)
                                  .where(Vote.person_id.in_(person_ids)).order_by(Vote.created_at, Vote.id))
    cases = (await tx.scalars(select(ModerationCase).where(_cases_about(person_ids, platform, user_id))
                                   .order_by(ModerationCase.created_at, ModerationCase.id))).all()
    referrals = (await tx.scalars(select(CaseworkReferral).where(CaseworkReferral.person_id.in_(person_ids))
                                       .order_by(CaseworkReferral.id))).all()
    question_numbers = {q.id: q.number for q in questions}
    drafts = (await tx.scalars(select(AskDraft).where(AskDraft.platform == platform,
                                                           AskDraft.user_id == user_id))).all()
    held = await held_notes.held_for(tx, platform, user_id)
    languages = (await tx.scalars(select(LanguageChoice).where(LanguageChoice.platform == platform,
                                                               LanguageChoice.user_id == user_id))).all()
    accepted = (await tx.scalars(select(Community).where(Community.platform == platform,
                                                              Community.accepted_by == user_id))).all()
    activity = await tx.execute(select(AuditRow.at, AuditRow.action, AuditRow.reason)
                                     .where(_audit_about(platform, user_id)).order_by(AuditRow.at, AuditRow.id))
    on_platform = select(Community.id).where(Community.platform == platform)
    bans = (await tx.scalars(select(BanRequest).where(BanRequest.target_user_id == user_id,
                                                           BanRequest.community_id.in_(on_platform))
                                  .order_by(BanRequest.id))).all()
    hosted = (await tx.scalars(select(SurgerySession).where(_hosted_by(platform, user_id))
                                    .order_by(SurgerySession.starts_at, SurgerySession.id))).all()
    return {
        "subject": {"platform": platform, "user_id": user_id},
        "people": [{"display_name": p.display_name, "first_seen": _iso(p.created_at)} for p in people],
        "identities": [{"platform": p, "user_id": u} for p, u in identities],
        "councillor_roles": [{"name": c.name, "ward": c.ward, "registered": _iso(c.created_at),
                              "removed": _iso(c.removed_at)} for c in councillors],
        "facilitator_roles": [{"community": names.get(f.community_id, ""), "display_name": f.display_name,
                               "appointed_by": "the council operator" if f.appointed_by == "operator"
                               else "a community admin", "since": _iso(f.created_at)} for f in facilitators],
        "questions": [{"community": names.get(q.community_id or 0, ""), "session": q.session_id, "number": q.number,
                       "text": q.text, "visibility": q.visibility, "state": q.state, "note": q.note,
                       "name_shown": q.asker_name, "asked_at": _iso(q.asked_at), "updated_at": _iso(q.updated_at)}
                      for q in questions],
        "votes": [{"community": names.get(cid or 0, ""), "session": sid, "question_number": number,
                   "voted_at": _iso(at)} for at, sid, number, cid in votes],
        "moderation_cases": [{"community": names.get(c.community_id, ""), "number": c.number, "action": c.action,
                              "rule": c.clause, "reason": c.reason, "evidence": c.evidence,
                              "by": "an automatic rule" if c.actor == "bot" else "a facilitator",
                              "dry_run": c.dry_run, "at": _iso(c.created_at), "expires_at": _iso(c.expires_at),
                              "reversed_at": _iso(c.reversed_at)} for c in cases],
        "casework_references": [{"reference": r.reference, "note": r.note, "session": r.session_id,
                                 "question_number": question_numbers.get(r.question_id or 0),
                                 "reply_due": _iso(r.reply_due), "created_at": _iso(r.created_at),
                                 "status": r.status}
                                for r in referrals],
        "ask_drafts": [{"text": d.text, "created_at": _iso(d.created_at), "expires_at": _iso(d.expires_at)}
                       for d in drafts],
        "held_private_notes": [{"text": n.text, "held_since": _iso(n.created_at)} for n in held],
        "language_choice": [{"language": c.language, "chosen_at": _iso(c.chosen_at)} for c in languages],
        "communities_accepted": [{"community": c.name, "at": _iso(c.activated_at)} for c in accepted],
        "activity_log": [{"at": _iso(at), "action": action, "reason": reason} for at, action, reason in activity],
        "ban_requests": [{"community": names.get(b.community_id, ""), "reason": b.reason,
                          "requested_at": _iso(b.created_at), "decided_at": _iso(b.decided_at)} for b in bans],
        "surgeries_hosted_as_officer": [{"session": s.id, "name_shown": s.officer_name, "topic": s.topic,
                                         "state": s.state, "starts_at": _iso(s.starts_at)} for s in hosted],
    }


async def reasons_to_review(tx: AsyncSession, platform: str, user_id: str) -> list[tuple[int, int]]:
    """(community id, case number) of the cases about the person whose reason a facilitator typed: free text
    that may name them, which an erasure can't clean by itself; their facilitators are asked to review it."""
    person_ids = await _person_ids(tx, platform, user_id)
    rows = await tx.execute(select(ModerationCase.community_id, ModerationCase.number).where(
        _cases_about(person_ids, platform, user_id), ModerationCase.clause == MANUAL, ModerationCase.reason != "")
        .order_by(ModerationCase.community_id, ModerationCase.number))
    return [(community_id, number) for community_id, number in rows]


async def erase(tx: AsyncSession, platform: str, user_id: str, *, pseudonym: str, now: datetime,
                private_chat_id: str | None = None) -> tuple[ErasureCounts, list[ErasedQuestion]]:
    """Erase or anonymise the subject's records. Questions stay (so a live session keeps working) with their
    text replaced; cases and audit rows keep their shape under `pseudonym` (records of what the bot and
    facilitators did must stay accountable), votes, drafts, roles and the person go."""
    person_ids = await _person_ids(tx, platform, user_id)
    asked = (await tx.scalars(select(Question).where(_asked_by(person_ids, platform, user_id)))).all()
    erased = [ErasedQuestion(q.id, q.number, q.message_chat_id, q.platform_message_id) for q in asked]
    if asked:
        await tx.execute(update(Question).where(Question.id.in_([q.id for q in asked])).values(
            text=REMOVED_TEXT, note="", asker_person_id=None, asker_platform=None, asker_user_id=None,
            asker_name="", updated_at=now))
    votes = await affected(tx, delete(Vote).where(Vote.person_id.in_(person_ids)))
    on_platform = select(Community.id).where(Community.platform == platform)
    cases = await affected(tx, update(ModerationCase).where(_cases_about(person_ids, platform, user_id)).values(
        target_user_id=pseudonym, target_person_id=None, evidence=REMOVED_TEXT))
    await tx.execute(update(ModerationCase).where(ModerationCase.actor == user_id,
                                                       ModerationCase.community_id.in_(on_platform))
                          .values(actor=pseudonym))
    await tx.execute(update(ModerationCase).where(ModerationCase.reversed_by == user_id,
                                                       ModerationCase.community_id.in_(on_platform))
                          .values(reversed_by=pseudonym))
    # Ban requests and policy versions name people by platform id: keep their shape, lose the identity.
    for column in (BanRequest.target_user_id, BanRequest.requested_by, BanRequest.decided_by):
        await tx.execute(update(BanRequest).where(column == user_id, BanRequest.community_id.in_(on_platform))
                              .values({column.key: pseudonym}))
    await tx.execute(update(BanRequest).where(BanRequest.target_user_id == pseudonym,
                                                   BanRequest.community_id.in_(on_platform)).values(reason=""))
    for column in (PolicyVersion.created_by, PolicyVersion.approved_by):
        await tx.execute(update(PolicyVersion).where(column == user_id,
                                                          PolicyVersion.community_id.in_(on_platform))
                              .values({column.key: pseudonym}))
    referrals = await affected(tx, update(CaseworkReferral).where(CaseworkReferral.person_id.in_(person_ids))
                                        .values(person_id=None, note=""))
    drafts = await affected(tx, delete(AskDraft).where(AskDraft.platform == platform, AskDraft.user_id == user_id))
    await tx.execute(delete(MemberJoin).where(MemberJoin.user_id == user_id, MemberJoin.community_id.in_(on_platform)))
    held = await held_notes.forget_person(tx, platform, user_id)
    # The language they chose with /language: a preference, not a record anyone needs kept.
    language_choices = await affected(tx, delete(LanguageChoice).where(LanguageChoice.platform == platform,
                                                                       LanguageChoice.user_id == user_id))
    facilitators = await affected(tx, delete(Facilitator).where(Facilitator.platform == platform,
                                                                     Facilitator.user_id == user_id))
    councillors = await affected(tx, update(Councillor).where(Councillor.person_id.in_(person_ids))
                                          .values(person_id=None))
    await tx.execute(update(Community).where(Community.platform == platform, Community.accepted_by == user_id)
                          .values(accepted_by=pseudonym))
    # The floor goes back to the host; the session itself carries on.
    await tx.execute(update(SurgerySession).where(SurgerySession.floor_user_id == user_id)
                          .values(floor_user_id=None, floor_until=None))
    hosted = await _forget_officer_host(tx, platform, user_id)
    audit_rows = await pseudonymise_audit(tx, platform, user_id, pseudonym, private_chat_id=private_chat_id)
    await _forget_finished_timers(tx, user_id)
    identities = len(list(await tx.scalars(select(Identity.id).where(Identity.person_id.in_(person_ids)))))
    people = await affected(tx, delete(Person).where(Person.id.in_(person_ids)))
    counts = ErasureCounts(
        questions_anonymised=len(asked), votes_removed=votes, cases_pseudonymised=cases,
        casework_references_detached=referrals, drafts_removed=drafts, held_notes_removed=held,
        facilitator_roles_removed=facilitators, councillor_links_removed=councillors,
        hosted_surgeries_anonymised=hosted,
        audit_rows_pseudonymised=audit_rows, identities_removed=identities, people_removed=people,
        language_choices_removed=language_choices)
    return counts, erased


async def _forget_officer_host(tx: AsyncSession, platform: str, user_id: str) -> int:
    """Surgeries the subject hosted as a council officer keep their shape: they stay officer-hosted, shown as
    "a council officer", but lose the name and the account (no private notes go to it any more), in the report
    stored at close as well."""
    rows = (await tx.scalars(select(SurgerySession).where(_hosted_by(platform, user_id)))).all()
    for row in rows:
        report = dict(row.report) if row.report else None
        if report is not None and "host" in report:
            report["host"] = ANONYMOUS_OFFICER
        await tx.execute(update(SurgerySession).where(SurgerySession.id == row.id).values(
            officer_name="", officer_platform=None, officer_user_id=None, report=report))
    return len(rows)


async def pseudonymise_audit(tx: AsyncSession, platform: str, user_id: str, pseudonym: str, *,
                             private_chat_id: str | None = None) -> int:
    """Audit rows naming the person (as actor or target) or their private chat take the pseudonym. Run at the
    erasure and again once the bot's own replies to it (the confirmation, the button's answer) are logged."""
    changed = 0
    chats = {user_id} | ({private_chat_id} if private_chat_id else set())
    for column, values in ((AuditRow.actor, {user_id}), (AuditRow.target, {f"user:{user_id}"}),
                           (AuditRow.chat_id, chats)):
        replacement = f"user:{pseudonym}" if column is AuditRow.target else pseudonym
        changed += await affected(tx, update(AuditRow).where(AuditRow.platform == platform, column.in_(values))
                                       .values({column.key: replacement}))
    return changed


async def _forget_finished_timers(tx: AsyncSession, user_id: str) -> None:
    """Fired or cancelled timers whose payload names the subject (e.g. a host nudge) are no longer needed."""
    finished = await tx.scalars(select(Timer).where(or_(Timer.fired_at.is_not(None),
                                                             Timer.cancelled_at.is_not(None))))
    stale = [t.id for t in finished if user_id in {str(v) for v in (t.payload or {}).values()}]
    if stale:
        await tx.execute(delete(Timer).where(Timer.id.in_(stale)))
