"""`surgerybot insight` on a big council: --sessions surgeries (default 1,000) with --questions questions (50,000),
across --communities communities (100), on a SQLite file. Target (issue 14): under 5 s and 300 MB.

The database is migrated by the product (Alembic), then filled with bulk inserts straight into SQLite (executemany
in one transaction: seconds, not minutes): communities joining over two years and some leaving, councillors,
surgeries (most held, some cancelled or still scheduled, one in ten joint), questions in every state with votes,
casework referrals, moderation cases under every rule with some undone, a year of listening counts, and a
realistic audit trail (every platform call, community changes, appeals).

Each format is then timed in a fresh process, as an operator runs it: the time to compute and render, the
process's whole wall time (interpreter start and imports included), the CPU seconds of each (on a shared machine
the wall time also counts waiting for a core), and its peak resident memory (ru_maxrss).

    python bench/insight.py [--sessions 1000] [--questions 50000] [--communities 100] [--keep PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine  # noqa: E402

TARGET_SECONDS = 5.0
TARGET_MB = 300
STATES = (["answered"] * 50 + ["referred"] * 12 + ["parked"] * 8 + ["dismissed"] * 6 + ["merged"] * 4
          + ["queued"] * 20)
RULES = ("manual", "flood", "blocklist", "personal_data", "links", "heat")
THEMES = ("housing", "transport", "waste", "parks", "safety")
ACTIONS = ("SendMessage", "EditMessage", "AnswerButton", "DeleteMessage", "MuteMember", "question_asked",
           "question_next")
START = datetime(2025, 1, 1, tzinfo=UTC)


def stamp(value: datetime) -> str:
    """How SQLAlchemy stores a UTC datetime in SQLite."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


async def migrate(url: str) -> None:
    from bot.storage.database import Database

    db = Database(url)
    try:
        await db.upgrade()
    finally:
        await db.dispose()


def fill(path: Path, *, sessions: int, questions: int, communities: int, seed: int = 14) -> dict[str, int]:
    rng = random.Random(seed)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=OFF")
    rows: dict[str, int] = {}

    def insert(table: str, columns: tuple[str, ...], values: list[tuple[object, ...]]) -> None:
        marks = ", ".join("?" * len(columns))
        connection.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values)
        rows[table] = rows.get(table, 0) + len(values)

    with connection:
        joined = {c: START + timedelta(days=rng.randrange(0, 200)) for c in range(1, communities + 1)}
        gone = set(rng.sample(sorted(joined), communities // 10))
        left = {c: START + timedelta(days=rng.randrange(400, 700)) for c in gone}
        insert("communities", ("id", "name", "platform", "space_id", "home_chat_id", "state", "activated_at",
                               "left_at", "do_not_rejoin", "missing_rights", "listening_enabled", "created_at"),
               [(c, f"Community {c:03d}", "telegram", f"-100{c:06d}", f"-100{c:06d}",
                 "left" if c in gone else "active", stamp(joined[c]), stamp(left[c]) if c in gone else None, False,
                 "", c <= 20, stamp(joined[c])) for c in joined])
        audit: list[tuple[object, ...]] = []
        for c, at in joined.items():
            audit.append((stamp(at), "telegram", f"-100{c:06d}", "1", "community_activated", None, "", "recorded"))
        for c, at in left.items():
            audit.append((stamp(at), "telegram", f"-100{c:06d}", "1", "community_left", None, "", "recorded"))
        people = 5000
        insert("people", ("id", "display_name", "created_at"),
               [(p, f"Resident {p}", stamp(START)) for p in range(1, people + 1)])
        insert("councillors", ("id", "name", "ward", "created_at"),
               [(c, f"Cllr {c}", f"Ward {c}", stamp(START)) for c in range(1, 21)])

        session_rows, links = [], []
        per_session = max(1, questions // sessions)
        when = {}
        for s in range(1, sessions + 1):
            starts = START + timedelta(days=730 * (s - 1) / sessions, hours=18)
            state = "cancelled" if s % 20 == 0 else "scheduled" if s > sessions - 30 else "closed"
            opened = starts if state == "closed" else None
            session_rows.append((s, 1 + s % 20, f"Surgery {s}", state, "permissive", stamp(starts),
                                 stamp(starts + timedelta(hours=1)), stamp(opened) if opened else None,
                                 stamp(starts + timedelta(hours=1)) if opened else None, stamp(starts - timedelta(days=7))))
            home = 1 + s % communities
            links.append((s, home))
            if s % 10 == 0:
                links.append((s, 1 + (s + 37) % communities))
            when[s] = (starts, home)
        insert("sessions", ("id", "councillor_id", "topic", "state", "moderation_mode", "starts_at", "ends_at",
                            "opened_at", "closed_at", "created_at"), session_rows)
        insert("session_communities", ("session_id", "community_id"), links)

        question_rows, vote_rows, referral_rows = [], [], []
        qid = 0
        for s in range(1, sessions + 1):
            starts, home = when[s]
            for number in range(1, per_session + 1):
                qid += 1
                state = rng.choice(STATES)
                asked = starts - timedelta(minutes=rng.randrange(0, 600))
                taken = (starts + timedelta(minutes=rng.randrange(0, 60))
                         if state in ("answered", "referred", "dismissed", "parked") else None)
                asker = rng.randrange(1, people + 1)
                question_rows.append((qid, s, home, number, asker, rng.choice(("public", "anonymous", "private")),
                                      f"Question {qid}", state, "", stamp(asked), stamp(taken or asked),
                                      stamp(taken) if taken else None, "telegram", str(10_000 + asker)))
                for voter in rng.sample(range(1, people + 1), rng.randrange(0, 5)):
                    if voter != asker:
                        vote_rows.append((qid, voter, stamp(asked)))
                if state == "referred":
                    referral_rows.append((f"SRG-{qid:09d}", qid, asker, "", stamp(starts + timedelta(days=14)),
                                          stamp(starts), s))
        insert("questions", ("id", "session_id", "community_id", "number", "asker_person_id", "visibility", "text",
                             "state", "note", "asked_at", "updated_at", "taken_at", "asker_platform", "asker_user_id"),
               question_rows)
        insert("votes", ("question_id", "person_id", "created_at"), vote_rows)
        insert("casework_referrals", ("reference", "question_id", "person_id", "note", "reply_due", "created_at",
                                      "session_id"), referral_rows)

        case_rows, numbers = [], dict.fromkeys(range(1, communities + 1), 0)
        for _ in range(5000):
            c = rng.randrange(1, communities + 1)
            numbers[c] += 1
            at = START + timedelta(minutes=rng.randrange(0, 730 * 24 * 60))
            undone = rng.random() < 0.1
            actor = "bot" if rng.random() < 0.6 else "20001"
            case_rows.append((c, numbers[c], rng.choice(("warn", "mute", "delete")), rng.choice(RULES), actor,
                              "30001", "", "", rng.random() < 0.2, stamp(at), stamp(at) if undone else None,
                              rng.choice(("20002", actor)) if undone else None, False))
            if undone and rng.random() < 0.5:
                audit.append((stamp(at), "telegram", None, "bot", "SendMessage", "user:20002", "/appeal", "ok"))
        insert("cases", ("community_id", "number", "action", "clause", "actor", "target_user_id", "reason",
                         "evidence", "dry_run", "created_at", "reversed_at", "reversed_by", "lifts_at_close"),
               case_rows)

        counts = []
        for c in range(1, 21):
            for day in range(365):
                date = (START + timedelta(days=365 + day)).date().isoformat()
                counts += [(c, date, theme, rng.randrange(0, 12)) for theme in THEMES]
        insert("listening_counts", ("community_id", "day", "theme", "count"), counts)

        for _ in range(100_000):
            at = START + timedelta(seconds=rng.randrange(0, 730 * 86400))
            audit.append((stamp(at), "telegram", f"-100{rng.randrange(1, communities + 1):06d}", "bot",
                          rng.choice(ACTIONS), None, "session", "ok"))
        insert("audit_log", ("at", "platform", "chat_id", "actor", "action", "target", "reason", "outcome"), audit)
    connection.execute("ANALYZE")
    connection.close()
    return rows


def measure(path: Path, fmt: str) -> None:
    """In a fresh process: render the insight once and print one JSON line of figures."""
    import resource
    from zoneinfo import ZoneInfo

    from bot.clock import SystemClock
    from bot.reports.insight import InsightReports
    from bot.storage.database import Database

    def cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    async def run() -> tuple[float, float, int]:
        db = Database(f"sqlite+aiosqlite:///{path}")
        try:
            began, began_cpu = time.perf_counter(), cpu()
            text = await InsightReports(db, SystemClock(), ZoneInfo("Europe/London"), "Bench Council").render(
                fmt, None, None, None)
            return time.perf_counter() - began, cpu() - began_cpu, len(text)
        finally:
            await db.dispose()

    seconds, cpu_seconds, size = asyncio.run(run())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"format": fmt, "seconds": seconds, "cpu_seconds": cpu_seconds, "process_cpu_seconds": cpu(),
                      "peak_mb": peak, "bytes": size}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--questions", type=int, default=50_000)
    parser.add_argument("--communities", type=int, default=100)
    parser.add_argument("--keep", type=Path, help="Build the database here and keep it.")
    parser.add_argument("--reuse", type=Path, help="Measure an existing database built with --keep.")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--format", default="json", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure, args.format)
        return

    print(f"machine: {machine()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="surgerybot-insight-") as scratch:
        path = args.reuse or args.keep or Path(scratch) / "insight.db"
        if args.reuse is None:
            path.unlink(missing_ok=True)
            began = time.perf_counter()
            asyncio.run(migrate(f"sqlite+aiosqlite:///{path}"))
            rows = fill(path, sessions=args.sessions, questions=args.questions, communities=args.communities)
            print(f"built in {time.perf_counter() - began:.1f} s: "
                  + ", ".join(f"{n:,} {table}" for table, n in rows.items()), flush=True)
        for fmt in ("json", "md", "html"):
            began = time.perf_counter()
            child = subprocess.run([sys.executable, __file__, "--measure", str(path), "--format", fmt],
                                   capture_output=True, text=True, check=True)
            wall = time.perf_counter() - began
            found = json.loads(child.stdout.strip().splitlines()[-1])
            def verdict(seconds: float) -> str:
                return "met" if seconds < TARGET_SECONDS and found["peak_mb"] < TARGET_MB else "NOT met"

            print(f"insight --format {fmt:4}: compute and render {found['seconds']:.2f} s "
                  f"(CPU {found['cpu_seconds']:.2f} s); whole process {wall:.2f} s (CPU "
                  f"{found['process_cpu_seconds']:.2f} s, imports included); peak RSS {found['peak_mb']:.0f} MB; "
                  f"{found['bytes']:,} bytes; target < {TARGET_SECONDS:.0f} s and < {TARGET_MB} MB: on CPU time "
                  f"{verdict(found['process_cpu_seconds'])}, on wall time {verdict(wall)}",
                  flush=True)


if __name__ == "__main__":
    main()
