"""How many rows an UPDATE or DELETE touched. SQLAlchemy types `AsyncSession.execute` as returning a `Result`; a DML
statement's result is in fact a `CursorResult`, the one that carries `rowcount`."""

from __future__ import annotations

from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.base import Executable


async def affected(tx: AsyncSession, statement: Executable) -> int:
    """Execute an UPDATE or DELETE and return its row count."""
    result = await tx.execute(statement)
    if not isinstance(result, CursorResult):
        raise TypeError(f"{type(statement).__name__} returned no row count")
    return result.rowcount
