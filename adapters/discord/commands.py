"""The application (slash) commands the bot registers on Discord, and how an invocation is read back into the
same `/verb args` words the text platforms produce, so the core parses one grammar everywhere."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

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


def _user(required: bool = True) -> Option:
    return Option("user", "The member", USER, required)


def _text(name: str, description: str, required: bool = False) -> Option:
    return Option(name, description, STRING, required)


_REASON = _text("reason", "Why (shown in the case log)")
_NOTE = _text("note", "A short note")
# Host moves act on the live question unless another is named; the number comes first, as in `/park #4 later`.
_WHICH = Option("question", "Question number (empty: the live question)", QUESTION)
_WHY = _text("reason", "Why (the asker is told privately)")

SURGERY = Command("surgery", "Surgery sessions and community settings", children=(
    Command("accept", "Complete the council's invitation", (_text("code", "The invitation code", True),)),
    Command("leave", "Make the bot say goodbye and leave this server"),
    Command("policy", "See, change or approve the community's rules", children=(
        Command("show", "Show the current rules"),
        Command("set", "Change one rule", (_text("key", "Rule name", True), _text("value", "New value", True))),
        Command("approve", "Approve the current rules"),
    )),
    Command("facilitator", "Appoint facilitators", children=(
        Command("add", "Appoint a facilitator", (_user(),)),
        Command("remove", "Remove a facilitator", (_user(),)),
        Command("list", "List the facilitators"),
    )),
    Command("modlog", "Where moderation cases are posted", children=(
        Command("here", "Post cases in this channel"),
    )),
    Command("listening", "Opt-in aggregated theme counts", children=(
        Command("on", "Turn listening on"),
        Command("off", "Turn listening off"),
        Command("status", "What listening collects"),
    )),
    Command("schedule", "Schedule a surgery", (
        _text("when", "e.g. 2026-12-01 18:00 or tomorrow 18:00", True),
        _text("duration", "e.g. 1h or 90m", True),
        _text("topic", "What it is about"),
        Option("strict", "A facilitator approves each question first", FLAG),
        Option("host", "Facilitators: the councillor who hosts", USER),
    )),
    Command("open", "Open the surgery"),
    Command("pause", "Pause the surgery"),
    Command("resume", "Resume the surgery"),
    Command("extend", "Extend the surgery", (_text("duration", "e.g. 15m", True),)),
    Command("cancel", "Cancel the scheduled surgery"),
    Command("close", "Close the surgery"),
    Command("status", "The surgery's status"),
    Command("mode", "Approve each question first (strict) or not (permissive)", (
        Option("mode", "strict or permissive", STRING, True, ("strict", "permissive")),
    )),
))

TOP_LEVEL = (
    Command("about", "Who runs this bot and how to remove it"),
    Command("privacy", "What the bot stores and for how long"),
    Command("help", "What you can do here"),
    Command("ask", "Ask the councillor a question", (_text("text", "Your question", True),)),
    Command("queue", "The top of the question queue"),
    Command("approve", "Strict mode: let a question into the queue",
            (Option("number", "Question number", INTEGER, True),)),
    Command("next", "Take the next question"),
    Command("answered", "Mark the live question answered", (_WHICH, _NOTE)),
    Command("park", "Park the live question", (_WHICH, _REASON)),
    Command("dismiss", "Dismiss the live question", (_WHICH, _WHY)),
    Command("merge", "Merge two questions", (Option("a", "Question number", INTEGER, True),
                                             Option("b", "Question number", INTEGER, True))),
    Command("refer", "Refer the live question to casework", (_WHICH, _NOTE)),
    Command("reopen", "Reopen a question", (Option("number", "Question number", INTEGER, True),)),
    Command("warn", "Warn a member", (_user(), _REASON)),
    Command("mute", "Time a member out", (_user(), _text("duration", "e.g. 10m, 2h, 1d", True), _REASON)),
    Command("unmute", "Lift a member's timeout", (_user(),)),
    Command("remove", "Delete a message", (Option("message", "Message link or ID", MESSAGE, True), _REASON)),
    Command("kick", "Remove a member from the server", (_user(), _REASON)),
    Command("ban", "Ban a member", (_user(), _text("duration", "e.g. 7d (empty: until unbanned)"), _REASON)),
    Command("unban", "Lift a ban", (_user(),)),
    Command("slowmode", "Slow mode for this channel", (_text("seconds", "Seconds between messages, or off", True),)),
    Command("lock", "Only staff and the asker with the floor may post"),
    Command("unlock", "Everyone may post again"),
    Command("cases", "Moderation cases", (_user(required=False),)),
    Command("undo", "Reverse a case", (Option("case", "Case number", INTEGER, True),)),
    Command("report", "Flag a message to the facilitators", (Option("message", "Message link or ID", MESSAGE, True),
                                                             _REASON)),
    Command("appeal", "Appeal a moderation case", (Option("case", "Case number", INTEGER, True),
                                                   _text("text", "Your appeal", True))),
    Command("link", "Link your councillor account", (_text("code", "The code you were given", True),)),
    Command("mydata", "Get everything stored about you"),
    Command("forgetme", "Erase what is stored about you"),
)

COMMANDS: dict[str, Command] = {command.name: command for command in (SURGERY, *TOP_LEVEL)}

# Right-click "Apps" menu on a message: the Discord way to name a message without a reply.
MESSAGE_MENU: dict[str, str] = {"Report message": "report", "Remove message": "remove"}


def command_payloads() -> list[dict[str, Any]]:
    """The body of `PUT /applications/{id}/commands` (bulk overwrite: idempotent on every start)."""
    chat_input = [command.payload(nested=False) for command in COMMANDS.values()]
    menus = [{"name": name, "type": MESSAGE_CONTEXT, "description": ""} for name in MESSAGE_MENU]
    return chat_input + menus


@dataclass(frozen=True, slots=True)
class Invocation:
    name: str
    args: str
    mentions: tuple[str, ...] = ()  # user ids named by user options
    target_message: str | None = None  # a message id named by a message option or the message menu


_MESSAGE_LINK = re.compile(r"(?:channels/(?:\d+|@me)/\d+/)?(?P<id>\d{5,25})\s*$")


def _message_id(value: str) -> str | None:
    match = _MESSAGE_LINK.search(value.strip())
    return match["id"] if match else None


def read_invocation(data: dict[str, Any]) -> Invocation | None:
    """Interaction `data` → the command name and its arguments as text, options in declaration order (Discord
    does not promise an order). Unknown commands (a stale registration) give None."""
    if data.get("type", CHAT_INPUT) == MESSAGE_CONTEXT:
        verb = MESSAGE_MENU.get(data.get("name", ""))
        return Invocation(verb, "", target_message=str(data["target_id"])) if verb else None
    command = COMMANDS.get(data.get("name", ""))
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
