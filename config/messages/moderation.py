"""Policy commands and moderation: facilitator commands, cases, bans, reports and appeals (bot/moderation/)."""

from __future__ import annotations

EN: dict[str, str] = {
    "policy_approved": "✅ Policy version {version} is approved: the session rules now follow it.",
    "policy_already_approved": "Policy version {version} is already approved.",
    "policy_safeguarding_hint": (
        "Safeguarding is still a dry run, so facilitators aren't alerted yet. Its only effect is a private alert "
        "to them: /surgery policy set safeguarding.mode on turns it on."
    ),
    "policy_unchanged": "{setting} is already {value}; nothing changed.",
    "policy_usage": "Use /surgery policy to see the rules, /surgery policy set <key> <value>, or /surgery policy approve.",
    "policy_admins_only": "Only a group admin can change or approve the rules.",
    "policy_staff_only": "The rules are shown to the group's admins and facilitators.",
    "modlog_set": "📋 Moderation cases will be posted here from now on.",
    "modlog_usage": "Send /surgery modlog here in the chat where cases should be posted.",
    "mod_case_line": "#{number} · {action} · {clause} · member {target} · by {actor} · {when}{marks}",
    "mod_case_undone_mark": " (undone)",
    "mod_case_dry_mark": " (dry run)",
    "mod_cases_header": "Latest moderation cases in {chat}{whose}:",
    "mod_cases_sent_privately": "I've sent you the cases privately.",
    "mod_cases_sent_to_modlog": "I couldn't message you privately, so the cases went to the mod-log chat.",
    "mod_cases_unreachable": (
        "I couldn't message you privately, and the cases aren't for everyone here. Start a private chat with me, "
        "then send /cases again."
    ),
    "mod_cases_whose": " for that member",
    "mod_cases_none": "No moderation cases here yet.",
    "mod_modlog_entry": "📋 Case #{number}: {action} · {clause} · member {target} · by {actor}\nReason: {reason}",
    "mod_actor_bot": "the rules",
    "mod_nobody": "—",
    "mod_member": "that member",
    "mod_person_with_id": "{name} ({id})",
    "mod_no_reason": "no reason given",
    "mod_action_warn": "warning",
    "mod_action_mute": "mute",
    "mod_action_unmute": "unmute",
    "mod_action_session_removal": "removal from the session",
    "mod_action_delete": "message removed",
    "mod_action_kick": "kick",
    "mod_action_ban": "ban",
    "mod_action_unban": "unban",
    "mod_action_slowmode": "slow mode",
    "mod_action_lock": "lock",
    "mod_action_unlock": "unlock",
    "mod_action_alert": "private alert",
    "mod_usage_target": "Say who: reply to their message, mention them, or give their numeric id, e.g. /{command} @name",
    "mod_usage_remove": "Reply to the message to remove with /remove [reason].",
    "mod_usage_mute": "Say for how long, e.g. /mute @name 10m [reason] (forms: 90s, 10m, 2h, 1d, 1h30m).",
    "mod_usage_slowmode": "Use /slowmode <seconds> (1 to 21600) or /slowmode off.",
    "mod_usage_undo": "Say which case, e.g. /undo 4",
    "mod_refuse_self": "You can't moderate yourself.",
    "mod_refuse_bot": "I can't moderate myself.",
    "mod_refuse_admin": "That's a group admin: the bot doesn't moderate admins.",
    "mod_refuse_absent": "That person isn't in this chat.",
    "mod_refuse_role": "Their highest role isn't below yours, so you can't moderate them here.",
    "mod_refuse_unknown_member": "I couldn't check that member just now; please try again in a moment.",
    "mod_refuse_limit": "I can't do that here: {problem}.",
    "mod_kick_not_allowed": "Kicks are off in this group's approved rules (an admin can set kick_allowed on).",
    "mod_ban_not_allowed": "Bans are off in this group's approved rules (an admin can set ban_allowed on).",
    "mod_done_warn": "⚠️ Case #{number}: {name} has a warning. {reason}",
    "mod_done_mute": "🔇 Case #{number}: {name} is muted for {duration}. {reason}",
    "mod_done_unmute": "🔈 Case #{number}: {name} can post again.",
    "mod_done_delete": "🗑 Case #{number}: the message was removed. {reason}",
    "mod_done_kick": "👋 Case #{number}: {name} was removed from the group. {reason}",
    "mod_done_ban": "⛔ Case #{number}: {name} is banned{until}. {reason}",
    "mod_ban_until": " until {until}",
    "mod_done_unban": "Case #{number}: {name} is no longer banned.",
    "mod_done_slowmode": "🐢 Case #{number}: slow mode is on — {seconds} seconds between messages.",
    "mod_done_slowmode_off": "Case #{number}: slow mode is off.",
    "mod_slowmode_needs_manage_channels": (
        "I can't set slow mode here: I need the Manage Channels permission. A server admin can give it to my role."
    ),
    "mod_done_lock": (
        "🔒 Case #{number}: the chat is locked — only the host, facilitators and the resident with the floor "
        "can post. Other messages are removed until /unlock."
    ),
    "mod_done_unlock": "🔓 Case #{number}: the chat is open again.",
    "mod_lock_needs_session": "A lock works while a surgery is open; there isn't one open now.",
    "mod_lock_needs_delete": "I can't lock the chat: I need the right to delete messages here.",
    "mod_already_locked": "The chat is already locked (case #{number}).",
    "mod_not_locked": "The chat isn't locked.",
    "mod_failed": (
        "Case #{number} is recorded, but the action didn't happen: {problem}. A group admin may need to give me "
        "the right for it."
    ),
    "mod_failed_alert": "⚠️ In {chat}, case #{number} ({action}) didn't happen: {problem}.",
    "mod_lift_gave_up": (
        "⚠️ In {chat}, I couldn't {what}, even after trying again for a while: {problem}. Please do it by hand "
        "(a group admin can)."
    ),
    "mod_lift_unmute": "lift the mute on {name} (case #{number})",
    "mod_lift_unban": "lift the ban on {name} (case #{number})",
    "mod_lift_slowmode": "turn slow mode off",
    "mod_reason_line": "Reason: {reason}.",
    "mod_told_you_warn": (
        "You've had a warning in {chat} (case #{number}): {reason}. If you think it's wrong, send me "
        "/appeal {number} and why."
    ),
    "mod_told_you_mute": (
        "You can't post in {chat} until {until} (case #{number}): {reason}. If you think it's wrong, send me "
        "/appeal {number} and why."
    ),
    "mod_told_you_unmute": "You can post in {chat} again (case #{number}).",
    "mod_ban_request": (
        "⛔ {requester} asks to ban {name}{until}. {reason}\nA second facilitator must confirm before it happens."
    ),
    "mod_ban_confirm_button": "Confirm ban",
    "mod_ban_cancel_button": "Cancel",
    "mod_ban_cancelled": "The ban request was cancelled; nothing happened.",
    "mod_ban_expired": "That ban request has expired; nothing happened.",
    "mod_ban_second_needed": "A different facilitator must confirm this ban.",
    "mod_usage_redact": "Say which case, e.g. /redact 3, to clear the reason typed for it.",
    "mod_redact_done": "Case #{number}'s reason is cleared; the case itself stays on record.",
    "mod_undo_done": "↩️ Case #{number} is undone{note}.",
    "mod_undo_note_delete": " (a removed message can't be brought back, but it no longer counts against them)",
    "mod_undo_already_undone": "Case #{number} was already undone.",
    "mod_undo_dry_run": "Case #{number} was a dry run: nothing was done, so there's nothing to undo.",
    "mod_undo_nothing_to_reverse": "Case #{number} itself reverses something; undo the original case instead.",
    "mod_unknown_case": "There's no case #{number} here.",
    # What a resident is told privately about an automatic step: the rule in plain words, not its clause.
    "rule_plain_flood": "too many messages in a short time",
    "rule_plain_blocklist": "words this group has asked people not to use",
    "rule_plain_links": "links from members who joined recently",
    "rule_plain_personal_data": "personal details posted in public",
    "rule_plain_other": "this group's rules",
    "rule_warn_public": "⚠️ {name}, please take care: that goes against this group's rules ({clause}). Case #{number}.",
    "rule_mute_public": "🔇 {name} is muted for {duration} under this group's rules ({clause}). Case #{number}.",
    "rule_removal_public": (
        "🔇 {name} can't post for the rest of this session under this group's rules ({clause}). Case #{number}."
    ),
    "rule_heat_public": "🌡 Let's take a breath: slow mode is on for {minutes} minutes.",
    "rule_heat_public_no_slow_mode": "🌡 Let's take a breath and slow down for a few minutes, please.",
    "rule_heat_alert_no_slow_mode": (
        "🌡 Things are heating up in {chat} ({clause}). Bots can't set slow mode on this platform, so please "
        "calm things down by hand (a group admin can turn slow mode on in the group's settings)."
    ),
    "report_usage": "Reply to the message you want to flag with /report [reason].",
    "report_thanks": "Thank you — the facilitators have been told privately.",
    "report_no_facilitators": "Thank you. There are no facilitators here yet; the group's admins can appoint some.",
    "report_alert": "🚩 {reporter} flagged a message from member {author} in {chat} (message {message}): {reason}.",
    "appeal_usage": "Send /appeal <case number> <why you think it was wrong>, e.g. /appeal 4 I was quoting the rules.",
    "appeal_unknown": "I can't find case #{number} about you. Please check the number in the message you got.",
    "appeal_sent": "Thank you. Your appeal about case #{number} has gone to a facilitator who didn't take the action.",
    "appeal_nobody": "There's no other facilitator to review case #{number}; please write to the council at {contact}.",
    "appeal_to_facilitator": (
        "📨 Appeal about case #{number} in {chat} ({action}, {clause}, by {actor}) from member {appellant}:\n{text}\n"
        "You didn't take this action, so you can review it fairly; /undo {number} in the group reverses it."
    ),
}
