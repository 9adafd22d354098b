"""What the operator does about pre-election periods (`surgerybot election add|list|remove`): adding one also
arms the durable timer that cancels the councillor surgeries scheduled inside it when it starts (never one a
council officer hosts)."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot import timers
from bot.errors import UserInputError
from bot.handlers.elections import ELECTION_TIMER, ElectionTimer, election_timer_key
from bot.operator import Operator
from bot.storage import communities
from bot.storage import elections as store
from bot.storage import sessions as session_store
from facilitation.elections import ElectionPeriod, Slot, period_bounds, to_cancel
from facilitation.sessions import SessionState


def _row(period: ElectionPeriod, names: dict[int, str], zone: Any) -> dict[str, Any]:
    return {"id": period.id, "name": period.name, "start": period.starts_at.astimezone(zone).date().isoformat(),
            "end": period.last_day(zone).date().isoformat(),
            "communities": sorted(names.get(c, str(c)) for c in period.community_ids) or ["every community"]}


async def add_period(op: Operator, *, name: str, start: date, end: date, community_names: list[str],
                     yes: bool) -> dict[str, Any]:
    if not name.strip():
        raise UserInputError("Give the period a --name, e.g. \"County council elections 2027\".")
    zone = op.settings.council.zone
    try:
        starts_at, ends_at = period_bounds(start, end, zone)
    except ValueError:
        raise UserInputError("--end is before --start.") from None
    now = op.clock.now()
    async with op.db.unit_of_work() as tx:
        chosen = [await op._community(tx, n) for n in community_names]
        ids = [c.id for c in chosen] or [c.id for c in await communities.list_communities(tx)]
        draft = ElectionPeriod(0, name.strip(), starts_at, ends_at, frozenset(c.id for c in chosen))
        scheduled = await session_store.sessions_in(tx, ids, frozenset({SessionState.SCHEDULED}))
        doomed = to_cancel(draft, [Slot(s.id, s.community_ids, s.starts_at, s.ends_at, s.councillor_hosted)
                                   for s in scheduled])
        if doomed and not yes:
            listed = ", ".join(f"#{slot.session_id} on {slot.starts_at.astimezone(zone):%Y-%m-%d %H:%M}"
                               for slot in doomed)
            surgeries = "1 scheduled councillor surgery" if len(doomed) == 1 \
                else f"{len(doomed)} scheduled councillor surgeries"
            raise UserInputError(f"This period would cancel {surgeries}: {listed}. "
                                 "Run again with --yes to add it anyway.")
        period = await store.add_period(tx, name=name.strip(), starts_at=starts_at, ends_at=ends_at,
                                        community_ids=[c.id for c in chosen], now=now)
        await timers.schedule(tx, ELECTION_TIMER, ElectionTimer(period.id), due_at=max(starts_at, now), now=now,
                              key=election_timer_key(period.id))
        await op._audit(tx, "election_period_add", f"period {period.id}")
    row = _row(period, {c.id: c.name for c in chosen}, zone)
    row["cancels"] = [slot.session_id for slot in doomed]
    return row


async def list_periods(op: Operator) -> list[dict[str, Any]]:
    async with op.db.unit_of_work() as tx:
        names = {c.id: c.name for c in await communities.list_communities(tx)}
        return [_row(p, names, op.settings.council.zone) for p in await store.periods(tx)]


async def remove_period(op: Operator, period_id: int) -> None:
    async with op.db.unit_of_work() as tx:
        if not await store.remove_period(tx, period_id):
            raise UserInputError(f"No election period {period_id}. See `surgerybot election list`.")
        await timers.cancel(tx, election_timer_key(period_id), op.clock.now())
        await op._audit(tx, "election_period_remove", f"period {period_id}")
