"""Casework follow-through (bot/handlers/casework.py)."""

from __future__ import annotations

EN: dict[str, str] = {
    "casework_status_open": "waiting for the council's reply",
    "casework_status_replied": "the council says it has replied",
    "casework_status_overdue": "overdue — the council has been reminded",
    "casework_status_closed": "closed",
    "mycases_none": "You have no open casework references.",
    "mycases_header": "Your open casework references:",
    "mycases_line": "• {reference}: reply due by {due} · {status}",
    "casework_overdue_host": (
        "⏰ Casework {reference} passed its reply date ({due}) without a reply recorded. Please chase it; the "
        "council's officers see it as overdue."
    ),
    "casework_check": (
        "Hello again. The council was due to reply about your casework {reference} by {due}. "
        "Did you get a reply?"
    ),
    "casework_check_yes": "Yes",
    "casework_check_no": "No",
    "casework_check_thanks_yes": "Thanks — {reference} is now closed. Glad you got a reply.",
    "casework_check_thanks_no": (
        "Thanks for telling me. {reference} is flagged to the council as overdue, and the councillor has been told."
    ),
    "casework_no_reply_host": (
        "⚠️ The resident says they haven't had a reply about casework {reference}. It's marked overdue for the "
        "council's officers."
    ),
}
