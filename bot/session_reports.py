"""The operator's view of surgeries: `surgerybot sessions list|show` and `surgerybot report`. The CLI and the
demo both call these. A closed session's report is the one stored at close, with the follow-ups accepted since;
an unfinished one is built now. `--format html` draws the one-page report (bot/reports/session_page.py)."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.errors import UserInputError
from bot.storage import communities, report_facts
from bot.storage import sessions as store
from bot.storage.database import Database
from facilitation.queue import Visibility
from facilitation.session_figures import reflect_follow_ups
from facilitation.sessions import SessionView
from facilitation.summary import build_report, host_for_staff, local_time, report_markdown

REPORT_FORMATS = ("md", "json", "html")


class SessionReports:
    def __init__(self, db: Database, clock: Clock, zone: ZoneInfo = ZoneInfo("UTC"), council: str = "") -> None:
        self.db = db
        self.clock = clock
        self.zone = zone  # the council's: what people read is local; --json and stored reports keep ISO UTC
        self.council = council

    async def _names(self, tx: AsyncSession, view: SessionView) -> list[str]:
        return list((await self._name_map(tx, view)).values())

    async def _name_map(self, tx: AsyncSession, view: SessionView) -> dict[int, str]:
        """Community id → name for every community of the session (a joint surgery has several)."""
        found = [await communities.community_by_id(tx, cid) for cid in view.community_ids]
        return {c.id: c.name for c in found if c is not None}

    def _row(self, view: SessionView, names: list[str], questions: int) -> dict[str, Any]:
        return {"id": view.id, "state": str(view.state), "host": host_for_staff(view), "topic": view.topic,
                "mode": str(view.mode), "starts_at": view.starts_at.isoformat(), "ends_at": view.ends_at.isoformat(),
                "communities": ", ".join(names), "questions": questions}

    async def list_sessions(self) -> list[dict[str, Any]]:
        async with self.db.unit_of_work() as tx:
            rows = []
            for view in await store.list_sessions(tx):
                rows.append(self._row(view, await self._names(tx, view),
                                      len(await store.questions(tx, view.id))))
        return rows

    async def _session(self, tx: AsyncSession, session_id: int) -> SessionView:
        view = await store.get_session(tx, session_id)
        if view is None:
            raise UserInputError(f"There is no session {session_id}. See `surgerybot sessions list`.")
        return view

    async def show_session(self, session_id: int) -> dict[str, Any]:
        async with self.db.unit_of_work() as tx:
            view = await self._session(tx, session_id)
            questions = await store.questions(tx, view.id)
            referrals = await store.referrals_for_session(tx, view.id)
            names = await self._name_map(tx, view)
            row = self._row(view, list(names.values()), len(questions))
        numbers = {q.id: q.number for q in questions}
        # The operator sees what was asked but not who asked it; private questions stay with the host.
        row["questions"] = [{"number": q.number, "state": str(q.state), "visibility": str(q.visibility),
                             "votes": q.votes, "text": q.text if q.visibility != Visibility.PRIVATE else None,
                             "note": q.note,
                             "community": names.get(q.community_id) if q.community_id is not None else None}
                            for q in questions]
        row["referrals"] = [{"reference": r.reference, "question": numbers.get(r.question_id) if r.question_id is not None else None,
                             "reply_due": r.reply_due.isoformat(), "note": r.note} for r in referrals]
        return row

    def local_times(self, row: dict[str, Any]) -> dict[str, Any]:
        """A listing's row for reading: its times in the council's zone."""
        times: dict[str, Any] = {key: local_time(row[key], self.zone) for key in ("starts_at", "ends_at") if key in row}
        shown: dict[str, Any] = {**row, **times}
        if "referrals" in row:
            shown["referrals"] = [{**r, "reply_due": local_time(r["reply_due"], self.zone)} for r in row["referrals"]]
        return shown

    async def report(self, session_id: int) -> dict[str, Any]:
        async with self.db.unit_of_work() as tx:
            view = await self._session(tx, session_id)
            stored = await store.stored_report(tx, view.id)
            if stored is not None:
                return reflect_follow_ups(stored, await report_facts.follow_ups(tx, view))
            questions = await store.questions(tx, view.id)
            voters = await store.voter_ids(tx, view.id)
            names = await self._name_map(tx, view)
        return build_report(view, list(names.values()), questions, voters, carried_to=None,
                            generated_at=self.clock.now(), community_names=names)

    async def html_report(self, session_id: int) -> str:
        from bot.reports.session_page import session_html

        async with self.db.unit_of_work() as tx:
            view = await self._session(tx, session_id)
            stored = await store.stored_report(tx, view.id)
            facts = await report_facts.session_facts(
                tx, view, carried_to=(stored or {}).get("carried_to_session"), now=self.clock.now())
        return session_html(facts, zone=self.zone, council=self.council, generated_at=self.clock.now())

    async def render_report(self, session_id: int, fmt: str) -> str:
        import json

        if fmt not in REPORT_FORMATS:
            raise UserInputError(f"Unknown format {fmt!r}: use md, json or html.")
        if fmt == "html":
            return await self.html_report(session_id)
        report = await self.report(session_id)
        if fmt == "json":
            return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
        return report_markdown(report, self.zone) + follow_ups_markdown(report)


def follow_ups_markdown(report: dict[str, Any]) -> str:
    """The follow-ups accepted after close, under the stored report's Markdown (which facilitation/summary.py owns)."""
    rows = report.get("follow_ups_after_close") or []
    if not rows:
        return ""
    lines = ["", "## Follow-ups accepted after close", "", "| # | reference | accepted | reply due |", "|---|---|---|---|"]
    lines += [f"| {r['question']} | {r['reference']} | {r['accepted_at']} | {r['reply_due']} |" for r in rows]
    return "\n".join([*lines, "", ""])
