"""`surgerybot insight`: the council-wide picture for a period (council days, inclusive) and optionally one
community, as an HTML page with charts, Markdown, or JSON for other tools."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.errors import UserInputError
from bot.reports.times import local_iso
from bot.storage import communities
from bot.storage.database import Database
from bot.storage.insight import Period, insight_facts
from facilitation.insight_figures import Insight, as_json, insight

INSIGHT_FORMATS = ("html", "md", "json")


def parse_day(text: str | None, option: str) -> date | None:
    if text is None or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UserInputError(f"{option} takes a date like 2026-11-01, not {text!r}.") from None


def period(first: date | None, last: date | None, zone: ZoneInfo, community_id: int | None = None) -> Period:
    """Council days [first, last], both included, as UTC bounds: a surgery at 00:30 local on the first day counts."""
    if first is not None and last is not None and first > last:
        raise UserInputError(f"--from {first} is after --to {last}: nothing lies between them.")
    # In UTC, as everything is stored: SQLite keeps times as text and would drop any other offset unread.
    try:
        start = datetime.combine(first, time(0), zone).astimezone(UTC) if first else None
        end = datetime.combine(last + timedelta(days=1), time(0), zone).astimezone(UTC) if last else None
    except OverflowError:
        raise UserInputError("Those dates are at the very edge of the calendar; choose ones nearer today.") from None
    return Period(start=start, end=end, first_day=first.isoformat() if first else None,
                  last_day=last.isoformat() if last else None, community_id=community_id)


class InsightReports:
    def __init__(self, db: Database, clock: Clock, zone: ZoneInfo, council: str) -> None:
        self.db = db
        self.clock = clock
        self.zone = zone
        self.council = council

    async def insight(self, first: date | None, last: date | None, community: str | None) -> Insight:
        async with self.db.unit_of_work() as tx:
            community_id = None
            if community is not None:
                found = await communities.community_by_name(tx, community)
                if found is None:
                    raise UserInputError(f"There is no community named {community!r}. "
                                         "See `surgerybot communities list`.")
                community_id = found.id
            facts = await insight_facts(tx, period(first, last, self.zone, community_id))
        return insight(facts, self.zone, first_day=first, last_day=last, community=community)

    async def render(self, fmt: str, first: date | None, last: date | None, community: str | None) -> str:
        if fmt not in INSIGHT_FORMATS:
            raise UserInputError(f"Unknown format {fmt!r}: use html, md or json.")
        found = await self.insight(first, last, community)
        if fmt == "json":
            return json.dumps(as_json(found, lambda at: local_iso(at, self.zone) or ""), indent=2,
                              ensure_ascii=False) + "\n"
        if fmt == "md":
            from bot.reports.insight_text import insight_markdown

            return insight_markdown(found, zone=self.zone, council=self.council, generated_at=self.clock.now())
        from bot.reports.insight_page import insight_html

        return insight_html(found, zone=self.zone, council=self.council, generated_at=self.clock.now())
