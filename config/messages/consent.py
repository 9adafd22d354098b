"""Invitation and consent: arriving, accepting, declining and leaving (bot/handlers/consent.py)."""

from __future__ import annotations

EN: dict[str, str] = {
    "dormant_hello": (
        "Hello, {title}! I'm the surgery assistant of {council}. I only stay where a group admin invites me "
        "with the council's invitation code. An admin can finish that now with /surgery accept CODE "
        "(within {minutes} minutes). Until then I store nothing about this group."
    ),
    "dormant_only": "I'm waiting for an admin to finish the invitation with /surgery accept CODE.",
    "refuse_not_admin": "Sorry — only an admin of this group can invite me, so I'm leaving. Goodbye!",
    "refuse_unverified": "Sorry — I couldn't confirm that an admin invited me, so I'm leaving. Goodbye!",
    "refuse_not_group": "Sorry — I only work in community groups, so I'm leaving.",
    "refuse_window_passed": (
        "Nobody completed the council's invitation within {minutes} minutes, so I'm leaving. "
        "An admin can add me again with a fresh code."
    ),
    "refuse_do_not_rejoin": (
        "This group asked me to leave before, so I'm leaving again. The council can send a new invitation "
        "if the group wants me back."
    ),
    "accept_needs_admin": "Only an admin of this group can accept the council's invitation.",
    "accept_usage": "Please add the invitation code: /surgery accept CODE",
    "accept_bad_code": "That invitation code isn't valid here ({problem}). Please check it with the council.",
    "accept_already_active": "The council is already a guest in this group. Nothing more to do.",
    "code_problem_unknown": "unknown code",
    "code_problem_malformed": "that doesn't look like an invitation code",
    "code_problem_expired": "the code has expired",
    "code_problem_revoked": "the code was withdrawn",
    "code_problem_used": "the code has already been used",
    "code_problem_wrong_platform": "the code was made for {platform}",
    "code_problem_stale": "the code was made before this group asked me to leave",
    "transparency_notice": (
        "📌 {council} is now a guest in this group, at its admins' invitation.\n"
        "• What I do: run scheduled council surgeries where a councillor answers residents' questions.\n"
        "• What I record: questions and votes during sessions, moderation cases, and casework references — "
        "never ordinary chat outside sessions. Kept for {session_days} days (cases {case_days} days).\n"
        "• Lawful basis: public task. Privacy notice: {privacy_url}\n"
        "• Your data: send me /mydata or /forgetme in a private chat.\n"
        "• Admins can remove me at any time with /surgery leave."
    ),
    "reduced_rights": (
        "Heads-up for admins: I'm missing these rights: {missing}. Until they're granted, {features} "
        "stay off. Everything else works."
    ),
    "right_delete_messages": "delete messages",
    "right_restrict_members": "restrict members",
    "right_ban_members": "ban members",
    "right_pin_messages": "pin messages",
    "feature_for_delete_messages": "removing messages",
    "feature_for_restrict_members": "mutes and slow mode",
    "feature_for_ban_members": "kicks and bans",
    "feature_for_pin_messages": "pinning notices",
    "policy_prompt": (
        "Next, admins please review this group's rules for sessions with /surgery policy and approve them "
        "with /surgery policy approve."
    ),
    "leave_needs_admin": "Only an admin of this group can ask me to leave.",
    "goodbye": "Thank you for having {council} as a guest. I'm leaving now and won't come back unless invited.",
    "anonymous_admin_refused": (
        "That needs a named admin: please switch off 'Remain anonymous' for a moment, or ask another admin."
    ),
    "not_allowed": "Sorry, that command is for {role} only.",
    "role_community_admin": "group admins",
    "role_host": "the session's host and facilitators",
    "role_facilitator": "facilitators",
    "role_operator": "the council operator",
    "private_only": "Please send me this in a private chat, so nothing personal is shown here.",
    "group_only": "That command works in a community group.",
    "commands_too_fast": "You're sending commands faster than I can take them. Please wait a few seconds and "
                         "send the one you need again.",
    "inactive_group": "The council isn't a guest in this group yet.",
}
