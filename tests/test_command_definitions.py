"""The command menus each platform shows agree with what the core handles: every command the router knows is a
Discord slash command (or `/surgery` subcommand) and in Telegram's menus, and Discord options come back as the
same words the handlers parse from typed text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from adapters.discord.commands import COMMANDS, MESSAGE_MENU, command_payloads, read_invocation
from adapters.telegram.commands import GROUP_COMMANDS, PRIVATE_COMMANDS
from bot.app import App
from bot.commands import Where
from config.settings import Settings
from facilitation.queue import parse_number, parse_target
from facilitation.schedule_parse import STRICT_FLAG

TELEGRAM_ONLY = {"start"}  # the deep-link start; Discord has no equivalent


@pytest.fixture
def specs(tmp_path: Path):  # type: ignore[no-untyped-def]
    app = App(Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'c.db'}", _env_file=None))
    return app.router.specs


def test_every_core_command_is_a_discord_command(specs) -> None:  # type: ignore[no-untyped-def]
    missing = []
    for name in specs:
        verb, _, sub = name.partition(" ")
        if verb in TELEGRAM_ONLY:
            continue
        command = COMMANDS.get(verb)
        if command is None or (sub and not any(child.name == sub for child in command.children)):
            missing.append(name)
    assert missing == []


def test_every_core_command_is_in_the_telegram_menus(specs) -> None:  # type: ignore[no-untyped-def]
    group = {name for name, _ in GROUP_COMMANDS}
    private = {name for name, _ in PRIVATE_COMMANDS}
    for name, spec in specs.items():
        verb = name.split()[0]
        if spec.where in (Where.GROUP, Where.ANYWHERE) and verb not in TELEGRAM_ONLY:
            assert verb in group, name
        if spec.where in (Where.PRIVATE, Where.ANYWHERE) and verb != "surgery":
            assert verb in private, name
    for name, description in GROUP_COMMANDS + PRIVATE_COMMANDS:
        assert re.fullmatch(r"[a-z0-9_]{1,32}", name) and 1 <= len(description) <= 256


def _walk(body: dict, path: str = "") -> list[tuple[str, dict]]:
    found = [(path + body["name"], body)]
    for option in body.get("options", ()):
        if option["type"] in (1, 2):
            found += _walk(option, path + body["name"] + " ")
    return found


def test_discord_payloads_are_what_discord_accepts() -> None:
    for payload in command_payloads():
        if payload["type"] == 3:
            assert payload["name"] in MESSAGE_MENU
            continue
        for path, body in _walk(payload):
            assert re.fullmatch(r"[-_a-z0-9]{1,32}", body["name"]), path
            assert 1 <= len(body["description"]) <= 100, path
            leaves = [o for o in body.get("options", ()) if o["type"] not in (1, 2)]
            assert len(body.get("options", ())) <= 25
            # Discord refuses a required option after an optional one.
            required = [o["required"] for o in leaves]
            assert required == sorted(required, reverse=True), path
            for option in leaves:
                assert option["type"] in (3, 4, 5, 6), (path, option["name"])  # our markers never reach Discord
                assert re.fullmatch(r"[-_a-z0-9]{1,32}", option["name"]) and 1 <= len(option["description"]) <= 100
                for choice in option.get("choices", ()):
                    assert choice["value"] and len(choice["name"]) <= 100


def _invoke(name: str, *options: dict, sub: str | None = None):  # type: ignore[no-untyped-def]
    data: dict = {"name": name, "type": 1, "options": list(options)}
    if sub is not None:
        data["options"] = [{"type": 1, "name": sub, "options": list(options)}]
    return read_invocation(data)


def _opt(name: str, value: object, kind: int = 3) -> dict:
    return {"name": name, "type": kind, "value": value}


def test_a_question_number_comes_back_as_staff_type_it() -> None:
    # Discord may send options in any order; they are read in declaration order.
    answered = _invoke("answered", _opt("note", "a survey is booked"), _opt("question", 4, 4))
    assert answered.args == "#4 a survey is booked"
    assert parse_target(answered.args) == (4, "a survey is booked")
    assert parse_target(_invoke("refer", _opt("note", "needs a visit")).args) == (None, "needs a visit")
    assert parse_target(_invoke("dismiss", _opt("question", 2, 4)).args) == (2, "")
    assert _invoke("park").args == ""
    merge = _invoke("merge", _opt("b", 5, 4), _opt("a", 3, 4)).args.split()
    assert [parse_number(w) for w in merge] == [3, 5]
    assert parse_number(_invoke("approve", _opt("number", 2, 4)).args) == 2
    assert parse_number(_invoke("reopen", _opt("number", 7, 4)).args) == 7


def test_schedule_options_come_back_as_the_typed_grammar() -> None:
    full = _invoke("surgery", _opt("when", "tomorrow 18:00"), _opt("duration", "1h"), _opt("topic", "Bins"),
                   _opt("strict", True, 5), _opt("host", "42", 6), sub="schedule")
    assert full.args == f"schedule tomorrow 18:00 1h Bins {STRICT_FLAG} <@42>"
    assert full.mentions == ("42",)
    plain = _invoke("surgery", _opt("when", "2026-12-01T18:00"), _opt("duration", "90m"), _opt("strict", False, 5),
                    sub="schedule")
    assert plain.args == "schedule 2026-12-01T18:00 90m"
    assert _invoke("surgery", _opt("mode", "strict"), sub="mode").args == "mode strict"
    assert _invoke("surgery", _opt("duration", "15m"), sub="extend").args == "extend 15m"
