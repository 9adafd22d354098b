"""What a feature declares, in one place: its commands (with their arguments, summary and who may use them), the
button prefixes it owns, its durable timer kinds with typed payloads, and its event handlers. The App wires these;
/help, Telegram's menus and Discord's slash commands are generated from the same declarations."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, Protocol, TypeVar

from bot.rights import AdapterCapabilities, Capability
from facilitation.roles import Role


class Where(StrEnum):
    ANYWHERE = "anywhere"
    GROUP = "group"
    PRIVATE = "private"


class ArgKind(StrEnum):
    TEXT = "text"  # free words; the last text argument takes the rest of the line
    USER = "user"  # a member, typed as a mention or picked from a list
    MESSAGE = "message"  # a message (link or id); on text platforms, the message replied to
    QUESTION = "question"  # a question number, typed `#4`
    NUMBER = "number"  # a whole number (a case or question number typed plainly)
    FLAG = "flag"  # present or not, typed `--name`
    CHOICE = "choice"  # one of `choices`


@dataclass(frozen=True, slots=True)
class Arg:
    name: str
    description: str
    kind: ArgKind = ArgKind.TEXT
    required: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Subcommand:
    """One form of a command that takes a verb first, e.g. `set` in `/surgery policy set <key> <value>`."""

    name: str
    summary: str
    args: tuple[Arg, ...] = ()


@dataclass(frozen=True, slots=True)
class CommandSpec:
    name: str  # "about", or "surgery accept" for a subcommand
    handler: Callable[[Any], Awaitable[Sequence[Any]]]  # takes a bot.command_router.CommandCall
    summary: str  # shown by /help and, capitalised, in the platforms' menus
    role: Role = Role.ANYONE
    where: Where = Where.ANYWHERE
    destructive: bool = False  # refused to anonymous admins
    dormant_ok: bool = False  # answered in a group that has not accepted the invitation yet
    args: tuple[Arg, ...] = ()
    subcommands: tuple[Subcommand, ...] = ()  # a verb first; then each form's own args
    needs: tuple[Capability, ...] = ()  # offered only on platforms with these capabilities
    message_action: str = ""  # the label of an entry in a platform's message menu ("Report message")
    # Anyone may send it, but only an admin or a councillor has a use for it (/start CODE, /link CODE, both typed
    # from the council's instructions): /help lists it only to staff, so residents see what they can use.
    staff_help_only: bool = False

    @property
    def verb(self) -> str:
        return self.name.split()[0]

    def offered_on(self, capabilities: AdapterCapabilities) -> bool:
        """Whether a platform's menus offer this command: never one the platform would always refuse."""
        return all(capabilities.supports(need) for need in self.needs)

    def usable_in_groups(self) -> bool:
        return self.where in (Where.GROUP, Where.ANYWHERE)

    def usable_in_private(self) -> bool:
        return self.where in (Where.PRIVATE, Where.ANYWHERE)


# Commands whose words start with a group verb: `/surgery accept CODE`. The group's own summary for the menus.
COMMAND_GROUPS: Mapping[str, str] = {"surgery": "surgery sessions and community settings"}


@dataclass(frozen=True, slots=True)
class ButtonRoute:
    """Button presses whose data starts with `prefix` go to `handler` (a ButtonPressed → actions)."""

    prefix: str
    handler: Callable[[Any], Awaitable[Sequence[Any]]]


class TimerPayload(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


P = TypeVar("P", bound=TimerPayload)


@dataclass(frozen=True, slots=True)
class TimerKind(Generic[P]):
    """A kind of durable timer: its stored name and how its stored JSON payload reads back as a typed value."""

    name: str
    decode: Callable[[Mapping[str, Any]], P]


@dataclass(frozen=True, slots=True)
class TimerRoute(Generic[P]):
    """Timers of `kind` fire `handler(event, payload)`, the payload already typed."""

    kind: TimerKind[P]
    handler: Callable[[Any, P], Awaitable[Sequence[Any]]]


@dataclass(frozen=True, slots=True)
class EventRoute:
    event_type: type
    handler: Callable[[Any], Awaitable[Sequence[Any] | None]]


@dataclass(frozen=True, slots=True)
class Feature:
    name: str
    commands: tuple[CommandSpec, ...] = ()
    buttons: tuple[ButtonRoute, ...] = ()
    timers: tuple[TimerRoute[Any], ...] = ()
    events: tuple[EventRoute, ...] = ()


def on(event_type: type, handler: Callable[[Any], Awaitable[Sequence[Any] | None]]) -> EventRoute:
    return EventRoute(event_type, handler)


def summary_context(name: str) -> str:
    """The gettext context of a command's summary (or a command group's, by its verb), for translations."""
    return f"command:{name}"


def command_texts(commands: Sequence[CommandSpec]) -> dict[str, str]:
    """Every summary the menus and /help show, by gettext context: what `surgerybot i18n extract` adds to the
    message catalogue's entries."""
    texts = {summary_context(spec.name): spec.summary for spec in commands}
    texts.update({summary_context(verb): summary for verb, summary in COMMAND_GROUPS.items()})
    return texts


def _english(context: str, english: str) -> str:
    return english


def menu_commands(commands: Sequence[CommandSpec], capabilities: AdapterCapabilities, *,
                  private: bool, say: Callable[[str, str], str] = _english) -> list[tuple[str, str]]:
    """(verb, description) for one chat kind's command menu, in declaration order; a group verb such as
    `surgery` appears once, with the group's summary. `say(context, english)` translates a summary."""
    entries: dict[str, str] = {}
    for spec in commands:
        usable = spec.usable_in_private() if private else spec.usable_in_groups()
        if not usable or not spec.offered_on(capabilities) or spec.verb in entries:
            continue
        entries[spec.verb] = say(summary_context(spec.verb), COMMAND_GROUPS.get(spec.verb, spec.summary)) \
            if spec.verb != spec.name else say(summary_context(spec.name), spec.summary)
    return [(verb, capitalise(text)) for verb, text in entries.items()]


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]

