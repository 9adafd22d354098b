"""The rules engine: every rule through `evaluate`, modes, scope, edits, exemptions and verdict wording."""

from __future__ import annotations

import random
import string
from datetime import UTC, datetime, timedelta

import pytest

from bot.events import MessageReceived
from bot.moderation.rules import facts_from_message
from bot.refs import ChatKind, ChatRef, MessageRef, Platform, Sender, UserRef
from config.policy_text import reason
from facilitation.rules.policy import DEFAULT_POLICY, Policy, RuleMode, set_value
from facilitation.rules.engine import (
    Effect,
    MessageFacts,
    Rule,
    RulesState,
    Verdict,
    acting_effects,
    applies,
    evaluate,
    rules_for,
)

T0 = datetime(2026, 3, 1, 18, 0, tzinfo=UTC)
ANNA = UserRef(Platform.LOCAL, "anna")
BEN = UserRef(Platform.LOCAL, "ben")
CONTACT = "the council's safeguarding team on 0300 000 0000"
RULES = ("flood", "blocklist", "links", "personal_data", "safeguarding", "heat")


def policy_with(mode: str = "on", **settings: str) -> Policy:
    policy = DEFAULT_POLICY
    for rule in RULES:
        policy = set_value(policy, f"{rule}.mode", mode)
    for key, value in settings.items():
        policy = set_value(policy, key.replace("__", "."), value)
    return policy


ON = policy_with("on", blocklist__terms="idiot, shut up", blocklist__patterns=r"free\s+crypto")
counter = iter(range(10**9))


def post(text: str, *, author: UserRef = ANNA, second: float = 0, edited: bool = False,
         joined_hours_ago: float | None = None, exempt: bool = False) -> MessageFacts:
    now = T0 + timedelta(seconds=second)
    joined = None if joined_hours_ago is None else now - timedelta(hours=joined_hours_ago)
    return MessageFacts(author=author, message_id=str(next(counter)), text=text, sent_at=now, edited=edited,
                        joined_at=joined, exempt=exempt)


def judge(facts: MessageFacts, policy: Policy = ON, state: RulesState | None = None,
          ) -> tuple[RulesState, list[Verdict]]:
    return evaluate(facts, state or RulesState(), policy, facts.sent_at, default_contact=CONTACT)


def clauses(verdicts: list[Verdict]) -> list[str]:
    return [verdict.clause for verdict in verdicts]


def test_an_ordinary_message_draws_no_verdict() -> None:
    assert judge(post("When will the potholes on Mill Lane be fixed?"))[1] == []


def test_personal_data_is_deleted_and_the_author_invited_to_send_it_privately() -> None:
    (verdict,) = judge(post("my number is 07911 123456 and I'm at 12 Acacia Avenue, SW1A 1AA"))[1]
    assert verdict.rule == Rule.PERSONAL_DATA
    assert verdict.clause == "personal_data:phone,address"
    assert verdict.effects == (Effect.DELETE_MESSAGE, Effect.INVITE_PRIVATE_RESEND)
    assert verdict.subject == ANNA and verdict.acts
    # The data itself appears nowhere in the verdict or its reason.
    for text in (verdict.clause, verdict.evidence, reason(verdict)):
        assert "07911" not in text and "123456" not in text and "SW1A" not in text


def test_personal_data_kinds_follow_the_policy() -> None:
    policy = set_value(ON, "personal_data.kinds", "email")
    assert judge(post("07911 123456"), policy)[1] == []
    assert clauses(judge(post("me@example.org"), policy)[1]) == ["personal_data:email"]


def test_blocklist_term_cites_the_clause_without_the_term() -> None:
    (verdict,) = judge(post("you 1d10t"))[1]
    assert verdict.clause == "blocklist:term"
    assert verdict.evidence == "idiot"  # staff-only evidence
    assert "idiot" not in reason(verdict)
    assert verdict.effects == (Effect.DELETE_MESSAGE, Effect.ESCALATE)


def test_blocklist_pattern() -> None:
    (verdict,) = judge(post("FREE   CRYPTO here"))[1]
    assert (verdict.clause, verdict.evidence) == ("blocklist:pattern", "pattern 1")


def test_pathological_admin_pattern_through_the_engine() -> None:
    policy = set_value(ON, "blocklist.patterns", "(a+)+$")
    assert judge(post("a" * 3000 + "!"), policy)[1] == []
    assert clauses(judge(post("hello aaaa"), policy)[1]) == ["blocklist:pattern"]


def test_ten_thousand_term_blocklist_through_the_engine() -> None:
    rng = random.Random(3)
    terms = sorted({"".join(rng.choices(string.ascii_lowercase, k=9)) for _ in range(10_000)})
    policy = set_value(ON, "blocklist.terms", ", ".join(terms))
    assert len(policy.blocklist.terms) == len(terms)
    assert clauses(judge(post(f"well {terms[1234].upper()} to you"), policy)[1]) == ["blocklist:term"]
    assert judge(post("nothing wrong with this"), policy)[1] == []
    assert rules_for(policy) is rules_for(policy)  # compiled once


def test_links_from_newcomers_only() -> None:
    (verdict,) = judge(post("cheap stuff at https://spam.example.com", joined_hours_ago=2))[1]
    assert verdict.clause == "links:newcomer"
    assert verdict.effects == (Effect.DELETE_MESSAGE, Effect.ESCALATE)
    assert judge(post("see https://council.gov.uk/bins", joined_hours_ago=100))[1] == []
    assert judge(post("see https://council.gov.uk/bins"))[1] == []  # join time unknown


def test_link_window_follows_the_policy() -> None:
    policy = set_value(ON, "links.new_member_hours", "1")
    assert judge(post("www.example.com", joined_hours_ago=2), policy)[1] == []


def test_safeguarding_is_a_private_alert_only() -> None:
    (verdict,) = judge(post("some days I want to end my life"))[1]
    assert verdict.rule == Rule.SAFEGUARDING
    assert verdict.effects == (Effect.ALERT_FACILITATORS,)  # never a delete, a warning or a mute
    assert verdict.contact == CONTACT
    assert verdict.evidence == "end my life"


def test_safeguarding_uses_the_community_contact_when_set() -> None:
    policy = set_value(ON, "safeguarding.contact", "Riverside DSL")
    (verdict,) = judge(post("he hits me"), policy)[1]
    assert verdict.contact == "Riverside DSL"


def test_flood_escalates_on_the_message_that_crosses_the_line() -> None:
    state = RulesState()
    found = []
    for i in range(6):
        state, verdicts = judge(post(f"message {i}", second=i), state=state)
        found.append(clauses(verdicts))
    assert found == [[]] * 5 + [["flood"]]


def test_flood_is_per_person() -> None:
    state = RulesState()
    for i in range(8):
        state, verdicts = judge(post("hi", author=ANNA if i % 2 else BEN, second=i * 0.5),
                                policy=set_value(ON, "heat.mode", "off"), state=state)
        assert verdicts == []


def test_flood_thresholds_follow_the_policy() -> None:
    policy = set_value(set_value(ON, "flood.max_messages", "2"), "heat.mode", "off")
    state = RulesState()
    results = []
    for i in range(3):
        state, verdicts = judge(post("x", second=i), policy, state)
        results.append(clauses(verdicts))
    assert results == [[], [], ["flood"]]


def test_edits_are_judged_on_content_but_not_counted_for_flood() -> None:
    state = RulesState()
    for i in range(10):
        state, verdicts = judge(post("fixed a typo", second=i, edited=True), state=state)
        assert verdicts == []
    (verdict,) = judge(post("edited to say idiot", edited=True))[1]
    assert verdict.clause == "blocklist:term"


def test_heat_after_a_burst_of_flagged_messages() -> None:
    state = RulesState()
    results = []
    for i, text in enumerate(["idiot", "shut up", "you idiot"]):
        state, verdicts = judge(post(text, author=ANNA if i % 2 else BEN, second=i * 10), state=state)
        results.append(clauses(verdicts))
    assert results[-1] == ["blocklist:term", "heat:burst"]
    heat = [v for v in judge(post("idiot", second=20), state=RulesState())[1] if v.rule == Rule.HEAT]
    assert heat == []
    state, verdicts = RulesState(), []
    for i in range(3):
        state, verdicts = judge(post("idiot", second=i), state=state)
    (cool,) = [v for v in verdicts if v.rule == Rule.HEAT]
    assert cool.effects == (Effect.SLOW_MODE, Effect.ALERT_FACILITATORS)
    assert cool.subject is None
    assert cool.slow_mode is not None
    assert cool.slow_mode.interval_seconds == 30
    assert cool.slow_mode.until == T0 + timedelta(seconds=2, minutes=5)


def test_heat_after_a_rapid_exchange_names_the_two_people() -> None:
    state, verdicts = RulesState(), []
    for i in range(8):
        state, verdicts = judge(post("no, you're wrong", author=ANNA if i % 2 else BEN, second=i * 4), state=state)
    (heat,) = verdicts
    assert heat.clause == "heat:exchange"
    assert set(heat.participants) == {ANNA, BEN}


def test_safeguarding_messages_do_not_feed_heat() -> None:
    state, verdicts = RulesState(), []
    for i in range(4):
        state, verdicts = judge(post("I want to end my life", author=ANNA if i % 2 else BEN, second=i * 30),
                                state=state)
        assert clauses(verdicts) == ["safeguarding"]


def test_dry_run_verdicts_say_what_would_have_happened() -> None:
    (verdict,) = judge(post("07911 123456"), DEFAULT_POLICY)[1]
    assert verdict.mode == RuleMode.DRY_RUN and not verdict.acts
    assert reason(verdict) == ("personal_data:phone (dry run): would have deleted the message and invited "
                               "the author to send it privately to the host")
    assert acting_effects([verdict]) == frozenset()


def test_rules_that_are_off_do_nothing() -> None:
    off = policy_with("off", blocklist__terms="idiot")
    state = RulesState()
    for i in range(20):
        state, verdicts = judge(post("idiot 07911 123456 end my life https://x.com", second=i,
                                     joined_hours_ago=0.1), off, state)
        assert verdicts == []
    assert state == RulesState()


def test_staff_and_bots_are_exempt() -> None:
    state = RulesState(flood={BEN: (T0,)})
    new_state, verdicts = judge(post("call the office on 020 7946 0958", exempt=True), state=state)
    assert verdicts == [] and new_state is state


def test_acting_effects_are_combined_once() -> None:
    verdicts = judge(post("idiot, call 07911 123456"))[1]
    assert clauses(verdicts) == ["personal_data:phone", "blocklist:term"]
    assert acting_effects(verdicts) == {Effect.DELETE_MESSAGE, Effect.INVITE_PRIVATE_RESEND, Effect.ESCALATE}


def test_state_is_never_mutated() -> None:
    state = RulesState()
    later, _ = judge(post("one"), state=state)
    assert state == RulesState() and later != state


def test_flood_memory_forgets_people_who_went_quiet() -> None:
    state, _ = judge(post("hi", author=BEN, second=0))
    state, _ = judge(post("hi", author=ANNA, second=60), state=state)
    assert set(state.flood) == {ANNA}


def test_a_long_mixed_script_message_with_zero_width_characters() -> None:
    pieces = ["Привет", "Γειά", "مرحبا", "你好", "i\u200bd\u200bi\u200bo\u200bt", "07911 123456", "🙂"]
    text = " \u200b".join(pieces[i % len(pieces)] for i in range(700))[:4096]
    assert len(text) == 4096
    assert clauses(judge(post(text))[1]) == ["personal_data:phone", "blocklist:term"]


def test_a_huge_message_is_capped() -> None:
    assert judge(post("a" * 100_000 + " idiot"))[1] == []


def test_scope() -> None:
    assert applies(DEFAULT_POLICY, session_open=True)
    assert not applies(DEFAULT_POLICY, session_open=False)
    always = set_value(DEFAULT_POLICY, "scope", "always")
    assert applies(always, session_open=False)


def test_facts_from_a_platform_message() -> None:
    chat = ChatRef(Platform.LOCAL, "-100")
    event = MessageReceived(update_key="u1", occurred_at=T0, chat=chat, chat_kind=ChatKind.GROUP,
                            sender=Sender(ANNA), message=MessageRef(chat, "42"), text="hello", edited=True)
    facts = facts_from_message(event, joined_at=T0 - timedelta(hours=1), exempt=False)
    assert (facts.author, facts.message_id, facts.text, facts.edited, facts.exempt) == (ANNA, "42", "hello", True,
                                                                                          False)
    bot = MessageReceived(update_key="u2", occurred_at=T0, chat=chat, chat_kind=ChatKind.GROUP,
                          sender=Sender(BEN, is_bot=True), message=MessageRef(chat, "43"), text="idiot")
    assert facts_from_message(bot, joined_at=None, exempt=False).exempt


@pytest.mark.parametrize("rule", RULES)
def test_each_rule_can_be_switched_off_alone(rule: str) -> None:
    policy = set_value(ON, f"{rule}.mode", "off")
    state = RulesState()
    seen = set()
    samples = ["idiot", "07911 123456", "https://spam.example.com", "I want to end my life"] * 3
    for i, text in enumerate(samples):
        state, verdicts = judge(post(text, second=i, joined_hours_ago=0.5), policy, state)
        seen.update(verdict.rule.value for verdict in verdicts)
    assert rule not in seen
    assert seen == set(RULES) - {rule}
