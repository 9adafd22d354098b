"""Surgery sessions (bot/handlers/sessions.py)."""

from __future__ import annotations

EN: dict[str, str] = {
    # Babel (CLDR) date patterns: EEE = short day name, MMM = short month name, y = year, HH:mm = 24-hour time.
    "datetime_format": "EEE dd MMM y, HH:mm",
    "date_format": "EEEE dd MMMM y",
    "time_format": "HH:mm",
    "topic_line": "\nTopic: {topic}",
    "session_announced": (
        "📅 Council surgery #{number} with {host}: {when} for {duration}.{topic}\n"
        "Ask a question now with /ask followed by your question, or send /ask to me privately to ask "
        "anonymously or in private. Vote 👍 for the questions you want answered.{mode}"
    ),
    "mode_strict_note": "\nA facilitator will approve each question before it goes in the queue.",
    "ics_title": "Council surgery with {host}",
    "ics_description": "An online council surgery hosted by {host} for {council}. Ask with /ask in the group.",
    "ics_caption": "Add it to your calendar.",
    "session_reminder": "⏰ Reminder: council surgery with {host} on {when}.{topic}\nQuestions are welcome now: /ask",
    "session_opened": (
        "👋 The surgery is open! {host} is here until {until}.{topic}\n"
        "Ground rules: be kind, one question at a time, keep personal details out of the group "
        "(send them to me privately). Ask with /ask, vote with 👍, see the queue with /queue."
    ),
    "session_paused": "⏸ The surgery is paused for a moment. Questions and votes still count.",
    "session_resumed": "▶️ The surgery is back on.",
    "session_extended": "⏱ The surgery is extended: it now ends at {until}.",
    "session_cancelled": "The surgery planned for {when} is cancelled. Sorry for the change — questions asked for it are kept.",
    "session_closing_soon": "⏳ The surgery closes in {minutes} minutes.",
    "session_summary": (
        "🙏 The surgery is closed. Thank you all!\n"
        "Questions asked: {asked} · answered: {answered} · parked: {parked} · referred to casework: {referred} · "
        "people taking part: {participants}.\n{after}"
    ),
    "summary_next_none": "Every question was dealt with.",
    "summary_next_carried": "Questions we didn't reach move to the next surgery on {when}.",
    "summary_next_followup": "If we didn't reach your question, I'll message you privately to offer a follow-up.",
    "asker_carried": "We didn't reach your question #{number} today. It moves to the next surgery on {when}.",
    "asker_followup_offer": (
        "We didn't reach your question #{number} today, sorry. Would you like the council to follow it up? "
        "You'd get a reference number and a reply date."
    ),
    "followup_button": "Yes, please follow up",
    "followup_note": "follow-up requested after the surgery",
    "session_status": (
        "Surgery #{number} is {state}. Host: {host}. {starts} to {ends}. Questions waiting: {waiting}. Mode: {mode}."
    ),
    "state_scheduled": "scheduled",
    "state_open": "open",
    "state_paused": "paused",
    "state_closed": "closed",
    "state_cancelled": "cancelled",
    "mode_strict": "strict (questions approved first)",
    "mode_permissive": "permissive",
    "mode_usage": "Use /surgery mode strict or /surgery mode permissive.",
    "mode_set_strict": "Strict mode: a facilitator approves each new question before it's queued.",
    "mode_set_permissive": "Permissive mode: new questions go straight to the queue.",
    "no_session": "There's no surgery scheduled here right now.",
    "upcoming_none": "No surgeries are scheduled for this group yet.",
    "upcoming_header": "📅 Surgeries coming up here:",
    "upcoming_line": "• #{number}: {when} for {duration} with {host}{topic}{joint}",
    "upcoming_topic": " — {topic}",
    "upcoming_joint": " (joint, with other groups)",
    "asker_session_open": (
        "👋 The surgery you asked {numbers} for is open now: {host} is here until {until}. Your question is in "
        "the queue."
    ),
    "extend_usage": "Say how long to add, e.g. /surgery extend 15m",
    "schedule_empty": "Use /surgery schedule <when> <duration> [topic], e.g. /surgery schedule tomorrow 18:00 1h Parking",
    "schedule_bad_when": (
        "I couldn't read “{when}” as a time. Try 2026-12-01 18:00, tomorrow 18:00 or 2026-12-01T18:00."
    ),
    "schedule_bad_duration": "Please add how long it lasts after the time, e.g. 45m or 1h30m.",
    "schedule_unreadable_duration": "I couldn't read “{duration}” as a length of time. Try 45m, 1h or 1h30m.",
    "schedule_skipped_time": (
        "“{when}” doesn't exist in the council's time zone: the clocks go forward then. Please pick another time."
    ),
    "schedule_past": "That time has already passed. Please pick a time in the future.",
    "schedule_too_far": "That is too far ahead: a surgery can be scheduled at most {days} days from now.",
    "schedule_too_short": "A surgery needs at least {minimum}.",
    "schedule_too_long": "A surgery can last at most {maximum}.",
    "schedule_overlap": "That overlaps the surgery already planned here for {when}. Please pick another time.",
    "schedule_needs_councillor": "Only a linked councillor or a facilitator of this group can schedule a surgery.",
    "schedule_host_not_councillor": (
        "The person you mentioned isn't a linked councillor. Mention a linked councillor to schedule it for them, "
        "or mention nobody to host it yourself as a council officer."
    ),
    # A surgery with no councillor (allowed in a pre-election period): how its host is named wherever {host} is.
    "host_officer": "{name} (council officer)",
    "host_officer_unnamed": "a council officer",  # once the officer asked to be forgotten
    "session_refused_already_open": "The surgery is already open.",
    "session_refused_not_open": "The surgery isn't open yet.",
    "session_refused_not_paused": "The surgery isn't paused.",
    "session_refused_is_paused": "The surgery is paused: /surgery resume first.",
    "session_refused_already_over": "That surgery has already ended.",
    "session_refused_another_open": "Another surgery is open here. Please close it first.",
    "session_refused_running_use_close": "The surgery has started, so please use /surgery close instead.",
    "session_refused_not_started_use_cancel": "The surgery hasn't opened yet: use /surgery cancel to call it off.",
    "session_refused_too_long": "That would make the surgery longer than the maximum allowed.",
    "session_refused_overlap": "That would run into the next surgery planned here.",
    "session_refused_nothing_to_do": "Nothing to change.",
}
