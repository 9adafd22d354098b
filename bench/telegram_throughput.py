"""Telegram throughput, end to end, bare python-telegram-bot against the product, in alternated pairs.

Each run starts a fresh fake Bot API (tests/telegram/fake_bot_api.py), queues N ordinary group messages from the
residents and times how long it takes until every one has been handled:

  bare     a python-telegram-bot Application polling getUpdates, with a handler that does nothing;
  product  the whole bot (App: TelegramAdapter, core, every handler, storage) on a fresh database; a message is
           handled when the sink the core gave the adapter has returned.

Shapes (issue 11), each with its own target for the median product/bare ratio:

  open       an active community with an open surgery and every automatic rule `on` under an approved policy
             (flood limit at its loosest so that chat at full speed is not a flood)           target ≥ 0.5
  stranger   a group the bot is in that is not a community (never accepted an invitation)     target ≥ 0.8
  community  an active community, no session open                                             target ≥ 0.8

Bare and product runs alternate (bare, product, bare, product, …) for --pairs pairs and the ratio is taken pair
by pair; the median ratio is reported, since single runs swing by ±25 % on a shared machine.

    python bench/telegram_throughput.py [--shape open|stranger|community|all] [--messages 3000] [--pairs 7]
                                        [--residents 50] [--database-url postgresql+asyncpg://…]

With --database-url the product runs on PostgreSQL: each run gets a new database on that server, migrated with
`Database.upgrade` and dropped afterwards (the database named in the URL itself is not touched).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram import Update  # noqa: E402
from telegram.ext import Application, ContextTypes, TypeHandler  # noqa: E402

from adapters.telegram import TelegramAdapter  # noqa: E402
from adapters.telegram.translate import ALLOWED_UPDATES  # noqa: E402
from bench.common import SETUP_LIMITS, Rate, Stopwatch, alternate, counting_sink, machine, scratch_database, wait_for  # noqa: E402
from bot.app import App  # noqa: E402
from bot.clock import SystemClock  # noqa: E402
from bot.operator import Operator  # noqa: E402
from config.settings import Settings, TelegramSettings  # noqa: E402
from tests.telegram.fake_bot_api import TOKEN, FakeBotApi  # noqa: E402
from tests.telegram.fake_world import BOT_USERNAME, FakeChat, FakeMember, FakeUser, all_rights  # noqa: E402

SHAPES = {"open": 0.5, "stranger": 0.8, "community": 0.8}
RULES = ("flood", "blocklist", "links", "personal_data", "safeguarding", "heat")
SETUP_TIMEOUT = 120.0


@dataclass
class Group:
    chat: FakeChat
    admin: FakeUser
    residents: list[FakeUser]


def populate(api: FakeBotApi, residents: int, *, bot_present: bool = True) -> Group:
    """A supergroup with an owner, an admin and the residents; unless told otherwise the bot is already an admin
    there, as in a group that added it but never became a community."""
    world = api.world
    owner, admin = world.add_user("Olu", "olu"), world.add_user("Ada", "ada")
    people = [world.add_user(f"Resident {n}", f"resident{n}") for n in range(residents)]
    chat = world.add_group("Riverside Residents", owner=owner, admins=(admin,), members=tuple(people),
                           bot=FakeMember("administrator", rights=all_rights()) if bot_present else None)
    return Group(chat, admin, people)


def push_chatter(api: FakeBotApi, group: Group, count: int) -> None:
    """Ordinary, benign group chat: the bulk of what a group sends a bot."""
    for n in range(count):
        api.user_sends(group.residents[n % len(group.residents)], group.chat,
                       f"Message {n}: the bins on Mill Lane were missed again this week, anyone else?")


async def bare_ptb(count: int, residents: int) -> Rate:
    api = FakeBotApi()
    await api.start()
    group = populate(api, residents)
    seen = 0

    async def nothing(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        nonlocal seen
        seen += 1

    app = Application.builder().token(TOKEN).base_url(api.base_url).build()
    app.add_handler(TypeHandler(Update, nothing))
    try:
        async with app:
            await app.updater.start_polling(allowed_updates=list(ALLOWED_UPDATES), timeout=5)
            await app.start()
            stopwatch = Stopwatch()
            push_chatter(api, group, count)
            await wait_for(lambda: seen >= count, "the bare application")
            rate = stopwatch.rate(count)
            await app.updater.stop()
            await app.stop()
    finally:
        await api.stop()
    return rate


async def product(shape: str, count: int, residents: int, database_url: str | None,
                  statements: Counter[str] | None = None) -> Rate:
    """One product run; with `statements`, also counts the SQL statements (by first word) issued while the
    messages are handled."""
    api = FakeBotApi()
    await api.start()
    group = populate(api, residents, bot_present=shape == "stranger")
    async with scratch_database(database_url) as url:
        settings = Settings(_env_file=None, database_url=url, limits=SETUP_LIMITS,
                            telegram=TelegramSettings(token=TOKEN, api_base_url=api.base_url, poll_timeout=5))
        clock = SystemClock()
        adapter = TelegramAdapter(settings.telegram, clock)
        seen = counting_sink(adapter)
        app = App(settings, adapters=[adapter], clock=clock)
        await app.start(run_timers=False)
        try:
            if shape in ("open", "community"):
                await join(api, app, settings, group)
            if shape == "open":
                await open_surgery_with_all_rules_on(api, app, settings, group)
            await wait_for(lambda: not api.updates, "the set-up updates to be fetched", timeout=SETUP_TIMEOUT)
            await asyncio.sleep(0.2)  # let the last set-up update finish
            bot_posts = len(api.bot_messages(group.chat.id))
            calls = len(api.calls)
            before = seen[0]
            if statements is not None:
                count_statements(app, statements)
            stopwatch = Stopwatch()
            push_chatter(api, group, count)
            await wait_for(lambda: seen[0] - before >= count, f"the product ({shape})")
            rate = stopwatch.rate(count)
            extra = len(api.bot_messages(group.chat.id)) - bot_posts
            moderation = [c.method for c in api.calls[calls:] if c.method in
                          ("restrictChatMember", "banChatMember", "deleteMessage", "sendMessage")]
            if extra or moderation:  # the run should measure benign chat, not the bot answering it
                print(f"    note: during the run the bot posted {extra} group messages and made "
                      f"{len(moderation)} send/moderation calls", flush=True)
        finally:
            await app.stop()
            await api.stop()
    return rate


def count_statements(app: App, into: Counter[str]) -> None:
    """Count every SQL statement the App's engines (writer and, on SQLite, the WAL reader) send from now on, by its
    first word (SELECT, INSERT, …)."""
    from sqlalchemy import event

    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        into[statement.split(None, 1)[0].upper() if statement.strip() else "?"] += 1

    for engine in {id(e): e for e in (app.db.engine, app.db.read_engine)}.values():
        event.listen(engine.sync_engine, "before_cursor_execute", before_cursor_execute)


async def join(api: FakeBotApi, app: App, settings: Settings, group: Group) -> None:
    """An active community, joined the way a Telegram admin would: the operator's invitation, the admin adds
    the bot, then the deep link's /start."""
    invitation = await Operator(app.db, settings, app.clock).create_invitation(group.chat.title, "telegram", None)
    api.add_bot(group.chat, by=group.admin)
    api.user_sends(group.admin, group.chat, f"/start@{BOT_USERNAME} {invitation.code}")
    await wait_for(lambda: any("guest" in m.text for m in api.bot_messages(group.chat.id)), "the community to join",
                   timeout=SETUP_TIMEOUT)


async def open_surgery_with_all_rules_on(api: FakeBotApi, app: App, settings: Settings, group: Group) -> None:
    """A councillor's surgery open in the group and an approved policy with every automatic rule `on`, so each
    message goes through the privacy gate, the at-most-once claim and every rule."""
    chat, admin = group.chat, group.admin
    councillor = api.world.add_user("Cllr Jane", "jane")
    chat.members[councillor.id] = FakeMember("member")
    code = (await Operator(app.db, settings, app.clock).add_councillor("Cllr Jane Smith", "Riverside"))["link_code"]
    api.user_sends(councillor, api.world.private_chat(councillor.id), f"/link {code}")
    for rule in RULES:
        api.user_sends(admin, chat, f"/surgery policy set {rule}.mode on")
    # The bench compresses minutes of chat into seconds, so the flood limit is set to its loosest (100 messages
    # a second) to keep ordinary residents from looking like a flood, which would measure the bot's warnings
    # (20 group messages a minute on Telegram) instead of the pipeline.
    api.user_sends(admin, chat, "/surgery policy set flood.max_messages 100")
    api.user_sends(admin, chat, "/surgery policy set flood.window_seconds 1")
    api.user_sends(admin, chat, "/surgery policy approve")
    api.user_sends(councillor, chat, "/surgery schedule tomorrow 18:00 1h Bins")
    api.user_sends(councillor, chat, "/surgery open")
    await wait_for(lambda: any("surgery is open" in m.text.lower() for m in api.bot_messages(chat.id)),
                   "the surgery to open", timeout=SETUP_TIMEOUT)
    if not any("is approved" in m.text for m in api.bot_messages(chat.id)):
        raise RuntimeError("the policy was not approved; the shape would not have every rule on")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shape", choices=(*SHAPES, "all"), default="all")
    parser.add_argument("--messages", type=int, default=3000, help="benign group messages per run (default 3000)")
    parser.add_argument("--pairs", type=int, default=7, help="alternated bare/product pairs (default 7)")
    parser.add_argument("--residents", type=int, default=50, help="residents posting in turn (default 50)")
    parser.add_argument("--database-url", default=None,
                        help="postgresql+asyncpg://user@host:port/db to run the product on PostgreSQL "
                             "(a fresh database per run on that server); default: a SQLite file per run")
    parser.add_argument("--count-sql", action="store_true",
                        help="after the pairs, one more product run per shape counting SQL statements per message")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    shapes = list(SHAPES) if args.shape == "all" else [args.shape]
    print(f"machine: {machine()}")
    print(f"database: {'PostgreSQL (fresh database per run)' if args.database_url else 'SQLite file per run'}")
    print(f"{args.messages} messages per run from {args.residents} residents, {args.pairs} pairs per shape",
          flush=True)
    reports = []
    for shape in shapes:
        print(f"shape {shape}:", flush=True)
        pairs = await alternate(args.pairs, lambda: bare_ptb(args.messages, args.residents),
                                lambda s=shape: product(s, args.messages, args.residents, args.database_url))
        reports.append(pairs.report(f"Telegram, {shape}: {args.messages} messages", SHAPES[shape]))
        if args.count_sql:
            statements: Counter[str] = Counter()
            await product(shape, args.messages, args.residents, args.database_url, statements)
            per_message = ", ".join(f"{word} {n / args.messages:.2f}" for word, n in statements.most_common())
            reports.append(f"  SQL statements per message ({shape}): {sum(statements.values()) / args.messages:.2f}"
                           f" ({per_message or 'none'})")
    print()
    print("\n".join(reports))
    print(f"load average at the end: {machine().rsplit('load average ', 1)[1]}")


if __name__ == "__main__":
    asyncio.run(main())
