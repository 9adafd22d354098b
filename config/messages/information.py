"""What the bot says about itself in every state: /about, /privacy, /help, unknown commands and a parser's plain refusal."""

from __future__ import annotations

EN: dict[str, str] = {
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
    # A parser's own plain sentence (a duration or policy value it can't use), shown as it is.
}
