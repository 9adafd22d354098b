"""Helpers the benchmark scripts share: the machine's description, waiting for a condition, medians of
alternated bare/product pairs, percentiles, the process's resident memory, and a throwaway database (a SQLite
file, or a fresh PostgreSQL database created next to the one a URL names and dropped afterwards).

Not a benchmark itself; the scripts in bench/ import it."""

from __future__ import annotations

import asyncio
import gc
import itertools
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config.settings import LimitSettings  # noqa: E402

# The set-up sends a dozen admin commands in a second, which the per-person command allowance would (rightly)
# refuse; the benchmarks measure the event path, not that allowance.
SETUP_LIMITS = LimitSettings(command_burst=1000)

LIBRARIES = ("python-telegram-bot", "discord.py", "SQLAlchemy", "aiosqlite", "asyncpg", "aiohttp")
DEADLINE_SECONDS = 900.0


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def load_average() -> str:
    try:
        return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    except OSError:
        return "unknown"


def versions() -> str:
    found = []
    for name in LIBRARIES:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    return ", ".join(found)


def machine() -> str:
    """One line: CPUs, CPU model, OS, Python, library versions and the load average right now."""
    return (f"{os.cpu_count()} CPUs, {cpu_model()}, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}; {versions()}; load average {load_average()}")


async def wait_for(condition: Callable[[], object], what: str, *, timeout: float = DEADLINE_SECONDS,
                   interval: float = 0.001) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting for {what}")
        await asyncio.sleep(interval)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def rss_mb() -> float:
    """This process's resident set size in MiB (VmRSS), or the peak from `resource` where /proc is missing."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass(frozen=True)
class Rate:
    """Events per second of one run, by the wall clock and by the process's CPU time. The fakes run in the same
    process, so CPU time counts their work too, for both halves alike; unlike the wall clock it does not count
    time other processes took from this one, which makes the CPU ratio the steadier figure on a busy machine."""

    wall: float
    cpu: float


class Stopwatch:
    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def rate(self, count: int) -> Rate:
        return Rate(count / (time.perf_counter() - self.wall), count / max(time.process_time() - self.cpu, 1e-9))


@dataclass
class Pairs:
    """Rates of alternated bare and product runs; the ratio is taken pair by pair, so a busy moment on the
    machine hits both halves of a pair alike."""

    bare: list[Rate] = field(default_factory=list)
    product: list[Rate] = field(default_factory=list)

    @property
    def ratios(self) -> list[float]:
        return [p.wall / b.wall for b, p in zip(self.bare, self.product, strict=True)]

    @property
    def cpu_ratios(self) -> list[float]:
        return [p.cpu / b.cpu for b, p in zip(self.bare, self.product, strict=True)]

    def report(self, title: str, target: float) -> str:
        ratios = self.ratios
        median = statistics.median(ratios)
        verdict = "met" if median >= target else "NOT met"
        cpu = self.cpu_ratios
        return (f"{title}\n"
                f"  bare:    median {statistics.median(r.wall for r in self.bare):8.0f}/s   runs {_rates(self.bare)}\n"
                f"  product: median {statistics.median(r.wall for r in self.product):8.0f}/s   runs {_rates(self.product)}\n"
                f"  ratio product/bare: median {median:.3f} (pairs {', '.join(f'{r:.3f}' for r in ratios)}; "
                f"min {min(ratios):.3f}, max {max(ratios):.3f}); target ≥ {target} {verdict}\n"
                f"  by CPU time: median {statistics.median(cpu):.3f} (pairs {', '.join(f'{r:.3f}' for r in cpu)})\n"
                f"  best run against best run (by CPU time; what a machine that never got in the way would "
                f"show): {self.best_ratio:.3f}")

    @property
    def best_ratio(self) -> float:
        """The product's fastest run over the bare client's fastest, by CPU time: a stricter reading than the
        median of pairs when one half's runs vary more than the other's (the bare client's, here)."""
        return max(r.cpu for r in self.product) / max(r.cpu for r in self.bare)


def _rates(rates: list[Rate]) -> str:
    return ", ".join(f"{r.wall:.0f}" for r in rates)


async def alternate(pairs: int, bare: Callable[[], Awaitable[Rate]], product: Callable[[], Awaitable[Rate]],
                    *, label: str = "") -> Pairs:
    """Run bare, product, bare, product… `pairs` times; each callable returns a rate. Prints as it goes."""
    result = Pairs()
    for n in range(pairs):
        # Each run starts with what earlier runs left collected, so neither half pays for the other's garbage.
        gc.collect()
        result.bare.append(await bare())
        gc.collect()
        result.product.append(await product())
        b, p = result.bare[-1], result.product[-1]
        print(f"  {label}pair {n + 1}/{pairs}: bare {b.wall:.0f}/s, product {p.wall:.0f}/s, "
              f"ratio {p.wall / b.wall:.3f} (by CPU time {p.cpu / b.cpu:.3f})", flush=True)
    return result


_fresh = itertools.count(1)


@asynccontextmanager
async def scratch_database(url: str | None) -> AsyncIterator[str]:
    """A SQLAlchemy URL for an empty database used by one run. Without `url`: a SQLite file in a temporary
    directory. With a postgresql+asyncpg URL: a new database `bench_<pid>_<n>` on the same server (the database
    the URL names is only used to connect and is never changed), migrated to the latest schema through
    `Database.upgrade`, dropped afterwards."""
    if url is None:
        with tempfile.TemporaryDirectory() as workdir:
            yield f"sqlite+aiosqlite:///{Path(workdir) / 'bench.db'}"
        return
    if not url.startswith("postgresql+asyncpg://"):
        raise SystemExit("--database-url must be a postgresql+asyncpg:// URL (or omitted for SQLite)")
    import asyncpg
    from sqlalchemy.engine import make_url

    from bot.storage.database import Database

    server = make_url(url)
    name = f"bench_{os.getpid()}_{next(_fresh)}"
    admin_dsn = server.set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(admin_dsn)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    fresh = server.set(database=name).render_as_string(hide_password=False)
    try:
        db = Database(fresh)
        await db.upgrade()
        await db.dispose()
        yield fresh
    finally:
        connection = await asyncpg.connect(admin_dsn)
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await connection.close()


def counting_sink(adapter: object) -> list[int]:
    """Wrap `adapter.start` so that the sink the core hands it counts events the core has finished with (the
    sink returned, or the core's chat filter turned the message away before translation). Returns the one-element counter. Independent of how the core is built inside."""
    seen = [0]
    start = adapter.start  # type: ignore[attr-defined]

    async def start_counting(sink, hears=None):  # type: ignore[no-untyped-def]
        async def counted(event):  # type: ignore[no-untyped-def]
            try:
                return await sink(event)
            finally:
                seen[0] += 1

        def counted_hears(chat, kind):  # type: ignore[no-untyped-def]
            # A message the core's filter turns away at the adapter's door is finished with too.
            heard = hears(chat, kind)
            if not heard:
                seen[0] += 1
            return heard

        return await (start(counted) if hears is None else start(counted, counted_hears))

    adapter.start = start_counting  # type: ignore[attr-defined]
    return seen
