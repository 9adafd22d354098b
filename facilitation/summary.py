"""What a closed session amounts to: the counts for the public summary and the full report for the council.
The report names no resident: questions keep their number, state, votes and visibility; a private
question's text stays out of the report too, as it was never meant for anyone beyond the host."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from facilitation.queue import UNANSWERED_STATES, QuestionState, QuestionView, Visibility
from facilitation.sessions import SessionView


@dataclass(frozen=True, slots=True)
class SessionCounts:
    asked: int
    answered: int
    parked: int
    referred: int
    dismissed: int
    merged: int
    unanswered: int
    participants: int


def count(questions: list[QuestionView], voter_ids: set[int]) -> SessionCounts:
    states = Counter(q.state for q in questions)
    people = {q.asker_person_id for q in questions if q.asker_person_id is not None} | voter_ids
    return SessionCounts(
        asked=len(questions), answered=states[QuestionState.ANSWERED], parked=states[QuestionState.PARKED],
        referred=states[QuestionState.REFERRED], dismissed=states[QuestionState.DISMISSED],
        merged=states[QuestionState.MERGED], unanswered=sum(1 for q in questions if q.state in UNANSWERED_STATES),
        participants=len(people))


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def local_time(iso: str | None, zone: tzinfo, *, date: bool = True) -> str:
    """A stored ISO time as a council officer reads it, in the council's zone: `Wed 25 Nov 2026, 18:30 GMT`
    (or just `18:30 GMT`). The stored report keeps ISO UTC; only what is printed is local."""
    if not iso:
        return "—"
    when = datetime.fromisoformat(iso).astimezone(zone)
    return when.strftime("%a %d %b %Y, %H:%M %Z" if date else "%H:%M %Z")


def host_for_staff(session: SessionView) -> str:
    """The host as reports and exports name them, in English like their other labels: a council officer (a
    surgery with no councillor) is marked as one, and named only until they ask to be forgotten."""
    if session.councillor_hosted:
        return session.host_name
    return officer_for_staff(session.host_name)


def officer_for_staff(name: str) -> str:
    return f"{name} (council officer)" if name else ANONYMOUS_OFFICER


ANONYMOUS_OFFICER = "a council officer"


def build_report(session: SessionView, communities: list[str], questions: list[QuestionView],
                 voter_ids: set[int], *, carried_to: int | None, generated_at: datetime,
                 community_names: Mapping[int, str] | None = None) -> dict[str, Any]:
    """The stored report. `community_names` (id → name) says which group each question came from, which matters
    for a joint surgery."""
    names = community_names or {}
    counts = count(questions, voter_ids)
    return {
        "session": session.id,
        "topic": session.topic,
        "host": host_for_staff(session),
        "communities": communities,
        "state": str(session.state),
        "mode": str(session.mode),
        "starts_at": _iso(session.starts_at),
        "ends_at": _iso(session.ends_at),
        "opened_at": _iso(session.opened_at),
        "closed_at": _iso(session.closed_at),
        "counts": {name: getattr(counts, name) for name in SessionCounts.__slots__},
        "carried_to_session": carried_to,
        "questions": [
            {"number": q.number, "state": str(q.state), "visibility": str(q.visibility), "votes": q.votes,
             "text": q.text if q.visibility != Visibility.PRIVATE else None, "note": q.note,
             "community": names.get(q.community_id) if q.community_id is not None else None,
             "merged_into": next((o.number for o in questions if o.id == q.merged_into_id), None),
             "asked_at": _iso(q.asked_at)}
            for q in sorted(questions, key=lambda q: q.number)],
        "generated_at": _iso(generated_at),
    }


def report_markdown(report: dict[str, Any], zone: tzinfo = ZoneInfo("UTC")) -> str:
    """The report as a council officer would read it, times in the council's `zone`. Labels are for staff,
    not residents."""
    c = report["counts"]

    def at(key: str) -> str:
        return local_time(report[key], zone)

    starts, ends = report["starts_at"], report["ends_at"]
    same_day = bool(starts and ends) and (datetime.fromisoformat(starts).astimezone(zone).date()
                                          == datetime.fromisoformat(ends).astimezone(zone).date())
    lines = [
        f"# Surgery report — session {report['session']}",
        "",
        f"- Topic: {report['topic'] or '(none)'}",
        f"- Host: {report['host']}",
        f"- Communities: {', '.join(report['communities']) or '(none)'}",
        f"- State: {report['state']} ({report['mode']} mode)",
        f"- Scheduled: {at('starts_at')} to {local_time(report['ends_at'], zone, date=not same_day)}",
        f"- Opened: {at('opened_at')}; closed: {at('closed_at')}",
        "",
        "## Counts",
        "",
        "| asked | answered | parked | referred | dismissed | merged | unanswered | participants |",
        "|---|---|---|---|---|---|---|---|",
        f"| {c['asked']} | {c['answered']} | {c['parked']} | {c['referred']} | {c['dismissed']} | {c['merged']} "
        f"| {c['unanswered']} | {c['participants']} |",
        "",
    ]
    if report.get("carried_to_session"):
        lines += [f"Unanswered questions were carried to session {report['carried_to_session']}.", ""]
    # A joint surgery's report says which group each question came from (older reports have no such field).
    joint = len(report["communities"]) > 1
    group_head, group_rule = (" group |", "---|") if joint else ("", "")
    lines += ["## Questions", "", f"| # |{group_head} state | visibility | votes | question | note |",
              f"|---|{group_rule}---|---|---|---|---|"]
    for q in report["questions"]:
        text = (q["text"] or "(private question)").replace("|", "\\|").replace("\n", " ")
        state = q["state"] + (f" into #{q['merged_into']}" if q["merged_into"] else "")
        note = (q["note"] or "").replace("|", "\\|").replace("\n", " ")
        group = f" {(q.get('community') or '—').replace('|', '/')} |" if joint else ""
        lines.append(f"| {q['number']} |{group} {state} | {q['visibility']} | {q['votes']} | {text} | {note} |")
    lines += ["", f"_Generated {at('generated_at')}_", ""]
    return "\n".join(lines)
