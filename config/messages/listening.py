"""Opt-in listening (bot/handlers/listening.py)."""

from __future__ import annotations

EN: dict[str, str] = {
    "listening_status": "Listening is {state} in this group.",
    "listening_proposal": "👂 Proposed: turn listening on in this group. It stays off unless an admin confirms below.",
    "listening_explain": (
        "When it's on, I count how many messages each day mention the council's themes ({themes}). Counts only: "
        "I keep no message text, no names and no account ids, and I never reply to what you write. The council "
        "sees the daily totals per theme, to learn what matters here. Any admin can turn it off at once with "
        "/surgery listening off."
    ),
    "listening_state_on": "on",
    "listening_state_off": "off",
    "listening_confirm": "Admins: turn listening on in this group?",
    "listening_button_on": "Turn listening on",
    "listening_on": (
        "👂 Listening is on: I'll count the council's themes per day — no text, no names. "
        "Turn it off with /surgery listening off."
    ),
    "listening_off": "Listening is off. I've stopped counting.",
    "listening_already_on": "Listening is already on.",
    "listening_already_off": "Listening is already off.",
    "listening_usage": "Use /surgery listening status, /surgery listening on or /surgery listening off.",
    "listening_not_admin": "Only a group admin can turn listening on or off.",
}
