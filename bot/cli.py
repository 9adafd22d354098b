"""The `surgerybot` command line (typer + rich). Every listing or creating command takes `--json`.
Errors an operator can fix are one plain sentence and a non-zero exit, never a traceback."""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from bot.clock import SystemClock
from bot.errors import ConfigurationError, UserInputError
from bot.logs import configure_logging
from bot.operator import Operator
from bot.storage.database import Database
from config.settings import Settings, load_settings
from facilitation.durations import parse_duration

T = TypeVar("T")
log = logging.getLogger("surgerybot")

app = typer.Typer(help="surgerybot: council surgeries inside the community groups residents already use.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
db_app = typer.Typer(help="Database schema commands.", no_args_is_help=True)
invite_app = typer.Typer(help="One-time invitations that let a community admin bring the bot into a group.",
                         no_args_is_help=True)
councillor_app = typer.Typer(help="Councillors who host surgeries.", no_args_is_help=True)
facilitator_app = typer.Typer(help="Facilitators appointed by the operator for a community.", no_args_is_help=True)
communities_app = typer.Typer(help="Communities the council is (or was) a guest in.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(invite_app, name="invite")
app.add_typer(councillor_app, name="councillor")
app.add_typer(facilitator_app, name="facilitator")
app.add_typer(communities_app, name="communities")
sessions_app = typer.Typer(help="Surgery sessions: scheduled, running and past.", no_args_is_help=True)
app.add_typer(sessions_app, name="sessions")

out = Console()
err = Console(stderr=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON instead of a table.")]


def fail(message: str, code: int = 1) -> None:
    # soft_wrap: no hard line breaks inside the sentence, so a path or id in it can be copied whole.
    err.print(f"[bold red]Error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def settings_or_exit() -> Settings:
    try:
        return load_settings()
    except ConfigurationError as error:
        fail(str(error), 2)
        raise  # unreachable: fail() exits


def run_async(factory: Callable[[], Awaitable[T]]) -> T:
    try:
        return asyncio.run(factory())
    except (ConfigurationError, UserInputError) as error:
        fail(str(error), 2 if isinstance(error, ConfigurationError) else 1)
        raise
    except OverflowError:
        # An id longer than the database's 64-bit integers (e.g. 99999999999999999999) names nothing.
        fail("That number is too large to be an id; the list commands show the ids in use.")
        raise


def write_output(path: Path, text: str) -> None:
    """Write an export or report to the operator's chosen file, saying plainly why if it can't be done."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        fail(f"Couldn't write {path}: {error.strerror or error}.")


async def with_operator(settings: Settings, job: Callable[[Operator], Awaitable[T]]) -> T:
    db = Database(settings.database_url)
    try:
        if db.is_sqlite:
            await db.upgrade()
        return await job(Operator(db, settings, SystemClock()))
    finally:
        await db.dispose()


def operator_job(job: Callable[[Operator], Awaitable[T]]) -> T:
    settings = settings_or_exit()
    configure_logging("WARNING", settings.log_format.value)
    return run_async(lambda: with_operator(settings, job))


def print_rows(rows: list[dict[str, Any]], columns: list[str], as_json: bool, title: str) -> None:
    if as_json:
        out.print_json(json.dumps(rows, default=str))
        return
    if not rows:
        out.print(f"No {title.lower()} yet.")
        return
    table = Table(title=title)
    for column in columns:
        table.add_column(column.replace("_", " "))
    for row in rows:
        table.add_row(*(str(row.get(column, "")) for column in columns))
    out.print(table)


# -- running ------------------------------------------------------------------------------------------------

@app.command()
def run() -> None:
    """Run every configured platform adapter in one event loop until stopped (Ctrl-C or SIGTERM)."""
    settings = settings_or_exit()
    if not settings.configured_platforms:
        fail("No platform token is set. Set SURGERYBOT_TELEGRAM__TOKEN (from @BotFather) and/or "
             "SURGERYBOT_DISCORD__TOKEN (from the Discord Developer Portal), in the environment or in .env.", 2)
    secrets = [s.get_secret_value() for s in (settings.telegram.token, settings.discord.token,
                                              settings.telegram.webhook_secret) if s]
    configure_logging(settings.log_level, settings.log_format.value, secrets)
    run_async(lambda: _run_forever(settings))


async def _run_forever(settings: Settings) -> None:
    from bot.app import App, build_platform_adapters

    clock = SystemClock()
    app_ = App(settings, adapters=build_platform_adapters(settings, clock), clock=clock)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await app_.start()
        out.print(f"surgerybot is running on {', '.join(settings.configured_platforms)}. Ctrl-C stops it.")
        await stop.wait()
        log.info("stopping: finishing work in hand and closing connections")
    finally:
        await app_.stop()
        log.info("surgerybot stopped")


@app.command()
def demo(
    database: Annotated[Path | None, typer.Option(help="SQLite file to use (default: a fresh temporary file).")] = None,
) -> None:
    """Run a scripted surgery on the built-in local platform and print the transcript. Needs no tokens."""
    from bot.demo import run_demo

    configure_logging("WARNING", "text")
    if database is None:
        database = Path(tempfile.mkdtemp(prefix="surgerybot-demo-")) / "demo.db"
    run_async(lambda: run_demo(database, out=lambda line: out.print(line, highlight=False, markup=False, soft_wrap=True)))
    out.print(f"\nDemo finished. Its database is {database}", highlight=False)


@app.command()
def check() -> None:
    """Validate the settings, reach the database and say which platforms are configured."""
    settings = settings_or_exit()
    configure_logging("WARNING", settings.log_format.value)

    async def _check() -> None:
        db = Database(settings.database_url)
        try:
            if db.is_sqlite:
                await db.upgrade()
            revision = await db.current_revision()
        except Exception as error:  # any driver error: say it plainly
            raise ConfigurationError(f"Could not reach the database at SURGERYBOT_DATABASE_URL: {error}") from None
        finally:
            await db.dispose()
        out.print(f"✔ settings are valid (council: {settings.council.name}, timezone {settings.council.timezone})")
        out.print(f"✔ database reachable, schema revision {revision}")
        if not settings.configured_platforms:
            out.print("✘ no platform token set: SURGERYBOT_TELEGRAM__TOKEN and/or SURGERYBOT_DISCORD__TOKEN")
            raise typer.Exit(1)
        from bot.app import build_platform_adapters

        for adapter in build_platform_adapters(settings, SystemClock()):
            probe = getattr(adapter, "check", None)
            if probe is None:
                out.print(f"• {adapter.platform}: token set")
                continue
            try:
                out.print(f"✔ {adapter.platform}: {await probe()}")
            except Exception as error:
                out.print(f"✘ {adapter.platform}: {error}")
                raise typer.Exit(1) from None

    run_async(_check)


# -- database -------------------------------------------------------------------------------------------------

@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Apply schema migrations (SQLite does this by itself on first run; PostgreSQL needs it after upgrades)."""
    settings = settings_or_exit()
    configure_logging("WARNING", settings.log_format.value)

    async def _upgrade() -> str | None:
        db = Database(settings.database_url)
        try:
            await db.upgrade(revision)
            return await db.current_revision()
        finally:
            await db.dispose()

    out.print(f"Database schema is at revision {run_async(_upgrade)}.")


# -- invitations --------------------------------------------------------------------------------------------------

@invite_app.command("create")
def invite_create(
    community: Annotated[str, typer.Option(help="The community's name, e.g. \"Riverside Residents\".")],
    platform: Annotated[str, typer.Option(help="telegram or discord.")],
    expires: Annotated[str | None, typer.Option(help="How long the code stays valid, e.g. 14d or 48h.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Create a one-time invitation code (printed once; only its hash is stored)."""
    try:
        lifetime = parse_duration(expires, maximum=parse_duration("365d")) if expires else None
    except UserInputError as error:
        fail(f"--expires: {error}")
    created = operator_job(lambda op: op.create_invitation(community, platform.lower(), lifetime))
    if as_json:
        out.print_json(json.dumps(created.__dict__))
        return
    out.print(f"Invitation {created.id} for [bold]{created.community}[/] on {created.platform}")
    out.print(f"  code:    [bold]{created.code}[/]  (shown once; expires {created.expires_at})")
    if created.link:
        out.print(f"  link:    {created.link}", highlight=False)
    out.print(f"  how:     {created.instructions}", highlight=False)


@invite_app.command("list")
def invite_list(as_json: JsonOption = False) -> None:
    """List invitations and whether each is open, used, revoked or expired (codes are never shown again)."""
    rows = operator_job(lambda op: op.list_invitations())
    print_rows(rows, ["id", "community_name", "platform", "state", "created_at", "expires_at"], as_json,
               "Invitations")


@invite_app.command("revoke")
def invite_revoke(invitation_id: Annotated[int, typer.Argument(help="The invitation's id from `invite list`.")]) -> None:
    """Withdraw an invitation that has not been used yet."""
    operator_job(lambda op: op.revoke_invitation(invitation_id))
    out.print(f"Invitation {invitation_id} revoked.")


# -- councillors -----------------------------------------------------------------------------------------------------

@councillor_app.command("add")
def councillor_add(
    name: Annotated[str, typer.Option(help="The councillor's name as residents know it.")],
    ward: Annotated[str, typer.Option(help="Their ward.")] = "",
    as_json: JsonOption = False,
) -> None:
    """Register a councillor and print the one-time code they send to the bot with /link."""
    created = operator_job(lambda op: op.add_councillor(name, ward))
    if as_json:
        out.print_json(json.dumps(created))
        return
    out.print(f"Councillor {created['id']}: {created['name']}", highlight=False)
    out.print(f"  {created['instructions']}", highlight=False)


@councillor_app.command("list")
def councillor_list(as_json: JsonOption = False) -> None:
    """List councillors and whether they have linked a platform account."""
    rows = operator_job(lambda op: op.list_councillors())
    print_rows(rows, ["id", "name", "ward", "linked"], as_json, "Councillors")


@councillor_app.command("remove")
def councillor_remove(councillor_id: Annotated[int, typer.Argument(help="The id from `councillor list`.")]) -> None:
    """Remove a councillor (their sessions and history stay)."""
    operator_job(lambda op: op.remove_councillor(councillor_id))
    out.print(f"Councillor {councillor_id} removed.")


# -- facilitators ------------------------------------------------------------------------------------------------------

@facilitator_app.command("add")
def facilitator_add(
    community: Annotated[str, typer.Option(help="Community name or id.")],
    user_id: Annotated[str, typer.Option(help="The facilitator's platform user id (numeric id or snowflake).")],
    name: Annotated[str, typer.Option(help="A display name for listings.")] = "",
) -> None:
    """Appoint a facilitator in a community."""
    added = operator_job(lambda op: op.add_facilitator(community, user_id, name))
    out.print("Facilitator added." if added else "They were already a facilitator there.")


@facilitator_app.command("remove")
def facilitator_remove(
    community: Annotated[str, typer.Option(help="Community name or id.")],
    user_id: Annotated[str, typer.Option(help="The facilitator's platform user id.")],
) -> None:
    """Remove a facilitator from a community."""
    operator_job(lambda op: op.remove_facilitator(community, user_id))
    out.print("Facilitator removed.")


@facilitator_app.command("list")
def facilitator_list(
    community: Annotated[str | None, typer.Option(help="Only this community (name or id).")] = None,
    as_json: JsonOption = False,
) -> None:
    """List facilitators, for one community or all."""
    rows = operator_job(lambda op: op.list_facilitators(community))
    print_rows(rows, ["community_id", "platform", "user_id", "display_name", "appointed_by"], as_json,
               "Facilitators")


# -- communities ---------------------------------------------------------------------------------------------------------

@communities_app.command("list")
def communities_list(as_json: JsonOption = False) -> None:
    """List communities with their platform and state."""
    rows = operator_job(lambda op: op.list_communities())
    print_rows(rows, ["id", "name", "platform", "space_id", "state", "missing_rights"], as_json, "Communities")


@communities_app.command("show")
def communities_show(
    community: Annotated[str, typer.Argument(help="Community name or id.")],
    as_json: JsonOption = False,
) -> None:
    """Show one community in full, with its facilitators."""
    row = operator_job(lambda op: op.show_community(community))
    if as_json:
        out.print_json(json.dumps(row, default=str))
        return
    for key, value in row.items():
        out.print(f"{key.replace('_', ' ')}: {value}", highlight=False)


# -- sessions and reports ----------------------------------------------------------------------------------------

def reports_job(job: Callable[[Any], Awaitable[T]]) -> T:
    from bot.session_reports import SessionReports

    return operator_job(lambda op: job(SessionReports(op.db, op.clock)))


@sessions_app.command("list")
def sessions_list(as_json: JsonOption = False) -> None:
    """List surgery sessions with their state, host and times (UTC)."""
    rows = reports_job(lambda r: r.list_sessions())
    print_rows(rows, ["id", "state", "host", "starts_at", "questions", "topic"], as_json,
               "Sessions")


@sessions_app.command("show")
def sessions_show(
    session_id: Annotated[int, typer.Argument(help="The session's id from `sessions list`.")],
    as_json: JsonOption = False,
) -> None:
    """Show one session with its questions (never who asked) and casework references."""
    row = reports_job(lambda r: r.show_session(session_id))
    if as_json:
        out.print_json(json.dumps(row, default=str))
        return
    for key, value in row.items():
        if key not in ("questions", "referrals"):
            out.print(f"{key.replace('_', ' ')}: {value}", highlight=False)
    print_rows(row["questions"], ["number", "state", "visibility", "votes", "text"], False, "Questions")
    if row["referrals"]:
        print_rows(row["referrals"], ["reference", "question", "reply_due"], False, "Casework referrals")


@app.command()
def report(
    session_id: Annotated[int, typer.Argument(help="The session's id from `sessions list`.")],
    fmt: Annotated[str, typer.Option("--format", help="md or json.")] = "md",
    output: Annotated[Path | None, typer.Option(help="Write the report to this file instead of printing it.")] = None,
) -> None:
    """A session's report: counts, every question's outcome and votes; the stored one once it has closed."""
    text = reports_job(lambda r: r.render_report(session_id, fmt.lower()))
    if output is None:
        sys.stdout.write(text)
        return
    write_output(output, text)
    out.print(f"Report for session {session_id} written to {output}", highlight=False)


# Privacy commands (subject export|erase, retention run, listening report) live in their own module; they use
# the helpers above, so they are registered once those exist.
from bot.cli_privacy import register as _register_privacy  # noqa: E402

_register_privacy(app)

from bot.cli_exports import register as _register_exports  # noqa: E402

_register_exports(app)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
