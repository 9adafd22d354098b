"""The council operator's casework desk (SPEC §4): every referral with its status, and recording that the council
replied or that a referral is closed. The CLI calls these; the bot's timers and the resident's answer change
statuses too (bot/handlers/casework.py)."""

from __future__ import annotations

from typing import Any

from bot.clock import Clock
from bot.errors import UserInputError
from bot.storage import audit
from bot.storage import casework as store
from bot.storage.database import Database
from facilitation.casework import CaseworkMove, CaseworkRefusal, ReferralStatus, next_status, parse_reference

REFUSALS = {
    CaseworkRefusal.ALREADY_CLOSED: "{reference} is already closed.",
    CaseworkRefusal.ALREADY_REPLIED: "{reference} is already marked replied; `casework close` closes it.",
}


def _row(r: store.CaseworkView) -> dict[str, Any]:
    return {"reference": r.reference, "status": r.status.value, "reply_due": r.reply_due.isoformat(),
            "session": r.session_id, "note": r.note, "status_note": r.status_note,
            "created_at": r.created_at.isoformat(),
            "replied_at": r.replied_at.isoformat() if r.replied_at else None,
            "closed_at": r.closed_at.isoformat() if r.closed_at else None,
            "resident_asked_at": r.resident_asked_at.isoformat() if r.resident_asked_at else None,
            "resident_linked": r.person_id is not None}


class CaseworkDesk:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def list(self, status: str | None = None) -> list[dict[str, Any]]:
        wanted = None
        if status is not None:
            try:
                wanted = ReferralStatus(status.strip().lower())
            except ValueError:
                choices = ", ".join(s.value for s in ReferralStatus)
                raise UserInputError(f"No status {status!r}: use one of {choices}.") from None
        async with self.db.unit_of_work() as tx:
            return [_row(r) for r in await store.listing(tx, wanted)]

    async def reply(self, reference: str, note: str | None = None) -> dict[str, Any]:
        return await self._move(reference, CaseworkMove.REPLY, note)

    async def close(self, reference: str, note: str | None = None) -> dict[str, Any]:
        return await self._move(reference, CaseworkMove.CLOSE, note)

    async def _move(self, reference: str, move: CaseworkMove, note: str | None) -> dict[str, Any]:
        if parse_reference(reference) is None:
            raise UserInputError(f"{reference!r} isn't a casework reference: they look like SRG-2026-000123.")
        now = self.clock.now()
        async with self.db.unit_of_work() as tx:
            found = await store.by_reference(tx, reference)
            if found is None:
                raise UserInputError(f"No casework {reference.strip().upper()}. See `surgerybot casework list`.")
            changed = next_status(found.status, move)
            if isinstance(changed, CaseworkRefusal):
                raise UserInputError(REFUSALS[changed].format(reference=found.reference))
            assert changed is not None  # operator moves always decide
            await store.set_status(tx, found.id, changed, now, note=note)
            await audit.record(tx, at=now, platform="cli", actor="operator", action=f"casework_{move.value}",
                               target=f"referral:{found.id}", outcome="recorded")
            updated = await store.by_id(tx, found.id)
        assert updated is not None
        return _row(updated)
