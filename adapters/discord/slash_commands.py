"""The application (slash) commands the bot registers on Discord, generated from the core's declared commands
(subcommands for `/surgery x`, typed options from each command's declared arguments), and how an invocation is
read back into the same `/verb args` words the text platforms produce, so the core parses one grammar everywhere."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.features import COMMAND_GROUPS, Arg, ArgKind, CommandSpec, capitalise
from bot.rights import AdapterCapabilities

# Discord application-command option types.
SUB_COMMAND, SUB_COMMAND_GROUP, STRING, INTEGER, BOOLEAN, USER = 1, 2, 3, 4, 5, 6
# Our own markers: a string option naming a message (link or id); it becomes `reply_to`, not an argument.
MESSAGE = -1
# An integer option naming a question: read back as `#4`, the way staff type it on text platforms.
QUESTION = -2
# A true/false option read back as the flag `--name` when true (nothing when false).
FLAG = -3

_WIRE_TYPE = {MESSAGE: STRING, QUESTION: INTEGER, FLAG: BOOLEAN}

CHAT_INPUT, MESSAGE_CONTEXT = 1, 3


@dataclass(frozen=True, slots=True)
class Option:
    name: str
    description: str
    kind: int = STRING
    required: bool = False
    choices: tuple[str, ...] = ()  # a fixed menu of values (Discord shows them as a picker)

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {"type": _WIRE_TYPE.get(self.kind, self.kind), "name": self.name,
                                "description": self.description, "required": self.required}
        if self.choices:
            body["choices"] = [{"name": choice, "value": choice} for choice in self.choices]
        return body


@dataclass(frozen=True, slots=True)
class Command:
    """A command, a subcommand, or (when it has `children`) a subcommand group."""

    name: str
    description: str
    options: tuple[Option, ...] = ()
    children: tuple[Command, ...] = field(default=())

    def payload(self, *, nested: bool) -> dict[str, Any]:
        body: dict[str, Any] = {"name": self.name, "description": self.description}
        if self.children:
            body["options"] = [child.payload(nested=True) for child in self.children]
        else:
            body["options"] = [option.payload() for option in self.options]
        if nested:
            body["type"] = SUB_COMMAND_GROUP if self.children else SUB_COMMAND
        else:
            body["type"] = CHAT_INPUT
        return body


_OPTION_KIND = {ArgKind.TEXT: STRING, ArgKind.USER: USER, ArgKind.MESSAGE: MESSAGE, ArgKind.QUESTION: QUESTION,
                ArgKind.NUMBER: INTEGER, ArgKind.FLAG: FLAG, ArgKind.CHOICE: STRING}


def _described(text: str) -> str:
    return capitalise(text)[:100]


def _option(arg: Arg) -> Option:
    return Option(arg.name, _described(arg.description), _OPTION_KIND[arg.kind], arg.required, arg.choices)


def _leaf(name: str, summary: str, args: tuple[Arg, ...]) -> Command:
    return Command(name, _described(summary), tuple(_option(arg) for arg in args))


def _command(name: str, spec: CommandSpec) -> Command:
    if spec.subcommands:
        return Command(name, _described(spec.summary),
                       children=tuple(_leaf(sub.name, sub.summary, sub.args) for sub in spec.subcommands))
    return _leaf(name, spec.summary, spec.args)


@dataclass(frozen=True, slots=True)
class CommandTable:
    """The slash commands and message-menu entries generated from the core's declared commands."""

    commands: dict[str, Command] = field(default_factory=dict)
    # Right-click "Apps" menu on a message: the Discord way to name a message without a reply. Label → verb.
    message_menu: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_specs(cls, specs: Sequence[CommandSpec], capabilities: AdapterCapabilities) -> CommandTable:
        offered = [spec for spec in specs if spec.offered_on(capabilities)]
        commands: dict[str, Command | None] = {}
        children: dict[str, list[Command]] = {}
        for spec in offered:
            verb, _, sub = spec.name.partition(" ")
            if sub:
                commands.setdefault(verb, None)
                children.setdefault(verb, []).append(_command(sub, spec))
            else:
                commands[verb] = _command(verb, spec)
        for verb, kids in children.items():
            commands[verb] = Command(verb, _described(COMMAND_GROUPS.get(verb, verb)), children=tuple(kids))
        menu = {spec.message_action: spec.name for spec in offered if spec.message_action}
        return cls({verb: command for verb, command in commands.items() if command is not None}, menu)

    def payloads(self) -> list[dict[str, Any]]:
        """The body of `PUT /applications/{id}/commands` (bulk overwrite: idempotent on every start)."""
        chat_input = [command.payload(nested=False) for command in self.commands.values()]
        menus = [{"name": name, "type": MESSAGE_CONTEXT, "description": ""} for name in self.message_menu]
        return chat_input + menus


@dataclass(frozen=True, slots=True)
class Invocation:
    name: str
    args: str
    mentions: tuple[str, ...] = ()  # user ids named by user options
    target_message: str | None = None  # a message id named by a message option or the message menu


_MESSAGE_LINK = re.compile(r"(?:channels/(?:[0-9]+|@me)/[0-9]+/)?(?P<id>[0-9]{5,25})\s*$")


def _message_id(value: str) -> str | None:
    match = _MESSAGE_LINK.search(value.strip())
    return match["id"] if match else None


def read_invocation(table: CommandTable, data: dict[str, Any]) -> Invocation | None:
    """Interaction `data` → the command name and its arguments as text, options in declaration order (Discord
    does not promise an order). Unknown commands (a stale registration) give None."""
    if data.get("type", CHAT_INPUT) == MESSAGE_CONTEXT:
        verb = table.message_menu.get(data.get("name", ""))
        return Invocation(verb, "", target_message=str(data["target_id"])) if verb else None
    command = table.commands.get(data.get("name", ""))
    if command is None:
        return None
    words: list[str] = []
    options: list[dict[str, Any]] = list(data.get("options") or ())
    while options and options[0].get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP):
        child = next((c for c in command.children if c.name == options[0]["name"]), None)
        if child is None:
            return None
        command = child
        words.append(child.name)
        options = list(options[0].get("options") or ())
    given = {option["name"]: option for option in options}
    mentions: list[str] = []
    target = None
    for declared in command.options:
        option = given.get(declared.name)
        if option is None:
            continue
        value = str(option.get("value", "")).strip()
        if declared.kind == USER:
            mentions.append(value)
            words.append(f"<@{value}>")
        elif declared.kind == MESSAGE:
            target = _message_id(value)
        elif declared.kind == QUESTION:
            words.append(f"#{value}")
        elif declared.kind == FLAG:
            if option.get("value") is True or value.lower() == "true":
                words.append(f"--{declared.name}")
        elif value:
            words.append(value)
    return Invocation(data["name"], " ".join(words), tuple(mentions), target)
