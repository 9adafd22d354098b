"""The community policy and the rules' verdicts in words: what `/surgery policy` shows and the reason a case
records. The policy and the verdicts are the domain's (facilitation/); the sentences come from the catalogue."""

from __future__ import annotations

from config.messages import Messages
from facilitation.durations import format_duration
from facilitation.rules.policy import Policy, RuleMode
from facilitation.rules.engine import Verdict
from facilitation.rules.escalation import EscalationStep, StepKind

_TEXT = Messages()


def reason(verdict: Verdict, messages: Messages | None = None) -> str:
    """The case reason: `flood (dry run): would have applied the next escalation step`."""
    say = messages or _TEXT
    effects = say.join(say("effects_joiner"), (say(f"effect_{effect.value}") for effect in verdict.effects))
    key = "verdict_reason_on" if verdict.acts else "verdict_reason_dry_run"
    return say(key, clause=verdict.clause, effects=effects)


def _step_text(step: EscalationStep, messages: Messages) -> str:
    if step.kind == StepKind.MUTE and step.duration is not None:
        return messages("policy_step_mute", duration=format_duration(step.duration))
    return messages(f"policy_step_{step.kind.value}")


def render_policy(policy: Policy, *, default_contact: str, approved_version: int | None = None,
                  messages: Messages | None = None) -> str:
    """The policy as `/surgery policy` shows it: one line per rule, terms and patterns counted, not listed."""
    say = messages or _TEXT

    def mode(value: RuleMode) -> str:
        return say(f"policy_mode_{value.value}")

    if approved_version == policy.version:
        status = say("policy_status_approved")
    elif approved_version is None:
        status = say("policy_status_unapproved")
    else:
        status = say("policy_status_outdated", approved=approved_version)
    heat = policy.heat
    lines = [
        say("policy_title", version=policy.version, status=status),
        say(f"policy_scope_{policy.scope.value}"),
        say("policy_flood", mode=mode(policy.flood.mode), max_messages=policy.flood.max_messages,
            window_seconds=policy.flood.window_seconds),
        say("policy_blocklist", mode=mode(policy.blocklist.mode), terms=len(policy.blocklist.terms),
            patterns=len(policy.blocklist.patterns)),
        say("policy_links", mode=mode(policy.links.mode), hours=policy.links.new_member_hours),
        say("policy_personal_data", mode=mode(policy.personal_data.mode),
            kinds=say.join(", ", (say(f"policy_kind_{kind.value}") for kind in policy.personal_data.kinds)) or "—"),
        say("policy_safeguarding", mode=mode(policy.safeguarding.mode), terms=len(policy.safeguarding.terms),
            contact=policy.safeguarding.contact or default_contact),
        say("policy_heat", mode=mode(heat.mode), burst_messages=heat.burst_messages,
            burst_seconds=heat.burst_seconds, exchange_messages=heat.exchange_messages,
            exchange_seconds=heat.exchange_seconds, cool_down_minutes=heat.cool_down_minutes,
            slow_mode_seconds=heat.slow_mode_seconds),
        say("policy_escalation", ladder=say.join(" → ", (_step_text(step, say) for step in policy.escalation.steps)),
            expiry_days=policy.escalation.warning_expiry_days),
        say("policy_kick_ban", kick=say("policy_allowed" if policy.kick_allowed else "policy_not_allowed"),
            ban=say("policy_allowed" if policy.ban_allowed else "policy_not_allowed")),
        say("policy_modlog_set" if policy.modlog_chat_id else "policy_modlog_unset"),
        say("policy_footer"),
    ]
    return say.join("\n", lines)  # bilingual: the whole policy in Welsh, then in English
