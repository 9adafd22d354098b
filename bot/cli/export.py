"""`surgerybot export casework|cases|sessions`: what the council takes into its own systems, as CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from bot.cli.base import app, operator_job, out, write_output
from bot.storage.exports import EXPORTS


class What(StrEnum):
    CASEWORK = "casework"
    CASES = "cases"
    SESSIONS = "sessions"


class Format(StrEnum):
    CSV = "csv"
    JSON = "json"


def render(rows: list[dict[str, Any]], fmt: Format) -> str:
    if fmt == Format.JSON:
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return buffer.getvalue()


@app.command("export")
def export(
    what: Annotated[What, typer.Argument(help="casework (referrals to follow up), cases (moderation) or sessions.")],
    fmt: Annotated[Format, typer.Option("--format", help="csv or json.")] = Format.CSV,
    output: Annotated[Path | None, typer.Option(help="Write to this file instead of printing.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
) -> None:
    """Export casework referrals, moderation cases or sessions for the council's own systems."""

    async def rows(op: Any) -> list[dict[str, Any]]:
        async with op.db.unit_of_work() as tx:
            return await EXPORTS[what.value](tx)

    text = render(operator_job(rows), Format.JSON if as_json else fmt)
    if output is None:
        sys.stdout.write(text)
        return
    write_output(output, text)
    out.print(f"Exported {what.value} to {output}", highlight=False)
