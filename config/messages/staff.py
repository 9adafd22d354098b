"""Councillors linking their accounts and admins appointing facilitators (bot/handlers/staff.py)."""

from __future__ import annotations

EN: dict[str, str] = {
    "link_usage": "Please add your code: /link CODE",
    "link_bad_code": "That link code isn't valid ({problem}). Ask the council operator for a new one.",
    "link_done": "Thank you, {name}. Your account is now linked; you can host surgeries.",
    "facilitator_added": "{name} is now a facilitator here.",
    "facilitator_removed": "{name} is no longer a facilitator here.",
    "facilitator_not_found": "They weren't a facilitator here.",
    "facilitator_usage": "Reply to someone's message with /surgery facilitator add (or remove), or mention them.",
    "facilitator_list": "Facilitators here: {names}",
    "facilitator_they": "They",
    "facilitator_none": "There are no facilitators here yet.",
    "facilitator_cannot_be": "That account can't be a facilitator (bots, channels and anonymous admins can't).",
    "surgery_usage": (
        "Try /surgery schedule <when> <duration> [topic], /surgery open|pause|resume|extend|cancel|close|status, "
        "/surgery mode strict|permissive, /surgery facilitator add|remove|list, /surgery language en|cy|both, "
        "/surgery accept CODE, /surgery leave."
    ),
}
