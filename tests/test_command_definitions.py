"""The command menus each platform shows are generated from the commands the features declare: every declared
command is a Discord slash command (or `/surgery` subcommand) and in Telegram's menus unless the platform can't do
it, within each platform's limits; Discord options come back as the same words the handlers parse from typed text.
And the core never probes an adapter with getattr: each adapter satisfies the whole `Adapter` protocol."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

from adapters.discord.adapter import DiscordAdapter
from adapters.discord.slash_commands import CommandTable, read_invocation
from adapters.local.adapter import LocalAdapter
from adapters.telegram.adapter import TelegramAdapter
from adapters.telegram.menus import menus
from bot.adapter import Adapter
from bot.features import COMMAND_GROUPS, ArgKind, CommandSpec, Where, capitalise
from bot.rights import Capability
from facilitation.queue import parse_number, parse_target
from facilitation.schedule_parse import STRICT_FLAG
from tests.declared import declared_commands

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def specs() -> tuple[CommandSpec, ...]:
    return declared_commands()


def discord_table() -> CommandTable:
    return CommandTable.from_specs(declared_commands(), DiscordAdapter.capabilities)


def test_every_declared_command_is_a_discord_command(specs) -> None:  # type: ignore[no-untyped-def]
    table = discord_table()
    for spec in specs:
        verb, _, sub = spec.name.partition(" ")
        if not spec.offered_on(DiscordAdapter.capabilities):
            assert verb not in table.commands, spec.name
            continue
        command = table.commands[verb]
        if sub:
            command = next(child for child in command.children if child.name == sub)
        if spec.subcommands:
            assert [(c.name, [o.name for o in c.options]) for c in command.children] == \
                [(s.name, [a.name for a in s.args]) for s in spec.subcommands], spec.name
        else:
            assert [o.name for o in command.options] == [a.name for a in spec.args], spec.name
        assert command.description == capitalise(spec.summary), spec.name
    assert table.message_menu == {s.message_action: s.name for s in specs if s.message_action}
    assert "start" not in table.commands  # a Telegram deep-link answer; Discord has no such links


def test_telegram_menus_are_the_declared_commands_telegram_can_do(specs) -> None:  # type: ignore[no-untyped-def]
    group, private = menus(specs, TelegramAdapter.capabilities)
    expected_group: dict[str, str] = {}
    expected_private: dict[str, str] = {}
    for spec in specs:
        if not spec.offered_on(TelegramAdapter.capabilities):
            continue
        summary = capitalise(COMMAND_GROUPS.get(spec.verb, spec.summary) if " " in spec.name else spec.summary)
        if spec.where in (Where.GROUP, Where.ANYWHERE):
            expected_group.setdefault(spec.verb, summary)
        if spec.where in (Where.PRIVATE, Where.ANYWHERE):
            expected_private.setdefault(spec.verb, summary)
    assert dict(group) == expected_group and dict(private) == expected_private
    assert "slowmode" not in dict(group)  # Telegram never lets a bot set slow mode
    assert {"surgery", "ask", "mute", "report", "start"} <= set(dict(group))
    assert {"start", "link", "appeal", "mydata", "forgetme"} <= set(dict(private)) and "mute" not in dict(private)
    for name, description in group + private:
        assert re.fullmatch(r"[a-z0-9_]{1,32}", name) and 1 <= len(description) <= 256
    assert len(group) <= 100 and len(private) <= 100


def test_a_command_needing_a_capability_is_offered_only_where_it_exists(specs) -> None:  # type: ignore[no-untyped-def]
    slowmode = next(s for s in specs if s.name == "slowmode")
    assert slowmode.needs == (Capability.SLOW_MODE,)
    assert not slowmode.offered_on(TelegramAdapter.capabilities)
    assert slowmode.offered_on(DiscordAdapter.capabilities) and slowmode.offered_on(LocalAdapter.capabilities)


def test_declarations_fit_every_platform(specs) -> None:  # type: ignore[no-untyped-def]
    names = [s.name for s in specs]
    assert len(names) == len(set(names))
    for spec in specs:
        assert all(re.fullmatch(r"[a-z0-9_]{1,32}", word) for word in spec.name.split()), spec.name
        assert 1 <= len(spec.summary) <= 100, spec.name
        for arg in spec.args + tuple(a for sub in spec.subcommands for a in sub.args):
            assert re.fullmatch(r"[-_a-z0-9]{1,32}", arg.name) and 1 <= len(arg.description) <= 100
            assert bool(arg.choices) == (arg.kind == ArgKind.CHOICE), (spec.name, arg.name)
        assert not (spec.args and spec.subcommands), spec.name


def _walk(body: dict, path: str = "") -> list[tuple[str, dict]]:
    found = [(path + body["name"], body)]
    for option in body.get("options", ()):
        if option["type"] in (1, 2):
            found += _walk(option, path + body["name"] + " ")
    return found


def test_discord_payloads_are_what_discord_accepts() -> None:
    table = discord_table()
    for payload in table.payloads():
        if payload["type"] == 3:
            assert payload["name"] in table.message_menu
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
    return read_invocation(discord_table(), data)


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


def _probes_an_adapter(node: ast.AST) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("getattr", "hasattr")
            and bool(node.args) and "adapter" in ast.unparse(node.args[0]))


def test_the_core_never_probes_an_adapter() -> None:
    """Anything a platform may lack is a declared member or capability of the protocol, not a getattr probe."""
    offenders = []
    for path in sorted((ROOT / "bot").rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        offenders += [f"{path.relative_to(ROOT)}:{node.lineno}" for node in ast.walk(tree) if _probes_an_adapter(node)]
    assert offenders == []


@pytest.mark.parametrize("adapter_class", [LocalAdapter, TelegramAdapter, DiscordAdapter])
def test_each_adapter_implements_the_whole_protocol(adapter_class: type) -> None:
    protocol_members = {name for name in dir(Adapter) if not name.startswith("_")} | set(Adapter.__annotations__)
    for name in sorted(protocol_members):
        declared = inspect.getattr_static(Adapter, name, None)
        if name in Adapter.__annotations__:
            continue  # instance attributes: checked on an instance below
        implemented = inspect.getattr_static(adapter_class, name, None)
        assert implemented is not None, f"{adapter_class.__name__} lacks {name}"
        if inspect.iscoroutinefunction(declared):
            assert inspect.iscoroutinefunction(implemented), f"{adapter_class.__name__}.{name} must be async"
        if isinstance(declared, property):
            assert isinstance(implemented, property), f"{adapter_class.__name__}.{name} must be a property"


def test_adapter_instances_satisfy_the_protocol(tmp_path: Path) -> None:
    from adapters.local.world import LocalWorld
    from tests.clock import FakeClock
    from config.settings import DiscordSettings, Settings

    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'p.db'}", _env_file=None,
                        telegram={"token": "123:abc"}, discord=DiscordSettings(token="x"))
    clock = FakeClock()
    for adapter in (LocalAdapter(LocalWorld(), clock), TelegramAdapter(settings.telegram, clock),
                    DiscordAdapter(settings.discord, clock)):
        assert isinstance(adapter, Adapter), type(adapter).__name__
        for name in Adapter.__annotations__:
            assert hasattr(adapter, name), (type(adapter).__name__, name)
        assert isinstance(adapter.single_receiver, bool) and adapter.receive_updates is True
