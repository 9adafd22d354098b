"""Every user-facing string, in one place, keyed by locale so Welsh can sit beside English.

Templates use `str.format` fields. `{council}`, `{privacy_url}` and `{contact}` are always available.
Replies are short and kind; none of them ever names an anonymous or private asker."""

from __future__ import annotations

from string import Formatter
from typing import Any

EN: dict[str, str] = {
    # -- information, in every state -------------------------------------------------------------------
    "about": (
        "I'm the surgery assistant run by {council}. Councillors answer residents' questions here in short, "
        "scheduled sessions, only because this group's admins invited the council in.\n"
        "Outside a session I only listen for commands addressed to me and keep no chat.\n"
        "{council} is the data controller; lawful basis: public task. Privacy notice: {privacy_url}\n"
        "Privacy: /privacy · Your data: /mydata and /forgetme in a private chat with me · "
        "Admins can remove me with /surgery leave."
    ),
    "privacy": (
        "{council} runs this bot and is the data controller.\n"
        "Why: to run council surgeries in this group, follow up casework and keep sessions safe. "
        "Lawful basis: public task (UK GDPR Art. 6(1)(e)).\n"
        "What I keep: questions asked for sessions, votes, moderation cases and casework references. "
        "I keep no ordinary chat outside sessions. If this group's admins turn listening on, I keep only daily "
        "counts of the council's themes — no text, no names.\n"
        "How long: session content {session_days} days, moderation cases {case_days} days, audit records "
        "{audit_days} days; if a group removes me, its data goes after {left_days} days.\n"
        "Your rights: a copy (send /mydata to me privately), erasure (/forgetme), and to object, correct or "
        "restrict — write to {contact}. Full notice: {privacy_url}\n"
        "You can complain to the Information Commissioner's Office: https://ico.org.uk/make-a-complaint/"
    ),
    "help_header": "Here is what you can do here:",
    "help_line": "/{command} — {summary}",
    "unknown_command_private": "I don't know /{command}. Send /help to see what you can do.",
    # -- your data (bot/handlers/subject_rights.py) ---------------------------------------------------------------
    "mydata_caption": (
        "Everything {council} keeps about you through this bot, as a JSON file. To erase it, send /forgetme."
    ),
    "mydata_nothing": (
        "I don't hold anything about you: no questions, votes, cases or roles. (My audit log only notes that I "
        "replied to you, with no message content, and deletes that after {audit_days} days.)"
    ),
    "mydata_file_name": "my-surgerybot-data-{day}.json",
    "forget_nothing": "There's nothing left for me to erase: I hold no questions, votes, cases or roles of yours.",
    "forget_confirm": (
        "This erases what I hold about you: {summary}.\n"
        "Questions you asked stay in their session's record as “[removed at the resident's request]”, without "
        "your name; moderation cases keep a pseudonym instead of your account. This can't be undone. Erase now?"
    ),
    "forget_button_confirm": "Erase my data",
    "forget_button_cancel": "Keep it",
    "forget_cancelled": "Nothing was erased.",
    "forget_done": "Done: {summary}. If you ask or vote again, I'll keep only what that needs.",
    "forget_done_nothing": "Done: there was nothing left to erase.",
    "data_item_profile": "your name and account id",
    "data_item_questions": "{n} question(s)",
    "data_item_votes": "{n} vote(s)",
    "data_item_cases": "{n} moderation case(s)",
    "data_item_casework": "{n} casework reference(s)",
    "data_item_roles": "{n} role(s)",
    "data_item_drafts": "{n} unsent question draft(s)",
    "erased_questions_anonymised": "{n} question(s) anonymised",
    "erased_votes_removed": "{n} vote(s) removed",
    "erased_cases_pseudonymised": "{n} moderation case(s) pseudonymised",
    "erased_casework_references_detached": "{n} casework reference(s) detached from you",
    "erased_drafts_removed": "{n} draft(s) removed",
    "erased_facilitator_roles_removed": "{n} facilitator role(s) removed",
    "erased_councillor_links_removed": "your councillor link removed",
    "erased_audit_rows_pseudonymised": "{n} log record(s) pseudonymised",
    "erased_identities_removed": "{n} account id(s) removed",
    "erased_people_removed": "your profile removed",
    # -- opt-in listening (bot/handlers/listening.py) -----------------------------------------------------
    "listening_explain": (
        "Listening is {state} in this group.\n"
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
    # -- invitation and consent ------------------------------------------------------------------------
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
    # -- councillors and facilitators -------------------------------------------------------------------
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
        "/surgery mode strict|permissive, /surgery facilitator add|remove|list, /surgery accept CODE, /surgery leave."
    ),
    # -- surgery sessions (bot/handlers/sessions.py) ------------------------------------------------------------
    "datetime_format": "%a %d %b %Y, %H:%M",
    "date_format": "%A %d %B %Y",
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
    "session_reminder": "⏰ Reminder: council surgery with {host} on {when}.{topic} Questions are welcome now: /ask",
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
    "schedule_too_short": "A surgery needs at least {minimum}.",
    "schedule_too_long": "A surgery can last at most {maximum}.",
    "schedule_overlap": "That overlaps the surgery already planned here for {when}. Please pick another time.",
    "schedule_needs_councillor": (
        "A surgery needs its host councillor: a linked councillor schedules it, or a facilitator mentions them."
    ),
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
    # -- questions and the queue (bot/handlers/questions.py) ------------------------------------------------------
    "ask_empty": "Please add your question after /ask, e.g. /ask When will the bins be collected?",
    "ask_empty_private": (
        "Send /ask followed by your question. I'll then ask where it's for and whether it's anonymous or private."
    ),
    "ask_too_long": "That's a bit long — please keep questions under {limit} characters.",
    "ask_no_session": "There's no surgery scheduled here yet; questions open as soon as one is.",
    "ask_pending": "Thanks! Question #{number} will go in the queue once a facilitator approves it.",
    "ask_private_done": "Thanks! Private question #{number} has gone to the host and facilitators only.",
    "ask_anonymous_done": "Thanks! Question #{number} is posted in the group without your name.",
    "ask_private_no_community": "I couldn't find a surgery you can ask in right now. Ask in your group once one is scheduled.",
    "ask_choose_community": "Which group is your question for?",
    "ask_choose_visibility": (
        "Your question is for {community}. How should it be asked?\n"
        "• Anonymous: posted in the group without your name (facilitators can still see who asked).\n"
        "• Private: only the host and facilitators see it; never posted in the group."
    ),
    "ask_submitted": "Got it — thank you.",
    "ask_cancelled": "Cancelled. Nothing was sent.",
    "anonymous_button": "Anonymous",
    "private_button": "Private",
    "cancel_button": "Cancel",
    "a_resident": "a resident",
    "question_public": "❓ #{number} from {name}: {text}",
    "question_anonymous": "❓ #{number} (asked anonymously): {text}",
    "question_closed_line": "{mark} {state} · 👍 {votes}",
    "question_label": "#{number} “{text}”",
    "private_label": "#{number} (a private question)",
    "vote_button": "👍 {votes}",
    "qstate_pending": "waiting for approval",
    "qstate_queued": "in the queue",
    "qstate_live": "being answered",
    "qstate_answered": "answered",
    "qstate_parked": "parked",
    "qstate_dismissed": "set aside",
    "qstate_referred": "referred to casework",
    "qstate_merged": "merged",
    "visibility_public": "public",
    "visibility_anonymous": "anonymous",
    "visibility_private": "private",
    "vote_added": "Thanks for your vote 👍",
    "vote_withdrawn": "Vote withdrawn.",
    "vote_own_question": "That's your own question — you can't vote for it.",
    "vote_session_over": "This surgery has ended, so voting is closed.",
    "vote_question_closed": "This question has already been dealt with.",
    "button_expired": "That button has expired.",
    "button_not_for_you": "That button isn't for you.",
    "ok_toast": "Done.",
    "approval_request": "New {kind} question #{number} waiting for approval:\n{text}",
    "approve_button": "Approve",
    "approve_usage": "Say which question, e.g. /approve 4",
    "asker_approved": "Your question #{number} is now in the queue.",
    "approved_private": "Private question #{number} approved; the host has it.",
    "private_question_for_staff": "🔒 Private question #{number} (never shown in the group):\n{text}",
    "queue_header": "Questions waiting: {waiting}",
    "queue_live_line": "🎤 Now: {label}",
    "queue_line": "👍 {votes} · {label}",
    "queue_empty_public": "No questions yet. Ask one with /ask!",
    "queue_empty_host": "The queue is empty — nothing to take yet.",
    "unknown_question": "There's no question #{number} in this surgery.",
    "no_live_question": "No question is being answered right now. Name one like #4, or use /next.",
    "next_finish_live": "Question #{number} is still live: /answered, /park or /refer it first.",
    "next_public": "🎤 Next, #{number} from {name}: {text}\n{name} has the floor for follow-ups for {minutes} minutes.",
    "next_anonymous": "🎤 Next, #{number} (asked anonymously): {text}",
    "next_private": "🎤 Next, #{number}: a private question. The host will reply privately.",
    "next_private_for_host": "🔒 Private question #{number}:\n{text}\nPlease reply to the resident privately.",
    "asker_taken_now": "Your question #{number} is being taken now.",
    "floor_over": "Thanks — the follow-up time for #{number} is over.",
    "timebox_nudge": "⏱ Question #{number} has been live for {minutes} minutes. Time to wrap up, park or refer it?",
    "resolved_answered": "✅ {label} answered.",
    "resolved_park": "🅿️ {label} parked for later.",
    "resolved_dismiss": "✖️ {label} set aside.",
    "resolved_refer": "📁 {label} is passed to council casework; the resident will hear privately.",
    "no_reason_given": "no reason was given",
    "dismissed_to_asker": "Your question #{number} was set aside by the host ({reason}). Thank you for asking.",
    "referred_to_asker": (
        "Your question #{number} is now council casework. Reference: {reference}. "
        "The council will reply by {due}. Please quote the reference if you get in touch."
    ),
    "referred_to_host": "Question #{number} referred: reference {reference}.",
    # When a private note can't be delivered: one line in the group, never the note itself.
    "private_note_unreachable": "@{name} — I have a private note for you: please {how}.",
    "open_chat_how": "open a private chat with me",
    "open_chat_how_telegram": "open a chat with me and send /start",
    "open_chat_how_local": "open a chat with me and send /start",
    "open_chat_how_discord": "allow direct messages from this server's members (Privacy Settings) so I can reach you",
    "merge_usage": "Say which two questions, e.g. /merge 3 5 (5 joins 3 and its votes add up).",
    "merged_public": "🔗 #{gone} is merged into #{keep}; their votes add up (👍 {votes}).",
    "merged_to_asker": "Questions #{gone} and #{keep} were merged, as they ask the same thing. Your votes count together.",
    "reopen_usage": "Say which question, e.g. /reopen 4",
    "reopened_public": "↩️ {label} is back in the queue.",
    "move_not_pending": "Question #{number} isn't waiting for approval.",
    "move_not_queued": "Question #{number} isn't in the queue.",
    "move_already_closed": "Question #{number} has already been dealt with (use /reopen {number} first).",
    "move_already_open": "Question #{number} is already in the queue.",
    "move_same_question": "A question can't be merged into itself.",
    "move_target_closed": "The question to merge into has already been dealt with.",
    "move_session_not_running": "The surgery isn't open right now.",
    "move_session_over": "This surgery has ended.",
    # -- timers ---------------------------------------------------------------------------------------------
    "reminder": "⏰ Reminder: {text}",
    # -- community policy and automatic rules (config/policy.py, facilitation/rules/) -------------------------
    "policy_title": "Rules for sessions here — version {version} ({status}).",
    "policy_status_approved": "approved",
    "policy_status_unapproved": "not yet approved: admins, use /surgery policy approve",
    "policy_status_outdated": "version {approved} is the approved one; this one isn't yet",
    "policy_scope_session": "They apply only while a session is open, to what is posted during it.",
    "policy_scope_always": "They apply at all times.",
    "policy_mode_off": "off",
    "policy_mode_dry-run": "dry run (logs what it would do)",
    "policy_mode_on": "on",
    "policy_flood": "• Flood — {mode}: more than {max_messages} messages in {window_seconds} seconds from one person.",
    "policy_blocklist": "• Blocklist — {mode}: {terms} community terms and {patterns} patterns (not shown here).",
    "policy_links": "• Links from newcomers — {mode}: members who joined less than {hours} hours ago can't post links.",
    "policy_personal_data": (
        "• Personal data — {mode}: {kinds} posted in public are removed and the author is invited to send them "
        "privately to the host."
    ),
    "policy_kind_phone": "phone numbers",
    "policy_kind_email": "e-mail addresses",
    "policy_kind_address": "home addresses",
    "policy_kind_nhs_number": "NHS numbers",
    "policy_kind_ni_number": "National Insurance numbers",
    "policy_safeguarding": (
        "• Safeguarding — {mode}: {terms} terms; never acted on in public — facilitators are told privately "
        "(contact: {contact})."
    ),
    "policy_heat": (
        "• Heat — {mode}: {burst_messages} flagged messages in {burst_seconds} seconds, or {exchange_messages} "
        "quick messages between two people within {exchange_seconds} seconds, bring {cool_down_minutes} minutes "
        "of slow mode ({slow_mode_seconds} seconds between messages) and a note to facilitators."
    ),
    "policy_escalation": "• Escalation: {ladder}; warnings expire after {expiry_days} days. Never an automatic ban.",
    "policy_step_warn": "a warning",
    "policy_step_mute": "mute for {duration}",
    "policy_step_remove": "removal from the session",
    "policy_kick_ban": "• Kick: {kick} · Ban: {ban} (a ban needs a second facilitator to confirm).",
    "policy_allowed": "allowed",
    "policy_not_allowed": "not allowed",
    "policy_modlog_set": "• Moderation log: cases are posted to the log chat.",
    "policy_modlog_unset": "• Moderation log: not set (admins: /surgery modlog here).",
    "policy_footer": "Change one: /surgery policy set <key> <value> (e.g. /surgery policy set flood.max_messages 8).",
    "policy_changed": (
        "Policy version {version}: {setting} is now {value}. Admins, approve it with /surgery policy approve "
        "before the rules follow it."
    ),
    "policy_set_usage": "Use /surgery policy set <key> <value>, for example /surgery policy set flood.max_messages 8.",
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
    # -- policy commands and moderation (bot/moderation/) ------------------------------------------------------
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
    "mod_cases_header": "Latest moderation cases{whose}:",
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
    "mod_reason_line": "Reason: {reason}.",
    "mod_told_you_warn": (
        "You've had a warning in {chat} (case #{number}): {reason}. If you think it's wrong, send me "
        "/appeal {number} and why."
    ),
    "mod_told_you_mute": (
        "You can't post in {chat} until {until} (case #{number}): {reason}. If you think it's wrong, send me "
        "/appeal {number} and why."
    ),
    "mod_ban_request": (
        "⛔ {requester} asks to ban {name}{until}. {reason}\nA second facilitator must confirm before it happens."
    ),
    "mod_ban_confirm_button": "Confirm ban",
    "mod_ban_cancel_button": "Cancel",
    "mod_ban_cancelled": "The ban request was cancelled; nothing happened.",
    "mod_ban_expired": "That ban request has expired; nothing happened.",
    "mod_ban_second_needed": "A different facilitator must confirm this ban.",
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

CATALOGUES: dict[str, dict[str, str]] = {"en": EN}


class Messages:
    """Renders a template by key for one locale, with the council's details filled in."""

    def __init__(self, locale: str = "en", **always: Any) -> None:
        self.catalogue = {**EN, **CATALOGUES.get(locale, {})}
        self.always = always

    def __call__(self, key: str, **values: Any) -> str:
        template = self.catalogue[key]
        return template.format(**{**self.always, **values})

    def fields(self, key: str) -> set[str]:
        return {name for _, name, _, _ in Formatter().parse(self.catalogue[key]) if name}
