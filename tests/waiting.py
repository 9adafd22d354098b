"""Waiting, in a test, for what another task will do: a fake server answering, an adapter's loop delivering, a
`surgerybot run` subprocess starting. One polling loop for every platform's tests."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


async def eventually(condition: Callable[[], object], what: str = "the condition", *, timeout: float = 8.0,
                     interval: float = 0.02) -> None:
    """Return as soon as `condition()` is true; fail the test if it is still false after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(interval)
