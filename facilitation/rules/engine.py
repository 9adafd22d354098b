"""Every automatic rule over one message: `evaluate(facts, state, policy, now) -> (state, verdicts)`; each
verdict cites its clause, its mode (on or dry run) and its intended effects, for the wiring to act on."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from functools import lru_cache

from facilitation.rules.policy import Policy, RuleMode, Scope
from facilitation.rules.blocklist import PatternMatcher, TermMatcher, pattern_matcher, term_matcher
from facilitation.rules.flood import check_flood
from facilitation.rules.heat import HeatState, HeatThresholds, check_heat
from facilitation.rules.links import newcomer_link
from facilitation.rules.normalise import prepare_for_matching
from facilitation.rules.personal_data import find_personal_data
from facilitation.rules.safeguarding import find_concern
from vocabulary.refs import UserRef

# Platforms cap messages near 4,096 characters; anything longer is cut before matching so no input can make
# a decision expensive.
MAX_TEXT = 16_384


class Rule(StrEnum):
    PERSONAL_DATA = "personal_data"
    BLOCKLIST = "blocklist"
    LINKS = "links"
    FLOOD = "flood"
    SAFEGUARDING = "safeguarding"
    HEAT = "heat"


class Effect(StrEnum):
    DELETE_MESSAGE = "delete_message"
    ESCALATE = "escalate"  # the author's next ladder step: `escalation.next_step`
    INVITE_PRIVATE_RESEND = "invite_private_resend"  # a private note: send it to the host instead
    ALERT_FACILITATORS = "alert_facilitators"  # privately, never in the group
    SLOW_MODE = "slow_mode"


@dataclass(frozen=True, slots=True)
class MessageFacts:
    """What the rules need to know about one post, and nothing more. The edge builds it from the platform's
    event (`bot.moderation.rules.facts_from_message`)."""

    author: UserRef
    message_id: str
    text: str
    sent_at: datetime
    edited: bool = False
    joined_at: datetime | None = None  # when the author joined the chat, if the bot saw it
    exempt: bool = False  # staff (host, facilitators, admins) and bots: rules never act on them


@dataclass(frozen=True, slots=True)
class SlowMode:
    interval_seconds: int
    until: datetime


@dataclass(frozen=True, slots=True)
class Verdict:
    rule: Rule
    clause: str  # e.g. "flood", "blocklist:term", "personal_data:phone,email"; safe to show publicly
    mode: RuleMode  # ON acts; DRY_RUN is logged as "would have …"
    effects: tuple[Effect, ...]
    subject: UserRef | None  # whose message it is; None for a chat-wide verdict (heat)
    message_id: str | None
    evidence: str = ""  # for staff only (which term or pattern); never the personal data itself
    contact: str = ""  # safeguarding: whom the facilitators should call
    slow_mode: SlowMode | None = None
    participants: tuple[UserRef, ...] = ()  # heat: the two people in a rapid exchange

    @property
    def acts(self) -> bool:
        return self.mode == RuleMode.ON


def acting_effects(verdicts: Iterable[Verdict]) -> frozenset[Effect]:
    """What to actually do for one message: several rules may ask to delete it or escalate; do it once."""
    return frozenset(effect for verdict in verdicts if verdict.acts for effect in verdict.effects)


@dataclass(frozen=True, slots=True)
class RulesState:
    """One community's short-lived rule memory: seconds to minutes of history, bounded by the windows.
    Never mutated; `evaluate` returns a new one. Losing it on restart only resets the counters."""

    flood: Mapping[UserRef, tuple[datetime, ...]] = field(default_factory=dict)
    heat: HeatState = HeatState()


@dataclass(frozen=True, slots=True)
class RuleBook:
    """A policy with its matchers compiled; the automata are shared between policies with the same terms."""

    policy: Policy
    blocklist: TermMatcher
    patterns: PatternMatcher
    safeguarding: TermMatcher
    heat: HeatThresholds
    # Worked out once here rather than for every message.
    personal_data_kinds: frozenset[str]
    flood_window: timedelta
    links_window: timedelta


def compile_rules(policy: Policy, council_terms: frozenset[str] = frozenset()) -> RuleBook:
    """`council_terms` is a council-wide blocklist the community's additions extend, if there is one."""
    heat = policy.heat
    return RuleBook(
        policy=policy,
        blocklist=term_matcher(frozenset(policy.blocklist.terms) | council_terms),
        patterns=pattern_matcher(policy.blocklist.patterns, policy.blocklist.input_cap),
        safeguarding=term_matcher(frozenset(policy.safeguarding.terms)),
        heat=HeatThresholds(
            burst_messages=heat.burst_messages, burst_window=timedelta(seconds=heat.burst_seconds),
            exchange_messages=heat.exchange_messages, exchange_window=timedelta(seconds=heat.exchange_seconds),
            cool_down=timedelta(minutes=heat.cool_down_minutes),
        ),
        personal_data_kinds=frozenset(policy.personal_data.kinds),
        flood_window=timedelta(seconds=policy.flood.window_seconds),
        links_window=timedelta(hours=policy.links.new_member_hours),
    )


@lru_cache(maxsize=128)
def _rules_by_content(policy: Policy) -> RuleBook:
    return compile_rules(policy)


# Hashing a policy walks every term, so the per-message lookup goes by identity first; each entry keeps its
# policy alive, which stops the id from being reused while it is cached.
_BY_IDENTITY: dict[int, tuple[Policy, RuleBook]] = {}
_IDENTITY_SLOTS = 128


def rules_for(policy: Policy | RuleBook) -> RuleBook:
    """The compiled rules for a policy, built once per distinct policy."""
    if isinstance(policy, RuleBook):
        return policy
    cached = _BY_IDENTITY.get(id(policy))
    if cached is not None and cached[0] is policy:
        return cached[1]
    book = _rules_by_content(policy)
    if len(_BY_IDENTITY) >= _IDENTITY_SLOTS:
        del _BY_IDENTITY[next(iter(_BY_IDENTITY))]
    _BY_IDENTITY[id(policy)] = (policy, book)
    return book


def applies(policy: Policy, session_open: bool) -> bool:
    """Whether automatic rules run now: during a session by default, at all times if the policy says so.
    (The wiring also requires the policy version to be approved.)"""
    return session_open or policy.scope == Scope.ALWAYS


def _verdict(rule: Rule, clause: str, mode: RuleMode, effects: tuple[Effect, ...], facts: MessageFacts,
             evidence: str = "", contact: str = "") -> Verdict:
    return Verdict(rule=rule, clause=clause, mode=mode, effects=effects, subject=facts.author,
                   message_id=facts.message_id, evidence=evidence, contact=contact)


def _content_verdicts(facts: MessageFacts, text: str, book: RuleBook, now: datetime,
                      default_contact: str) -> list[Verdict]:
    policy = book.policy
    verdicts: list[Verdict] = []
    if policy.personal_data.mode != RuleMode.OFF:
        wanted = book.personal_data_kinds
        kinds = [kind.value for kind in find_personal_data(text) if kind in wanted]
        if kinds:
            verdicts.append(_verdict(Rule.PERSONAL_DATA, "personal_data:" + ",".join(kinds),
                                     policy.personal_data.mode,
                                     (Effect.DELETE_MESSAGE, Effect.INVITE_PRIVATE_RESEND), facts))
    prepared = None
    if policy.blocklist.mode != RuleMode.OFF:
        prepared = prepare_for_matching(text)
        term = book.blocklist.first_match(prepared)
        pattern = None if term else book.patterns.first_match(text)
        hit = (("blocklist:term", term.term) if term
               else ("blocklist:pattern", f"pattern {pattern.index}") if pattern else None)
        if hit:
            clause, evidence = hit
            verdicts.append(_verdict(Rule.BLOCKLIST, clause, policy.blocklist.mode,
                                     (Effect.DELETE_MESSAGE, Effect.ESCALATE), facts, evidence))
    if policy.links.mode != RuleMode.OFF and newcomer_link(
            text, facts.joined_at, now, window=book.links_window):
        verdicts.append(_verdict(Rule.LINKS, "links:newcomer", policy.links.mode,
                                 (Effect.DELETE_MESSAGE, Effect.ESCALATE), facts))
    if policy.safeguarding.mode != RuleMode.OFF:
        prepared = prepared if prepared is not None else prepare_for_matching(text)
        concern = find_concern(prepared, book.safeguarding, policy.safeguarding.contact or default_contact)
        if concern:
            verdicts.append(_verdict(Rule.SAFEGUARDING, "safeguarding", policy.safeguarding.mode,
                                     (Effect.ALERT_FACILITATORS,), facts, concern.term, concern.contact))
    return verdicts


def evaluate(message: MessageFacts, state: RulesState, policy: Policy | RuleBook, now: datetime, *,
             default_contact: str = "") -> tuple[RulesState, list[Verdict]]:
    """Every enabled rule over one post (new or edited). Flood and heat count new posts only; content rules
    judge edits as well. Rules set to `off` cost nothing. Call only when `applies(...)` is true."""
    book = rules_for(policy)
    rules = book.policy
    if message.exempt:
        return state, []
    text = message.text[:MAX_TEXT]
    verdicts = _content_verdicts(message, text, book, now, default_contact)

    flood_state = state.flood
    if rules.flood.mode != RuleMode.OFF and not message.edited:
        window = book.flood_window
        check = check_flood(state.flood.get(message.author, ()), now, max_messages=rules.flood.max_messages,
                            window=window)
        # A copy with this person's entry moved to the end, so the map runs from the longest quiet to the latest
        # poster. Copying keeps the keys' hashes; rebuilding the map recomputed them all, which made this the
        # costliest line of a benign message.
        flood_state = dict(state.flood)
        flood_state.pop(message.author, None)
        if check.history:
            flood_state[message.author] = check.history
        # Forget people who fell out of the window, so the map stays as small as the current conversation.
        quiet = []
        since = now - window
        for person, times in flood_state.items():
            if times[-1] > since:
                break
            quiet.append(person)
        for person in quiet:
            del flood_state[person]
        if check.flooding:
            verdicts.append(_verdict(Rule.FLOOD, "flood", rules.flood.mode, (Effect.ESCALATE,), message))

    heat_state = state.heat
    if rules.heat.mode != RuleMode.OFF:
        flagged = bool(verdicts) and any(verdict.rule != Rule.SAFEGUARDING for verdict in verdicts)
        heat = check_heat(state.heat, author=message.author, flagged=flagged, counted=not message.edited,
                          now=now, thresholds=book.heat)
        heat_state = heat.state
        if heat.trigger is not None and heat.cooling_until is not None:
            verdicts.append(Verdict(
                rule=Rule.HEAT, clause=f"heat:{heat.trigger.value}", mode=rules.heat.mode,
                effects=(Effect.SLOW_MODE, Effect.ALERT_FACILITATORS), subject=None, message_id=message.message_id,
                slow_mode=SlowMode(rules.heat.slow_mode_seconds, heat.cooling_until), participants=heat.pair,
            ))
    return RulesState(flood=flood_state, heat=heat_state), verdicts
