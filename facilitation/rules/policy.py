"""The community policy (SPEC §5): a versioned, pydantic-validated document of rule settings that admins see,
change one key at a time (`/surgery policy set flood.max_messages 8`) and approve."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Any

import annotated_types
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from facilitation.numbers import whole_number
from facilitation.problems import InputProblem
from facilitation.rules.blocklist import MAX_PATTERNS, compile_pattern
from facilitation.rules.escalation import DEFAULT_LADDER, EscalationStep, parse_ladder
from facilitation.rules.normalise import normalise
from facilitation.rules.personal_data import PersonalDataKind

MAX_TERMS = 20_000
MAX_SAFEGUARDING_TERMS = 2_000
MAX_TERM_LENGTH = 100
MAX_TEXT_LENGTH = 200


class RuleMode(StrEnum):
    OFF = "off"
    DRY_RUN = "dry-run"  # decide and log "would have …", but do nothing
    ON = "on"


class Scope(StrEnum):
    SESSION = "session"  # only while a session is open, to what is posted during it
    ALWAYS = "always"


# Words and phrases about self-harm, abuse and a child in danger. They only ever raise a private alert, so
# the list leans towards catching too much rather than too little.
DEFAULT_SAFEGUARDING_TERMS: tuple[str, ...] = (
    # self-harm and suicide
    "kill myself", "killing myself", "end my life", "ending my life", "take my own life", "suicide", "suicidal",
    "self harm", "harm myself", "hurt myself", "hurting myself", "cut myself", "cutting myself", "want to die",
    "better off dead", "no reason to live", "overdose",
    # abuse
    "abusing me", "abused me", "being abused", "hits me", "beats me", "domestic abuse", "domestic violence",
    "afraid to go home", "scared to go home", "not safe at home", "coercive control",
    # a child in danger
    "child in danger", "child is in danger", "child abuse", "child neglect", "grooming", "groomed",
    "county lines", "child exploitation", "sexual abuse",
)


def _check_terms(terms: tuple[str, ...], most: int) -> tuple[str, ...]:
    """Trimmed, de-duplicated terms; each must still have something to match after normalisation."""
    if len(terms) > most:
        raise InputProblem("policy_too_many", setting="the list", most=most)
    kept: dict[str, None] = {}
    for term in terms:
        cleaned = " ".join(term.split())
        if len(cleaned) > MAX_TERM_LENGTH:
            raise InputProblem("policy_term_too_long", most=MAX_TERM_LENGTH)
        if not normalise(cleaned.rstrip("*")):
            raise InputProblem("policy_term_empty")
        kept[cleaned] = None
    return tuple(kept)


def _check_patterns(patterns: tuple[str, ...]) -> tuple[str, ...]:
    if len(patterns) > MAX_PATTERNS:
        raise InputProblem("policy_too_many", setting="blocklist.patterns", most=MAX_PATTERNS)
    for pattern in patterns:
        compile_pattern(pattern)
    return patterns


def _check_ladder(steps: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(str(step) for step in parse_ladder(steps))


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FloodPolicy(_Section):
    mode: RuleMode = RuleMode.DRY_RUN
    max_messages: int = Field(5, ge=1, le=100)
    window_seconds: int = Field(10, ge=1, le=3600)


class BlocklistPolicy(_Section):
    mode: RuleMode = RuleMode.DRY_RUN
    terms: tuple[str, ...] = ()  # the community's additions to any council-wide list
    patterns: tuple[str, ...] = ()  # admin-written RE2 patterns
    input_cap: int = Field(4096, ge=256, le=16384)  # characters a pattern is run over

    @field_validator("terms")
    @classmethod
    def _terms(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _check_terms(value, MAX_TERMS)

    @field_validator("patterns")
    @classmethod
    def _patterns(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _check_patterns(value)


class LinksPolicy(_Section):
    mode: RuleMode = RuleMode.DRY_RUN
    new_member_hours: int = Field(24, ge=1, le=24 * 30)


class PersonalDataPolicy(_Section):
    mode: RuleMode = RuleMode.DRY_RUN
    kinds: tuple[PersonalDataKind, ...] = tuple(PersonalDataKind)


class SafeguardingPolicy(_Section):
    mode: RuleMode = RuleMode.DRY_RUN
    terms: tuple[str, ...] = DEFAULT_SAFEGUARDING_TERMS
    contact: str | None = Field(None, max_length=MAX_TEXT_LENGTH)  # None: the council's, from settings

    @field_validator("terms")
    @classmethod
    def _terms(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _check_terms(value, MAX_SAFEGUARDING_TERMS)


class HeatPolicy(_Section):
    mode: RuleMode = RuleMode.DRY_RUN
    burst_messages: int = Field(3, ge=2, le=50)
    burst_seconds: int = Field(120, ge=10, le=3600)
    exchange_messages: int = Field(8, ge=4, le=50)
    exchange_seconds: int = Field(60, ge=10, le=3600)
    slow_mode_seconds: int = Field(30, ge=5, le=3600)
    cool_down_minutes: int = Field(5, ge=1, le=60)


class EscalationPolicy(_Section):
    ladder: tuple[str, ...] = tuple(str(step) for step in DEFAULT_LADDER)
    warning_expiry_days: int = Field(30, ge=1, le=365)

    @field_validator("ladder")
    @classmethod
    def _ladder(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _check_ladder(value)

    @property
    def steps(self) -> tuple[EscalationStep, ...]:
        return parse_ladder(self.ladder)

    @property
    def warning_expiry(self) -> timedelta:
        return timedelta(days=self.warning_expiry_days)


class Policy(_Section):
    """One version of a community's rules. Changing a key makes the next version; the wiring keeps which
    version the admins approved, and automatic rules act only under an approved one."""

    version: int = Field(1, ge=1)
    scope: Scope = Scope.SESSION
    flood: FloodPolicy = FloodPolicy()
    blocklist: BlocklistPolicy = BlocklistPolicy()
    links: LinksPolicy = LinksPolicy()
    personal_data: PersonalDataPolicy = PersonalDataPolicy()
    safeguarding: SafeguardingPolicy = SafeguardingPolicy()
    heat: HeatPolicy = HeatPolicy()
    escalation: EscalationPolicy = EscalationPolicy()
    kick_allowed: bool = False
    ban_allowed: bool = False
    modlog_chat_id: str | None = Field(None, max_length=64)


DEFAULT_POLICY = Policy()
_LIST_LIMITS = {"blocklist.terms": MAX_TERMS, "safeguarding.terms": MAX_SAFEGUARDING_TERMS,
                "blocklist.patterns": MAX_PATTERNS}
# Lists whose content must not be echoed in a group: slurs, and words about people in distress.
_UNSHOWN = frozenset({"blocklist.terms", "blocklist.patterns", "safeguarding.terms"})


def policy_keys() -> tuple[str, ...]:
    """Every key `/surgery policy set` accepts, dotted."""
    keys: list[str] = []
    for name, info in Policy.model_fields.items():
        if name == "version":
            continue
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, _Section):
            keys.extend(f"{name}.{inner}" for inner in annotation.model_fields)
        else:
            keys.append(name)
    return tuple(keys)


_KEYS = policy_keys()


def _field(key: str) -> tuple[type[BaseModel], str]:
    if key == "version":
        raise InputProblem("policy_not_settable", setting=key)
    if key not in _KEYS:
        raise InputProblem("policy_unknown_key", setting=key[:40], keys=", ".join(_KEYS))
    section, _, name = key.rpartition(".")
    model = Policy.model_fields[section].annotation if section else Policy
    assert isinstance(model, type) and issubclass(model, BaseModel)  # policy_keys() lists model sections only
    return model, name


def _bounds(model: type[BaseModel], name: str) -> tuple[int, int]:
    low, high = 0, 10**9
    for item in model.model_fields[name].metadata:
        if isinstance(item, annotated_types.Ge) and isinstance(item.ge, int):
            low = item.ge
        elif isinstance(item, annotated_types.Le) and isinstance(item.le, int):
            high = item.le
    return low, high


_SWITCH = {"on": True, "yes": True, "true": True, "allowed": True,
           "off": False, "no": False, "false": False, "not-allowed": False}
_CLEAR = {"", "none", "unset", "-"}


def _edit_list(key: str, current: tuple[Any, ...], raw: str) -> tuple[str, ...]:
    """`a, b` replaces the list; `+a, b` adds to it; `-a` removes from it."""
    text = raw.strip()
    if text[:1] in "+-" and text[1:2] != "" and key != "escalation.ladder":
        items = [item.strip() for item in text[1:].split(",") if item.strip()]
        if text[0] == "+":
            return tuple(str(item) for item in current) + tuple(items)
        dropped = {item.casefold() for item in items}
        return tuple(str(item) for item in current if str(item).casefold() not in dropped)
    return tuple(item.strip() for item in text.split(",") if item.strip())


def _parse(key: str, model: type[BaseModel], name: str, current: Any, raw: str) -> Any:
    annotation = model.model_fields[name].annotation
    text = raw.strip()
    word = text.lower().replace(" ", "-").replace("_", "-")
    if annotation is RuleMode:
        word = "dry-run" if word == "dryrun" else word
        if word not in set(RuleMode):
            raise InputProblem("policy_bad_mode", setting=key)
        return RuleMode(word)
    if annotation is Scope:
        if word not in set(Scope):
            raise InputProblem("policy_bad_scope")
        return Scope(word)
    if annotation is bool:
        if word not in _SWITCH:
            raise InputProblem("policy_bad_switch", setting=key)
        return _SWITCH[word]
    if annotation is int:
        low, high = _bounds(model, name)
        number = whole_number(text, max_digits=len(str(high)))
        if number is None or not low <= number <= high:
            raise InputProblem("policy_bad_number", setting=key, low=low, high=high)
        return number
    if annotation == tuple[PersonalDataKind, ...]:
        items = _edit_list(key, current, raw)
        known = {kind.value for kind in PersonalDataKind}
        if any(item.lower() not in known for item in items):
            raise InputProblem("policy_bad_kinds", setting=key, kinds=", ".join(sorted(known)))
        return tuple(dict.fromkeys(PersonalDataKind(item.lower()) for item in items))
    if annotation == tuple[str, ...]:
        items = _edit_list(key, current, raw)
        if key == "escalation.ladder":
            return _check_ladder(items)
        if key == "blocklist.patterns":
            return _check_patterns(items)
        try:
            return _check_terms(items, _LIST_LIMITS[key])
        except InputProblem as problem:
            raise InputProblem("policy_bad_value", setting=key, problem=problem) from None
    # Optional text (the safeguarding contact, the moderation-log chat id).
    if text.lower() in _CLEAR:
        return None
    most = next((item.max_length for item in model.model_fields[name].metadata
                 if isinstance(item, annotated_types.MaxLen)), None)
    if most is not None and len(text) > most:
        raise InputProblem("policy_text_too_long", setting=key, most=most)
    return text


def set_value(policy: Policy, key: str, raw: str) -> Policy:
    """The next version of `policy` with `key` set from what an admin typed, or `InputProblem` (`policy_*`,
    possibly carrying the list entry's own problem). Setting a key to the value it already has returns `policy` unchanged (no new version)."""
    key = key.strip().lower()
    model, name = _field(key)
    section, _, _ = key.rpartition(".")
    current = getattr(getattr(policy, section) if section else policy, name)
    value = _parse(key, model, name, current, raw)
    if value == current:
        return policy
    document = policy.model_dump()
    target = document[section] if section else document
    target[name] = value
    document["version"] = policy.version + 1
    try:
        return Policy.model_validate(document)
    except ValidationError as error:  # the checks above should have caught it; say so plainly anyway
        detail = error.errors()[0]
        cause = detail.get("ctx", {}).get("error")
        problem = cause if isinstance(cause, InputProblem) else detail["msg"].removeprefix("Value error, ").rstrip(".")
        raise InputProblem("policy_bad_value", setting=key, problem=problem) from None


def shown_value(policy: Policy, key: str) -> str:
    """The value of `key` as it may be said in the group: lists of terms and patterns only as a count."""
    _field(key)
    section, _, name = key.rpartition(".")
    value = getattr(getattr(policy, section) if section else policy, name)
    if key in _UNSHOWN:
        return str(len(value))
    if isinstance(value, tuple):
        return ", ".join(str(item) for item in value)
    if isinstance(value, bool):
        return "on" if value else "off"
    return "none" if value is None else str(value)


@dataclass(frozen=True, slots=True)
class ValueShape:
    """What one key accepts, as a catalogue code and its values: the sentence is the catalogue's."""

    code: str
    values: dict[str, object] = field(default_factory=dict)


def value_shape(key: str) -> ValueShape:
    """What `/surgery policy set <key>` takes, so an admin can be told the allowed values before guessing."""
    key = key.strip().lower()
    model, name = _field(key)
    info = model.model_fields[name]
    annotation = info.annotation
    if annotation is RuleMode:
        return ValueShape("policy_takes_mode")
    if annotation is Scope:
        return ValueShape("policy_takes_scope")
    if annotation is bool:
        return ValueShape("policy_takes_switch")
    if annotation is int:
        low, high = _bounds(model, name)
        return ValueShape("policy_takes_number", {"low": low, "high": high})
    if annotation == tuple[PersonalDataKind, ...]:
        return ValueShape("policy_takes_kinds", {"kinds": ", ".join(kind.value for kind in PersonalDataKind)})
    if key == "escalation.ladder":
        return ValueShape("policy_takes_ladder")
    if annotation == tuple[str, ...]:
        return ValueShape("policy_takes_list")
    most = next((item.max_length for item in info.metadata if isinstance(item, annotated_types.MaxLen)), 0)
    return ValueShape("policy_takes_text", {"most": most})
