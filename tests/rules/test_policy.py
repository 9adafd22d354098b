"""The community policy: defaults, one-key changes with clear errors, and the `/surgery policy` rendering."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from config.policy_text import render_policy
from facilitation.rules.policy import (
    DEFAULT_POLICY,
    DEFAULT_SAFEGUARDING_TERMS,
    Policy,
    RuleMode,
    Scope,
    policy_keys,
    set_value,
    shown_value,
)
from facilitation.rules.escalation import DEFAULT_LADDER
from facilitation.rules.personal_data import PersonalDataKind
from tests.rules.refusals import refused


def value_of(policy: Policy, key: str):
    section, _, name = key.rpartition(".")
    return getattr(getattr(policy, section) if section else policy, name)


def test_defaults_follow_the_spec() -> None:
    policy = DEFAULT_POLICY
    assert policy.version == 1 and policy.scope == Scope.SESSION
    for rule in ("flood", "blocklist", "links", "personal_data", "safeguarding", "heat"):
        assert getattr(policy, rule).mode == RuleMode.DRY_RUN  # new rules start in dry-run
    assert policy.escalation.steps == DEFAULT_LADDER
    assert policy.escalation.warning_expiry_days == 30
    assert not policy.kick_allowed and not policy.ban_allowed
    assert policy.modlog_chat_id is None
    assert policy.heat.cool_down_minutes == 5
    assert policy.blocklist.input_cap == 4096
    assert policy.safeguarding.terms == DEFAULT_SAFEGUARDING_TERMS
    assert set(policy.personal_data.kinds) == set(PersonalDataKind)


# key -> (typed value, expected stored value, bad value, a fragment of the refusal)
CASES = {
    "scope": ("always", Scope.ALWAYS, "sometimes", "must be session"),
    "flood.mode": ("on", RuleMode.ON, "maybe", "off, dry-run or on"),
    "flood.max_messages": ("8", 8, "0", "from 1 to 100"),
    "flood.window_seconds": ("30", 30, "ten", "whole number"),
    "blocklist.mode": ("off", RuleMode.OFF, "enabled", "off, dry-run or on"),
    "blocklist.terms": ("idiot, shut up", ("idiot", "shut up"), "ok, !!!", "needs letters or digits"),
    "blocklist.patterns": (r"free\s+crypto", (r"free\s+crypto",), "(a+", "missing )"),
    "blocklist.input_cap": ("2048", 2048, "100", "from 256 to 16384"),
    "links.mode": ("On", RuleMode.ON, "sure", "off, dry-run or on"),
    "links.new_member_hours": ("48", 48, "-1", "whole number"),
    "personal_data.mode": ("ON", RuleMode.ON, "1", "off, dry-run or on"),
    "personal_data.kinds": ("phone, email", (PersonalDataKind.PHONE, PersonalDataKind.EMAIL), "phone, dna",
                            "comma-separated list"),
    "safeguarding.mode": ("on", RuleMode.ON, "loud", "off, dry-run or on"),
    "safeguarding.terms": ("help me", ("help me",), "x" * 101, "at most 100 characters"),
    "safeguarding.contact": ("Riverside safeguarding 0300 111 2222", "Riverside safeguarding 0300 111 2222",
                             "y" * 201, "at most 200 characters"),
    "heat.mode": ("on", RuleMode.ON, "hot", "off, dry-run or on"),
    "heat.burst_messages": ("4", 4, "1", "from 2 to 50"),
    "heat.burst_seconds": ("60", 60, "5", "from 10 to 3600"),
    "heat.exchange_messages": ("10", 10, "3", "from 4 to 50"),
    "heat.exchange_seconds": ("90", 90, "100000", "from 10 to 3600"),
    "heat.slow_mode_seconds": ("60", 60, "1.5", "whole number"),
    "heat.cool_down_minutes": ("10", 10, "61", "from 1 to 60"),
    "escalation.ladder": ("warn, mute 1h, remove", ("warn", "mute 1h", "remove"), "warn, ban", "can't include a ban"),
    "escalation.warning_expiry_days": ("14", 14, "366", "from 1 to 365"),
    "kick_allowed": ("on", True, "perhaps", "must be on or off"),
    "ban_allowed": ("yes", True, "2", "must be on or off"),
    "modlog_chat_id": ("-1001234567890", "-1001234567890", "z" * 65, "at most 64 characters"),
}


def test_every_key_is_covered_here() -> None:
    assert set(CASES) == set(policy_keys())


@pytest.mark.parametrize("key", sorted(CASES))
def test_set_each_key(key: str) -> None:
    typed, expected, _, _ = CASES[key]
    changed = set_value(DEFAULT_POLICY, key, typed)
    assert value_of(changed, key) == expected
    assert changed.version == DEFAULT_POLICY.version + 1
    # Everything else is untouched.
    for other in policy_keys():
        if other != key:
            assert value_of(changed, other) == value_of(DEFAULT_POLICY, other)


@pytest.mark.parametrize("key", sorted(CASES))
def test_refuse_a_bad_value_for_each_key(key: str) -> None:
    _, _, bad, fragment = CASES[key]
    with refused() as caught:
        set_value(DEFAULT_POLICY, key, bad)
    message = caught.text
    assert fragment in message
    assert message.count("\n") == 0


def test_unknown_key_names_the_keys() -> None:
    with refused("no policy setting “flood.speed”") as caught:
        set_value(DEFAULT_POLICY, "flood.speed", "3")
    assert "flood.max_messages" in caught.text


def test_version_cannot_be_set_by_hand() -> None:
    with refused("changes by itself"):
        set_value(DEFAULT_POLICY, "version", "9")


@pytest.mark.parametrize("typed", ["dry-run", "dry run", "DRY_RUN", "dryrun"])
def test_dry_run_spellings(typed: str) -> None:
    assert set_value(set_value(DEFAULT_POLICY, "links.mode", "on"), "links.mode", typed).links.mode == RuleMode.DRY_RUN


def test_setting_the_same_value_makes_no_new_version() -> None:
    assert set_value(DEFAULT_POLICY, "flood.mode", "dry-run") is DEFAULT_POLICY


def test_keys_are_case_insensitive_and_versions_count_up() -> None:
    policy = set_value(DEFAULT_POLICY, "Flood.Max_Messages", "8")
    policy = set_value(policy, "flood.window_seconds", "20")
    assert (policy.version, policy.flood.max_messages, policy.flood.window_seconds) == (3, 8, 20)


def test_lists_can_be_added_to_and_removed_from() -> None:
    policy = set_value(DEFAULT_POLICY, "blocklist.terms", "alpha, beta")
    policy = set_value(policy, "blocklist.terms", "+gamma, delta")
    policy = set_value(policy, "blocklist.terms", "-BETA")
    assert policy.blocklist.terms == ("alpha", "gamma", "delta")
    policy = set_value(policy, "safeguarding.terms", "+sleeping rough")
    assert policy.safeguarding.terms[-1] == "sleeping rough"
    assert len(policy.safeguarding.terms) == len(DEFAULT_SAFEGUARDING_TERMS) + 1


def test_terms_are_trimmed_and_deduplicated() -> None:
    policy = set_value(DEFAULT_POLICY, "blocklist.terms", "  shut    up , shut up, idiot")
    assert policy.blocklist.terms == ("shut up", "idiot")


def test_optional_text_can_be_cleared() -> None:
    policy = set_value(DEFAULT_POLICY, "modlog_chat_id", "-100123")
    assert set_value(policy, "modlog_chat_id", "none").modlog_chat_id is None


def test_policy_is_frozen_and_stored_documents_are_validated() -> None:
    with pytest.raises(ValidationError):
        DEFAULT_POLICY.flood.max_messages = 3  # type: ignore[misc]
    document = DEFAULT_POLICY.model_dump(mode="json")
    assert Policy.model_validate(document) == DEFAULT_POLICY
    document["escalation"]["ladder"] = ["warn", "ban"]
    with pytest.raises(ValidationError):
        Policy.model_validate(document)
    with pytest.raises(ValidationError):
        Policy.model_validate({"flood": {"nonsense": 1}})


def test_shown_value_never_lists_terms_or_patterns() -> None:
    policy = set_value(DEFAULT_POLICY, "blocklist.terms", "slurword, otherslur")
    assert shown_value(policy, "blocklist.terms") == "2"
    assert "slurword" not in shown_value(policy, "blocklist.terms")
    assert shown_value(policy, "kick_allowed") == "off"
    assert shown_value(policy, "escalation.ladder") == "warn, mute 10m, mute 1d, remove"


def test_rendering() -> None:
    policy = set_value(DEFAULT_POLICY, "blocklist.terms", "slurword")
    policy = set_value(policy, "flood.mode", "on")
    text = render_policy(policy, default_contact="the safeguarding team on 0300 000 0000", approved_version=1)
    assert "version 3" in text and "version 1 is the approved one" in text
    assert "Flood — flood.mode: on; more than 5 messages (flood.max_messages) in 10 seconds" in text
    assert "1 community terms" in text and "slurword" not in text
    assert "Blocklist — blocklist.mode: dry run" in text
    assert "a warning → mute for 10m → mute for 1d → removal from the session" in text
    assert "expire after 30 days" in text and "Never an automatic ban" in text
    assert "0300 000 0000" in text
    assert "only while a session is open" in text
    approved = render_policy(policy, default_contact="x", approved_version=3)
    assert "(approved)" in approved
    unapproved = render_policy(DEFAULT_POLICY, default_contact="x")
    assert "/surgery policy approve" in unapproved


def test_rendering_uses_the_community_contact_when_set() -> None:
    policy = set_value(DEFAULT_POLICY, "safeguarding.contact", "Riverside DSL on 07911 000000")
    assert "Riverside DSL" in render_policy(policy, default_contact="council team")


def test_rule_notices_have_the_fields_the_wiring_fills() -> None:
    from config.messages import Messages

    say = Messages()
    assert say.fields("rule_personal_data_note") == {"chat", "kinds"}
    assert say.fields("rule_safeguarding_alert") == {"person", "chat", "contact"}
    assert say.fields("rule_heat_alert") == {"chat", "clause", "minutes"}
    note = say("rule_personal_data_note", chat="Riverside Residents", kinds=say("policy_kind_phone"))
    assert "phone numbers" in note and "private" in note
