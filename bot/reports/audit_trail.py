"""`surgerybot audit list`: the audit trail as an operator reads it — refused adds, leaves, every platform call
with its outcome — newest first, a page at a time, times in the council's zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from bot.errors import UserInputError
from bot.reports.times import local_compact, local_iso
from bot.storage import audit, communities
from bot.storage.database import Database

MAX_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class TrailPage:
    page: int
    limit: int
    total: int
    rows: list[dict[str, Any]]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.limit))

    def as_json(self) -> dict[str, Any]:
        return {"page": self.page, "pages": self.pages, "limit": self.limit, "total": self.total, "rows": self.rows}


def parse_since(text: str | None, zone: ZoneInfo) -> datetime | None:
    """`2026-11-25` (from the start of that council day) or `2026-11-25 18:30` (council time, unless it says
    otherwise)."""
    if text is None or not text.strip():
        return None
    cleaned = text.strip()
    try:
        if len(cleaned) == 10:
            when = datetime.combine(date.fromisoformat(cleaned), time(0), zone)
        else:
            when = datetime.fromisoformat(cleaned)
    except ValueError:
        raise UserInputError(f"--since takes a date like 2026-11-25 or a time like '2026-11-25 18:30', "
                             f"not {text!r}.") from None
    # Compared in UTC, as stored (SQLite keeps times as text and would ignore any other offset).
    try:
        return (when if when.tzinfo is not None else when.replace(tzinfo=zone)).astimezone(UTC)
    except OverflowError:
        raise UserInputError("--since is at the very edge of the calendar; choose a time nearer today.") from None


class AuditTrail:
    def __init__(self, db: Database, zone: ZoneInfo) -> None:
        self.db = db
        self.zone = zone

    def _row(self, entry: audit.AuditEntry) -> dict[str, Any]:
        return {"id": entry.id, "at": local_iso(entry.at, self.zone), "when": local_compact(entry.at, self.zone),
                "platform": entry.platform, "chat": entry.chat_id or "", "actor": entry.actor,
                "action": entry.action, "target": entry.target or "", "reason": entry.reason,
                "outcome": entry.outcome}

    async def page(self, *, community: str | None = None, since: str | None = None, action: str | None = None,
                   limit: int = 50, page: int = 1) -> TrailPage:
        if not 1 <= limit <= MAX_LIMIT:
            raise UserInputError(f"--limit must be between 1 and {MAX_LIMIT}.")
        if page < 1:
            raise UserInputError("--page starts at 1.")
        action = action.strip() if action else None
        found = audit.AuditFilter(since=parse_since(since, self.zone), action=action or None)
        async with self.db.unit_of_work() as tx:
            if community is not None:
                place = await communities.community_by_name(tx, community)
                if place is None:
                    raise UserInputError(f"There is no community named {community!r}. "
                                         "See `surgerybot communities list`.")
                chats, targets = await audit.community_filter(tx, place.id)
                found = audit.AuditFilter(since=found.since, action=found.action, chats=chats, targets=targets)
            entries, total = await audit.trail(tx, found, limit=limit, offset=(page - 1) * limit)
            known = await audit.actions(tx) if action and total == 0 else []
        if action and total == 0 and action not in known:
            raise UserInputError(f"No audit row has the action {action!r}. Actions recorded: "
                                 f"{', '.join(known) or 'none yet'}.")
        return TrailPage(page, limit, total, [self._row(e) for e in entries])
