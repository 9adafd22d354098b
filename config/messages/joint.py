"""Joint surgeries (bot/handlers/joint_sessions.py)."""

from __future__ import annotations

EN: dict[str, str] = {
    "platform_telegram": "Telegram",
    "platform_discord": "Discord",
    "platform_local": "the local chat",
    "join_usage": "Say which surgery, by the number in its announcement, e.g. /surgery join 3",
    "join_unknown_session": "There's no council surgery #{number}. The number is in its announcement.",
    "join_session_over": "Council surgery #{number} is over (closed or cancelled), so it can't be joined.",
    "join_own_session": "Council surgery #{number} was scheduled in this group: it's already here.",
    "join_already_in": "This group has already joined council surgery #{number}.",
    "join_session_groups_left": "Council surgery #{number} has no group left to join: the council has left them.",
    "join_clash": "This group has its own surgery at the same time as #{number}.",
    "join_host_unreachable": (
        "I can't reach {host} privately to ask them, so this group can't join yet. They need to open a private "
        "chat with me first."
    ),
    "join_community_left": "That group has removed the council since it asked, so it can't join.",
    "join_requested": (
        "I've asked {host} privately whether this group may join council surgery #{number}. "
        "I'll say here when they answer."
    ),
    "join_request_for_host": (
        "{community} on {platform} asks to join your council surgery #{number} ({when}). If you accept, its "
        "residents ask and vote there, in the same queue, and the group gets every announcement."
    ),
    "join_accept_button": "Accept",
    "join_decline_button": "Decline",
    "join_accepted_for_host": "✅ {community} has joined council surgery #{number}.",
    "join_declined_for_host": "You declined {community}'s request. They've been told.",
    "join_accepted_here": (
        "🤝 {host} accepted: this group has joined council surgery #{number}. Questions asked here go in the "
        "same queue as the other groups', and your votes count."
    ),
    "join_declined": "{host} couldn't take this group into council surgery #{number} this time.",
    "join_announced": "🤝 {community} on {platform} has joined council surgery #{number}: one queue for all of us.",
    "part_not_joined": "This group hasn't joined anyone else's surgery, so there's nothing to leave.",
    "part_home": (
        "This group's surgery was scheduled here, so it can't leave it; the host can /surgery cancel or "
        "/surgery close it."
    ),
    "part_done": (
        "This group has left council surgery #{number}. Questions already asked from here stay in its queue."
    ),
    "part_announced": "{community} has left council surgery #{number}.",
    "question_of_another_group": (
        "Question #{number} was asked in another group of this joint surgery: its own facilitators or the host "
        "deal with it."
    ),
    "asked_in_line": "📍 asked in {community}",
    "label_with_community": "{label} ({community})",
}
