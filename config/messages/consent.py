"""Invitation and consent: arriving, accepting, declining and leaving (bot/handlers/consent.py)."""

from __future__ import annotations

EN: dict[str, str] = {
    "dormant_hello": (
        "Hello, {title}! I'm the surgery assistant of {council}. I only stay where a group admin invites me "
        "with the council's invitation code. An admin can finish that now with /surgery accept CODE "
        "(within {minutes} minutes). Until then I keep only a record of who added me, when, and what I did here "
        "(account ids, never messages) for {audit_days} days, and a reminder to leave, cleared within "
        "{short_days} days. Nothing anyone writes here is stored."
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
    "right_manage_channels": "manage channels (for slow mode)",
    "feature_for_delete_messages": "removing messages",
    "feature_for_restrict_members": "mutes",
    "feature_for_ban_members": "kicks and bans",
    "feature_for_pin_messages": "pinning notices",
    "invite_how_telegram": "Send the link to an admin of the group: it adds the bot and completes the invitation.",
    "invite_telegram_needs_username": (
        "No link yet: the bot's Telegram username isn't known. Add SURGERYBOT_TELEGRAM__BOT_USERNAME (the bot's "
        "@username from @BotFather) or SURGERYBOT_TELEGRAM__TOKEN (then it is asked from Telegram) to the settings "
        "and create the invitation again. Meanwhile an admin can add the bot and type: /surgery accept {code}"
    ),
    "invite_telegram_lookup_failed": (
        "No link yet: Telegram didn't give the bot's username ({problem}). Check SURGERYBOT_TELEGRAM__TOKEN, or add "
        "SURGERYBOT_TELEGRAM__BOT_USERNAME, and create the invitation again. Meanwhile an admin can add the bot "
        "and type: /surgery accept {code}"
    ),
    "invite_how_discord": "A server admin installs the bot with the link, then types: /surgery accept {code}",
    "invite_discord_needs_application_id": (
        "No install link yet: add SURGERYBOT_DISCORD__APPLICATION_ID (from the Discord Developer Portal) to the "
        "settings and create the invitation again. If the bot is already in the server, an admin types: "
        "/surgery accept {code}"
    ),
    "invite_how_local": "An admin adds the bot, then types: /surgery accept {code}",
    "discord_needs_view_channel": "View Channels (to see the community's channels)",
    "discord_needs_send_messages": "Send Messages (announcements and answers)",
    "discord_needs_read_message_history": "Read Message History (replies and /remove)",
    "discord_needs_attach_files": "Attach Files (calendar files and data copies)",
    "discord_needs_manage_messages": "Manage Messages (removing messages)",
    "discord_needs_pin_messages": "Pin Messages (pinning the transparency notice)",
    "discord_needs_moderate_members": "Timeout Members (mutes)",
    "discord_needs_manage_channels": "Manage Channels (slow mode)",
    "discord_needs_kick_members": "Kick Members (kicks)",
    "discord_needs_ban_members": "Ban Members (bans)",
    "discord_needs_view_audit_log": "View Audit Log (to check which admin added the bot)",
    "discord_check_server_ok": "in server “{server}”: every permission the bot uses is granted",
    "discord_check_server_missing": (
        "in server “{server}”: the bot lacks {missing}. A server admin can grant them to the bot's role in "
        "Server Settings → Roles"
    ),
    "discord_check_no_servers": "the bot is in no server yet",
    "feature_for_manage_channels": "slow mode when chat heats up (Manage Channels)",
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
    "role_councillor_or_facilitator": "councillors and facilitators",
    "role_facilitator": "facilitators",
    "role_operator": "the council operator",
    "private_only": "Please send me this in a private chat, so nothing personal is shown here.",
    "group_only": "That command works in a community group.",
    "commands_too_fast": "You're sending commands faster than I can take them. Please wait a few seconds and "
                         "send the one you need again.",
    "inactive_group": "The council isn't a guest in this group yet.",
    # A handler failed: the person is told kindly, once, and the detail goes to the log for staff.
    "command_failed": "Sorry, something went wrong on my side and I couldn't do that. Please try again in a "
                      "little while.",
    "button_failed": "Sorry, something went wrong. Please try again in a little while.",
    "code_attempts_wait": "Too many wrong codes have been tried. Please wait {minutes} minutes before trying again, "
                          "and check the code with the council.",
}
