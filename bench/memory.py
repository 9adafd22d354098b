"""Memory of one process running the bot for many communities: the resident set size (VmRSS) with an App holding
--communities active communities, --sessions of them with a councillor's surgery open. Target (issue 11): under
150 MB after the events.

Everything goes through the product's own ways in, on the in-memory local adapter (adapters/local) and a SQLite
file: the operator's invitation (`Operator.create_invitation`), the bot added to the group, the admin's
`/surgery accept`; for a session, a councillor added by the operator and linked by `/link` in a private chat,
then `/surgery schedule` and `/surgery open` in the group. Then every community gets --events ordinary messages
from a resident (each through the privacy gate, and in a session through the rules) so that whatever the core
caches per community is warm.

RSS is printed before the App is built (imports done), after the set-up, and after the events. The local adapter
does not load python-telegram-bot or discord.py; --with-platform-libraries imports both platform adapters first,
so that the baseline is that of a process that runs them (their clients' live state is still not included).

The database is brought to the newest schema first, in a process of its own (`surgerybot db upgrade`), as it is
for any bot that has run before: a bot holding 1,000 communities starts on a migrated database, and then never
imports Alembic (`Database.upgrade`). --migrate-in-process lets the App migrate the brand-new database itself, as
on a deployment's very first start (Alembic, Mako and Pygments then stay loaded: ~15 MiB).

    python bench/memory.py [--communities 1000] [--sessions 100] [--events 1] [--with-platform-libraries]
                           [--migrate-in-process]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapters.local import LocalAdapter, LocalWorld  # noqa: E402
from adapters.local.world import BOT_USER_ID  # noqa: E402
from bench.common import machine, rss_mb, scratch_database  # noqa: E402
from bot.app import App  # noqa: E402
from bot.clock import SystemClock  # noqa: E402
from bot.operator import Operator  # noqa: E402
from bot.rights import MemberRights  # noqa: E402
from config.settings import Settings  # noqa: E402

TARGET_MB = 150


def rss(label: str) -> float:
    gc.collect()
    value = rss_mb()
    print(f"RSS {label:<28} {value:7.1f} MiB", flush=True)
    return value


def bot_said(chat, words: str) -> bool:  # type: ignore[no-untyped-def]
    return any(words in m.text for m in chat.messages if m.sender_id == BOT_USER_ID)


async def run(args: argparse.Namespace) -> None:
    if args.with_platform_libraries:
        import adapters.discord  # noqa: F401
        import adapters.telegram  # noqa: F401
    rss("before the App")
    async with scratch_database(None) as url:
        if not args.migrate_in_process:
            subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], check=True, capture_output=True,
                           env={**os.environ, "SURGERYBOT_DATABASE_URL": url})
        settings = Settings(_env_file=None, database_url=url)
        clock = SystemClock()
        world = LocalWorld()
        adapter = LocalAdapter(world, clock)
        app = App(settings, adapters=[adapter], clock=clock)
        operator = Operator(app.db, settings, clock)
        await app.start(run_timers=False)
        rss("App started, empty")
        started = time.perf_counter()
        groups = []
        for n in range(args.communities):
            owner, admin, resident = (world.add_user(f"{role} {n}") for role in ("Owner", "Admin", "Resident"))
            councillor = world.add_user(f"Councillor {n}") if n < args.sessions else None
            chat = world.add_group(f"Street {n} Residents", owner=owner, admins=(admin,),
                                   members=(resident, *([councillor] if councillor else [])))
            created = await operator.create_invitation(chat.title, "local", None)
            await adapter.add_bot(chat, by=admin, rights=MemberRights.all())
            await adapter.user_sends(admin, chat, f"/surgery accept {created.code}")
            if councillor is not None:
                linked = await operator.add_councillor(f"Cllr {n}", f"Ward {n}")
                await adapter.user_sends(councillor, world.private_chat(councillor.id), f"/link {linked['link_code']}")
                await adapter.user_sends(councillor, chat, "/surgery schedule tomorrow 18:00 1h Bins")
                await adapter.user_sends(councillor, chat, "/surgery open")
            groups.append((chat, resident, councillor))
            if (n + 1) % 100 == 0:
                print(f"  {n + 1} communities set up ({time.perf_counter() - started:.0f} s)", flush=True)
        joined = sum(1 for chat, _, _ in groups if bot_said(chat, "guest"))
        opened = sum(1 for chat, _, c in groups if c is not None and bot_said(chat, "surgery is open"))
        print(f"set up {len(groups)} communities ({joined} acknowledged), {opened} sessions open, "
              f"in {time.perf_counter() - started:.0f} s", flush=True)
        if joined != args.communities or opened != args.sessions:
            print("WARNING: not every community joined or every session opened; the figures below undercount")
        after_setup = rss("after set-up")
        started = time.perf_counter()
        for n in range(args.events):
            for chat, resident, _ in groups:
                await adapter.user_sends(resident, chat, f"Message {n}: the streetlight on our road is out again")
        print(f"{args.events * len(groups)} ordinary messages in {time.perf_counter() - started:.1f} s", flush=True)
        after_events = rss("after the events")
        await app.stop()
    print(f"growth: set-up {after_setup:.1f} MiB → after events {after_events:.1f} MiB; "
          f"target < {TARGET_MB} MB {'met' if after_events * 1.048576 < TARGET_MB else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--communities", type=int, default=1000, help="active communities (default 1000)")
    parser.add_argument("--sessions", type=int, default=100, help="of which with a surgery open (default 100)")
    parser.add_argument("--events", type=int, default=1, help="ordinary messages per community (default 1)")
    parser.add_argument("--with-platform-libraries", action="store_true",
                        help="import the Telegram and Discord adapters (and their libraries) before measuring")
    parser.add_argument("--migrate-in-process", action="store_true",
                        help="let the App migrate the new database itself (a deployment's very first start)")
    args = parser.parse_args()
    if args.sessions > args.communities:
        parser.error("--sessions cannot exceed --communities")
    logging.basicConfig(level=logging.WARNING)
    print(f"machine: {machine()}")
    print(f"{args.communities} communities, {args.sessions} open sessions, {args.events} message(s) each", flush=True)
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
