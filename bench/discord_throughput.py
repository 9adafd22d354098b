"""Discord throughput, end to end, a bare discord.py client against the product, in alternated pairs.

Each run starts a fresh fake Discord (tests/discord/fake_discord.py: REST + gateway websocket on 127.0.0.1),
pushes N MESSAGE_CREATE events from the residents through the gateway and times how long it takes until every
one has been handled:

  bare     a discord.py client built with the product's own options (adapters/discord/client.py) whose
           on_message only counts;
  product  the whole bot (App: DiscordAdapter, core, every handler, storage on a SQLite file); a message is
           handled when the sink the core gave the adapter has returned.

Shapes (issue 11), each with its own target for the median product/bare ratio:

  open       an active community (invitation accepted by slash command), a councillor linked by DM, an approved
             policy with every automatic rule `on` (flood limit at its loosest), a surgery scheduled and open
                                                                                              target ≥ 0.5
  stranger   a guild the bot is in that is not a community                                    target ≥ 0.8
  community  an active community, no session open                                             target ≥ 0.8

Bare and product runs alternate for --pairs pairs; the median of the pair-by-pair ratios is reported.

    python bench/discord_throughput.py [--shape open|stranger|community|all] [--messages 3000] [--pairs 7]
                                       [--residents 50]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import discord

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapters.discord import DiscordAdapter  # noqa: E402
from adapters.discord.client import build_client, point_at, use_gateway  # noqa: E402
from bench.common import SETUP_LIMITS, Rate, Stopwatch, alternate, counting_sink, machine, scratch_database, wait_for  # noqa: E402
from bot.app import App  # noqa: E402
from bot.clock import SystemClock  # noqa: E402
from bot.operator import Operator  # noqa: E402
from config.settings import DiscordSettings, Settings  # noqa: E402
from tests.discord.fake_discord import MANAGE_GUILD, Channel, FakeDiscord, Guild, Interaction, User  # noqa: E402

SHAPES = {"open": 0.5, "stranger": 0.8, "community": 0.8}
RULES = ("flood", "blocklist", "links", "personal_data", "safeguarding", "heat")
SETUP_TIMEOUT = 60.0


@dataclass
class World:
    fake: FakeDiscord
    guild: Guild
    general: Channel
    admin: User
    councillor: User
    residents: list[User]


def populate(fake: FakeDiscord, residents: int, *, bot_present: bool) -> World:
    owner, admin, councillor = fake.add_user("Olu"), fake.add_user("Ada"), fake.add_user("Jane")
    guild = fake.add_guild("Riverside Residents", owner)
    fake.add_member(guild, admin, fake.add_role(guild, "Admins", 3, MANAGE_GUILD))
    fake.add_member(guild, councillor)
    people = [fake.add_user(f"Resident {n}") for n in range(residents)]
    for person in people:
        fake.add_member(guild, person)
    if bot_present:
        fake.place_bot(guild)
    return World(fake, guild, fake.channels[guild.channels[0]], admin, councillor, people)


async def push_chatter(world: World, count: int) -> None:
    for n in range(count):
        await world.fake.user_posts(world.residents[n % len(world.residents)], world.general,
                                    f"Message {n}: the bins on Mill Lane were missed again this week, anyone else?")


async def bare(count: int, residents: int) -> Rate:
    fake = FakeDiscord()
    await fake.start()
    world = populate(fake, residents, bot_present=True)
    seen = [0]
    client = build_client(DiscordSettings(token=fake.token, api_base_url=fake.api_base_url), guild_ready_timeout=0.1)
    ready = asyncio.Event()

    async def on_ready() -> None:
        ready.set()

    async def on_message(message: discord.Message) -> None:
        seen[0] += 1

    client.on_ready, client.on_message = on_ready, on_message  # type: ignore[method-assign]
    point_at(fake.api_base_url)
    await client.login(fake.token)
    use_gateway(fake.gateway_url)
    task = asyncio.create_task(client.connect())
    try:
        await asyncio.wait_for(ready.wait(), 10)
        stopwatch = Stopwatch()
        await push_chatter(world, count)
        await wait_for(lambda: seen[0] >= count, "the bare client")
        return stopwatch.rate(count)
    finally:
        await client.close()
        await asyncio.gather(task, return_exceptions=True)
        await fake.stop()


async def product(shape: str, count: int, residents: int) -> Rate:
    fake = FakeDiscord()
    await fake.start()
    world = populate(fake, residents, bot_present=shape == "stranger")
    async with scratch_database(None) as url:
        settings = Settings(database_url=url, _env_file=None, limits=SETUP_LIMITS,
                            discord=DiscordSettings(token=fake.token, api_base_url=fake.api_base_url))
        clock = SystemClock()
        adapter = DiscordAdapter(settings.discord, clock, start_timeout=10.0, guild_ready_timeout=0.1)
        seen = counting_sink(adapter)
        app = App(settings, adapters=[adapter], clock=clock)
        await app.start(run_timers=False)
        try:
            if shape in ("open", "community"):
                await join(world, app)
            if shape == "open":
                await open_surgery_with_all_rules_on(world, app)
            await asyncio.sleep(0.2)  # let the last set-up event finish
            posts_before = len(fake.bot_texts(world.general.id))
            before = seen[0]
            stopwatch = Stopwatch()
            await push_chatter(world, count)
            await wait_for(lambda: seen[0] - before >= count, f"the product ({shape})")
            rate = stopwatch.rate(count)
            posted = fake.bot_texts(world.general.id)[posts_before:]
            if posted:  # the run should measure benign chat, not the bot answering it
                print(f"    note: during the run the bot posted {len(posted)} messages in the channel, "
                      f"the first: {posted[0][:120]!r}", flush=True)
        finally:
            await app.stop()
            await fake.stop()
    return rate


def answer(fake: FakeDiscord, interaction: Interaction) -> str:
    message = fake.messages.get(interaction.original_id or "")
    return "" if message is None or message.loading else message.content


async def command(world: World, user: User, text: str, expect: str, channel: Channel | None = None) -> None:
    """Run a slash command as the fake would deliver it; wait for `expect` in its answer or in the channel."""
    fake, channel = world.fake, channel or world.general
    before = len(fake.bot_texts(channel.id))
    interaction = await fake.invoke(user, channel, text)
    await wait_for(lambda: any(expect in t for t in [answer(fake, interaction), *fake.bot_texts(channel.id)[before:]]),
                   repr(expect), timeout=SETUP_TIMEOUT)


async def join(world: World, app: App) -> None:
    """The operator's invitation, an admin adds the bot, and accepts with the slash command."""
    created = await Operator(app.db, app.settings, app.clock).create_invitation(world.guild.name, "discord", None)
    await world.fake.bot_joins(world.guild, added_by=world.admin)
    await wait_for(lambda: world.fake.bot_texts(world.general.id), "the bot's hello", timeout=SETUP_TIMEOUT)
    await command(world, world.admin, f"/surgery accept {created.code}", "guest")


async def open_surgery_with_all_rules_on(world: World, app: App) -> None:
    """As tests/discord/test_surgery_e2e.py sets up a surgery, plus an approved policy with every rule on."""
    for rule in RULES:
        await command(world, world.admin, f"/surgery policy set {rule}.mode on", "version")
    await command(world, world.admin, "/surgery policy set flood.max_messages 100", "version")
    await command(world, world.admin, "/surgery policy set flood.window_seconds 1", "version")
    await command(world, world.admin, "/surgery policy approve", "is approved")
    councillor = await Operator(app.db, app.settings, app.clock).add_councillor("Cllr Jane Smith", "Riverside")
    await command(world, world.councillor, f"/link {councillor['link_code']}", "linked",
                  channel=world.fake.dm_with(world.councillor))
    starts = (app.clock.now() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M+00:00")
    await command(world, world.councillor, f"/surgery schedule {starts} 1h Bins", "Council surgery #1")
    await command(world, world.councillor, "/surgery open", "The surgery is open")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shape", choices=(*SHAPES, "all"), default="all")
    parser.add_argument("--messages", type=int, default=3000, help="MESSAGE_CREATE events per run (default 3000)")
    parser.add_argument("--pairs", type=int, default=7, help="alternated bare/product pairs (default 7)")
    parser.add_argument("--residents", type=int, default=50, help="residents posting in turn (default 50)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    shapes = list(SHAPES) if args.shape == "all" else [args.shape]
    print(f"machine: {machine()}")
    print(f"{args.messages} messages per run from {args.residents} residents, {args.pairs} pairs per shape",
          flush=True)
    await bare(min(args.messages, 200), args.residents)  # warm-up: imports, first connections
    reports = []
    for shape in shapes:
        print(f"shape {shape}:", flush=True)
        pairs = await alternate(args.pairs, lambda: bare(args.messages, args.residents),
                                lambda s=shape: product(s, args.messages, args.residents))
        reports.append(pairs.report(f"Discord, {shape}: {args.messages} messages", SHAPES[shape]))
    print()
    print("\n".join(reports))
    print(f"load average at the end: {machine().rsplit('load average ', 1)[1]}")


if __name__ == "__main__":
    asyncio.run(main())
