"""Stopping background work gracefully: let it finish what it holds (a unit of work cancelled half-way leaves
a pooled connection to be reset by a cancelled task), and cancel only past a grace period."""

from __future__ import annotations

import asyncio


async def finish_or_cancel(task: asyncio.Task[object], grace: float) -> None:
    """Wait up to `grace` seconds for `task` (already told to stop), then cancel it; never raises its error."""
    try:
        await asyncio.wait_for(asyncio.shield(task), timeout=grace)
    except TimeoutError:
        task.cancel()
    await asyncio.gather(task, return_exceptions=True)
