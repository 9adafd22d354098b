"""The community policy as shown, and what the automatic rules say (facilitation/rules/policy.py, facilitation/rules/, bot/moderation/rules.py)."""

from __future__ import annotations

EN: dict[str, str] = {
    "policy_title": "Rules for sessions here — version {version} ({status}).",
    "policy_status_approved": "approved",
    "policy_status_unapproved": "not yet approved: admins, use /surgery policy approve",
    "policy_status_outdated": "version {approved} is the approved one; this one isn't yet",
    "policy_scope_session": "They apply only while a session is open, to what is posted during it (scope: session).",
    "policy_scope_always": "They apply at all times (scope: always).",
    "policy_mode_off": "off",
    "policy_mode_dry-run": "dry run (logs what it would do)",
    "policy_mode_on": "on",
    "policy_flood": (
        "• Flood — flood.mode: {mode}; more than {max_messages} messages (flood.max_messages) in {window_seconds} "
        "seconds (flood.window_seconds) from one person."
    ),
    "policy_blocklist": (
        "• Blocklist — blocklist.mode: {mode}; {terms} community terms (blocklist.terms) and {patterns} patterns "
        "(blocklist.patterns), not shown here."
    ),
    "policy_links": (
        "• Links from newcomers — links.mode: {mode}; members who joined less than {hours} hours ago "
        "(links.new_member_hours) can't post links."
    ),
    "policy_personal_data": (
        "• Personal data — personal_data.mode: {mode}; {kinds} (personal_data.kinds) posted in public are removed "
        "and the author is invited to send them privately to the host."
    ),
    "policy_kind_phone": "phone numbers",
    "policy_kind_email": "e-mail addresses",
    "policy_kind_address": "home addresses",
    "policy_kind_nhs_number": "NHS numbers",
    "policy_kind_ni_number": "National Insurance numbers",
    "policy_safeguarding": (
        "• Safeguarding — safeguarding.mode: {mode}; {terms} terms (safeguarding.terms); never acted on in public "
        "— facilitators are told privately (safeguarding.contact: {contact})."
    ),
    "policy_heat": (
        "• Heat — heat.mode: {mode}; {burst_messages} flagged messages (heat.burst_messages) in {burst_seconds} "
        "seconds (heat.burst_seconds), or {exchange_messages} quick messages between two people "
        "(heat.exchange_messages) within {exchange_seconds} seconds (heat.exchange_seconds), bring "
        "{cool_down_minutes} minutes (heat.cool_down_minutes) of slow mode, {slow_mode_seconds} seconds between "
        "messages (heat.slow_mode_seconds), and a note to facilitators."
    ),
    "policy_escalation": (
        "• Escalation — escalation.ladder: {ladder}; warnings expire after {expiry_days} days "
        "(escalation.warning_expiry_days). Never an automatic ban."
    ),
    "policy_step_warn": "a warning",
    "policy_step_mute": "mute for {duration}",
    "policy_step_remove": "removal from the session",
    "policy_kick_ban": (
        "• Kick — kick_allowed: {kick} · Ban — ban_allowed: {ban} (a ban needs a second facilitator to confirm)."
    ),
    "policy_allowed": "allowed",
    "policy_not_allowed": "not allowed",
    "policy_modlog_set": "• Moderation log: cases are posted to the log chat.",
    "policy_modlog_unset": "• Moderation log: not set (admins: /surgery modlog here).",
    "policy_footer": (
        "Change one: /surgery policy set <key> <value> (e.g. /surgery policy set flood.max_messages 8). "
        "/surgery policy set alone lists every key and the values it takes."
    ),
    "policy_settings_header": "Settings, with their value now and what they take — change one with "
                              "/surgery policy set <key> <value>:",
    "policy_setting_line": "• {setting}: {value} — {takes}",
    "policy_setting_one": (
        "{setting} is {value} now; it takes {takes}. Change it with /surgery policy set {setting} <value>."
    ),
    "policy_takes_mode": "off, dry-run or on",
    "policy_takes_scope": "session or always",
    "policy_takes_switch": "on or off",
    "policy_takes_number": "a whole number from {low} to {high}",
    "policy_takes_kinds": "a comma-separated list of: {kinds}",
    "policy_takes_ladder": "steps separated by commas: warn, mute <duration> (e.g. mute 10m), remove",
    "policy_takes_list": "a comma-separated list (+word adds, -word removes)",
    "policy_takes_text": "text of up to {most} characters, or none",
    "policy_changed": (
        "Policy version {version}: {setting} is now {value}. Admins, approve it with /surgery policy approve "
        "before the rules follow it."
    ),
    "policy_unknown_key": "There's no policy setting “{setting}”; the settings are: {keys}.",
    "policy_not_settable": "“{setting}” changes by itself and can't be set.",
    "policy_bad_number": "{setting} must be a whole number from {low} to {high}.",
    "policy_bad_mode": "{setting} must be off, dry-run or on.",
    "policy_bad_scope": "scope must be session (rules apply only while a session is open) or always.",
    "policy_bad_switch": "{setting} must be on or off.",
    "policy_bad_kinds": "{setting} takes a comma-separated list of: {kinds}.",
    "policy_bad_value": "{setting} can't be set to that: {problem}.",
    "policy_too_many": "{setting} can hold at most {most} entries.",
    "policy_text_too_long": "{setting} can be at most {most} characters long.",
    "policy_term_too_long": "a term can be at most {most} characters long",
    "policy_term_empty": "each term needs letters or digits",
    "duration_unreadable": "“{text}” isn't a duration. Use forms like 90s, 10m, 2h, 1d or 1h30m.",
    "duration_not_positive": "A duration must be longer than zero.",
    "duration_too_long": "That's too long: the maximum is {maximum}.",
    "duration_far_too_long": "That's far too long to be a duration.",
    "duration_too_short": "That's too short: the minimum is {minimum}.",
    "ladder_step_empty": "An escalation step can't be empty.",
    "ladder_no_ban": (
        "The escalation ladder can't include a ban or a kick: automatic steps are warn, mute <duration> or remove."
    ),
    "ladder_step_unknown": "“{step}” isn't an escalation step; use warn, mute <duration> (like mute 10m) or remove.",
    "ladder_empty": "The escalation ladder needs at least one step, like warn.",
    "ladder_too_long": "The escalation ladder can have at most {most} steps.",
    "pattern_empty": "A pattern can't be empty.",
    "pattern_too_long": "That pattern is too long: keep it under {most} characters.",
    "pattern_invalid": (
        "That pattern can't be used: the pattern engine reports “{problem}”; back-references and look-arounds "
        "aren't supported."
    ),
    "verdict_reason_on": "{clause}: {effects}",
    "verdict_reason_dry_run": "{clause} (dry run): would have {effects}",
    "effects_joiner": " and ",  # between two effects of one verdict: "deleted the message and alerted …"
    "effect_delete_message": "deleted the message",
    "effect_escalate": "applied the next escalation step",
    "effect_invite_private_resend": "invited the author to send it privately to the host",
    "effect_alert_facilitators": "alerted the facilitators privately",
    "effect_slow_mode": "turned on slow mode",
    # What the wiring says when a rule acts (kinds come from the policy_kind_* strings above).
    "rule_personal_data_note": (
        "I removed your message in {chat} because it seemed to contain {kinds}; details like that are best not "
        "shared in public. If the host needs it, send it to me here with /ask and choose private: only the host and "
        "facilitators will see it."
    ),
    "rule_safeguarding_alert": (
        "🔒 Safeguarding: a message from {person} in {chat} may need care. Nothing was done in public. "
        "Please follow up with {contact}."
    ),
    "rule_heat_alert": "🌡 Things are heating up in {chat} ({clause}): slow mode is on for {minutes} minutes.",
}
