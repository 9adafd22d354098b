"""Latency under load on Telegram: while the residents chat in an open surgery, how long a `/ask` takes from its
update arriving to its question being posted, and a facilitator's `/mute` from its update arriving to the
restrictChatMember call. Targets (issue 11): p99 < 100 ms for both.

The whole bot (App with the TelegramAdapter, SQLite file) runs against the fake Bot API
(tests/telegram/fake_bot_api.py), set up as bench/telegram_throughput.py's `open` shape: an active community, an
approved policy with every automatic rule `on`, a councillor's surgery open, plus a facilitator. A background task
queues benign chat from --residents residents at --rate messages a second for --duration seconds; --asks `/ask`
updates and --mutes `/mute <user id> 10m` updates are queued at even intervals in between.

  start  the moment the update is put in the fake's update queue (what getUpdates will return next);
  end    the moment the fake starts handling the bot's sendMessage whose text holds the question (for /ask), or
         its restrictChatMember for that user (for /mute); timed by a subclass of the fake in this script.

The adapter's outbound budget (by default 20 group messages a minute, as Telegram allows) is lifted for the run
with --real-send-limits off, so that the figures measure the event path rather than the deliberate wait for that
budget; pass --real-send-limits to keep it. If the product cannot keep up with --rate, the probes queue behind the
chat backlog: the script prints the rate actually handled and the backlog, and waits up to --drain seconds.

    python bench/latency.py [--rate 500] [--duration 20] [--residents 50] [--asks 30] [--mutes 30]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapters.telegram import TelegramAdapter  # noqa: E402
from bench.common import SETUP_LIMITS, counting_sink, machine, percentile, scratch_database, wait_for  # noqa: E402
from bench.telegram_throughput import Group, join, open_surgery_with_all_rules_on, populate  # noqa: E402
from bot.app import App  # noqa: E402
from bot.clock import SystemClock  # noqa: E402
from config.settings import Settings, TelegramSettings  # noqa: E402
from tests.telegram.fake_bot_api import TOKEN, FakeBotApi  # noqa: E402
from tests.telegram.fake_world import FakeMember, FakeUser  # noqa: E402

TICK = 0.01  # the chatter task queues a batch every 10 ms


class TimedBotApi(FakeBotApi):
    """The fake Bot API, noting when each sendMessage and restrictChatMember reaches it."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[tuple[float, dict]] = []
        self.restricted: list[tuple[float, dict]] = []

    async def api_sendMessage(self, params: dict) -> dict:
        self.sent.append((time.perf_counter(), params))
        return await super().api_sendMessage(params)

    async def api_restrictChatMember(self, params: dict) -> bool:
        self.restricted.append((time.perf_counter(), params))
        return await super().api_restrictChatMember(params)


@dataclass
class Probe:
    kind: str  # "ask" or "mute"
    key: str  # the question's marker, or the muted user's id
    queued_at: float
    answered_at: float | None = None


@dataclass
class Load:
    queued: int = 0
    probes: list[Probe] = field(default_factory=list)


def answered(api: TimedBotApi, probe: Probe, chat_id: int) -> float | None:
    if probe.kind == "ask":
        return next((at for at, p in api.sent if at >= probe.queued_at and int(p["chat_id"]) == chat_id
                     and probe.key in p.get("text", "")), None)
    return next((at for at, p in api.restricted if at >= probe.queued_at and str(p["user_id"]) == probe.key), None)


async def chatter(api: TimedBotApi, group: Group, rate: float, duration: float, load: Load) -> None:
    started = time.perf_counter()
    while (elapsed := time.perf_counter() - started) < duration:
        due = int(rate * elapsed)
        while load.queued < due:
            api.user_sends(group.residents[load.queued % len(group.residents)], group.chat,
                           f"Message {load.queued}: the bins on Mill Lane were missed again this week, anyone else?")
            load.queued += 1
        await asyncio.sleep(TICK)


async def probes(api: TimedBotApi, group: Group, facilitator: FakeUser, duration: float, asks: int, mutes: int,
                 load: Load) -> None:
    """/ask and /mute updates at even intervals, alternating, from or about the residents in turn. The clock
    starts just before the update is queued."""
    order = [k for pair in zip(["ask"] * asks, ["mute"] * mutes) for k in pair] + \
        ["ask"] * max(0, asks - mutes) + ["mute"] * max(0, mutes - asks)
    interval = duration / (len(order) + 1)
    residents = group.residents
    for n, kind in enumerate(order):
        await asyncio.sleep(interval)
        if kind == "ask":
            marker = f"Probe question {n}:"
            load.probes.append(Probe("ask", marker, time.perf_counter()))
            api.user_sends(residents[n % len(residents)], group.chat,
                           f"/ask {marker} when will the footbridge on Mill Lane reopen?")
        else:
            target = residents[(n + len(residents) // 2) % len(residents)]
            load.probes.append(Probe("mute", str(target.id), time.perf_counter()))
            api.user_sends(facilitator, group.chat, f"/mute {target.id} 10m latency probe")


async def run(args: argparse.Namespace) -> None:
    api = TimedBotApi()
    await api.start()
    group = populate(api, args.residents, bot_present=False)
    facilitator = api.world.add_user("Priya", "priya")
    group.chat.members[facilitator.id] = FakeMember("member")
    api.world.started.update(r.id for r in group.residents)  # a muted resident can be told so privately
    async with scratch_database(None) as url:
        settings = Settings(_env_file=None, database_url=url, limits=SETUP_LIMITS,
                            telegram=TelegramSettings(token=TOKEN, api_base_url=api.base_url, poll_timeout=5))
        clock = SystemClock()
        limits = {} if args.real_send_limits else dict(messages_per_second=100_000, group_messages_per_minute=100_000)
        adapter = TelegramAdapter(settings.telegram, clock, **limits)
        seen = counting_sink(adapter)
        app = App(settings, adapters=[adapter], clock=clock)
        await app.start(run_timers=False)
        try:
            await join(api, app, settings, group)
            hello = api.post(facilitator, group.chat, "hello")
            api.user_sends(group.admin, group.chat, "/surgery facilitator add", reply_to=hello.id)
            await wait_for(lambda: any("now a facilitator" in m.text for m in api.bot_messages(group.chat.id)),
                           "the facilitator", timeout=60)
            await open_surgery_with_all_rules_on(api, app, settings, group)
            await wait_for(lambda: not api.updates, "the set-up updates", timeout=60)
            await asyncio.sleep(0.2)
            load = Load()
            before = seen[0]
            started = time.perf_counter()
            await asyncio.gather(chatter(api, group, args.rate, args.duration, load),
                                 probes(api, group, facilitator, args.duration, args.asks, args.mutes, load))
            handled_in_window = seen[0] - before
            window = time.perf_counter() - started
            backlog = len(api.updates)
            print(f"queued {load.queued} chat messages in {window:.1f} s ({load.queued / window:.0f}/s); the product "
                  f"handled {handled_in_window} events in that time ({handled_in_window / window:.0f}/s); backlog "
                  f"at the end of the window: {backlog} updates", flush=True)

            def pending() -> list[Probe]:
                for probe in load.probes:
                    if probe.answered_at is None:
                        probe.answered_at = answered(api, probe, group.chat.id)
                return [p for p in load.probes if p.answered_at is None]

            try:
                await wait_for(lambda: not pending(), "every probe to be answered", timeout=args.drain, interval=0.05)
            except TimeoutError:
                print(f"{len(pending())} probes still unanswered after {args.drain:.0f} s of draining")
            print(f"drained after {time.perf_counter() - started:.1f} s in all", flush=True)
        finally:
            await app.stop()
            await api.stop()
    report(load.probes)


def report(all_probes: list[Probe]) -> None:
    for kind, what in (("ask", "/ask → question posted (sendMessage)"),
                       ("mute", "/mute → restrictChatMember")):
        done = [(p.answered_at - p.queued_at) * 1000 for p in all_probes if p.kind == kind and p.answered_at]
        missing = sum(1 for p in all_probes if p.kind == kind and not p.answered_at)
        if not done:
            print(f"{what}: no answers ({missing} probes)")
            continue
        p99 = percentile(done, 0.99)
        print(f"{what}: n={len(done)}{f' (+{missing} unanswered)' if missing else ''}, "
              f"p50 {percentile(done, 0.50):.0f} ms, p99 {p99:.0f} ms, mean {statistics.fmean(done):.0f} ms, "
              f"max {max(done):.0f} ms; target p99 < 100 ms {'met' if p99 < 100 and not missing else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=500, help="chat messages queued per second (default 500)")
    parser.add_argument("--duration", type=float, default=20, help="seconds of chat (default 20)")
    parser.add_argument("--residents", type=int, default=50, help="residents chatting in turn (default 50)")
    parser.add_argument("--asks", type=int, default=30, help="/ask probes (default 30)")
    parser.add_argument("--mutes", type=int, default=30, help="/mute probes (default 30)")
    parser.add_argument("--drain", type=float, default=600, help="seconds to wait for the probes after the chat")
    parser.add_argument("--real-send-limits", action="store_true",
                        help="keep the adapter's outbound budget (20 group messages a minute)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    print(f"machine: {machine()}")
    print(f"{args.residents} residents at {args.rate:.0f} messages/s for {args.duration:.0f} s, {args.asks} /ask and "
          f"{args.mutes} /mute probes, send limits {'real' if args.real_send_limits else 'lifted'}", flush=True)
    asyncio.run(run(args))
    print(f"load average at the end: {machine().rsplit('load average ', 1)[1]}")


if __name__ == "__main__":
    main()
