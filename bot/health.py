"""Health for supervisors: the running bot writes a small JSON file every few seconds (each adapter's receiver,
the database, the timer loop); `surgerybot health` reads it and exits non-zero when something is wrong or the
file is stale (a process that hangs or died writes nothing)."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class ReceiverHealth:
    """Whether an adapter receives what it should (a standby instance that rightly does not is healthy)."""

    ok: bool
    detail: str


@dataclass(frozen=True, slots=True)
class HealthReport:
    at: datetime
    parts: dict[str, ReceiverHealth]

    @property
    def ok(self) -> bool:
        return all(part.ok for part in self.parts.values())

    def to_json(self) -> str:
        return json.dumps({"at": self.at.isoformat(), "ok": self.ok,
                           "parts": {name: asdict(part) for name, part in self.parts.items()}}, indent=1)


def write_report(path: Path, report: HealthReport) -> None:
    """Atomically: a reader never sees half a file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(report.to_json(), encoding="utf-8")
    os.replace(temporary, path)


def read_report(path: Path) -> HealthReport:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    parts = {name: ReceiverHealth(bool(part["ok"]), str(part["detail"])) for name, part in data["parts"].items()}
    return HealthReport(datetime.fromisoformat(data["at"]), parts)
