"""The command menus Telegram shows (`setMyCommands`): one list for groups and one for private chats."""

from __future__ import annotations

GROUP_COMMANDS: tuple[tuple[str, str], ...] = (
    ("about", "Who runs this bot and how to remove it"),
    ("privacy", "What the bot records and for how long"),
    ("help", "Commands you may use here"),
    ("surgery", "Surgery controls: schedule, open, close, policy"),
    ("ask", "Ask the councillor a question"),
    ("queue", "Show the top of the question queue"),
    ("approve", "Facilitator: let a question into the queue (strict mode)"),
    ("next", "Host: take the next question"),
    ("answered", "Host: mark the live question answered"),
    ("park", "Host: park the live question"),
    ("dismiss", "Host: dismiss the live question"),
    ("merge", "Host: merge two questions"),
    ("refer", "Host: refer the live question as casework"),
    ("reopen", "Host: reopen a question"),
    ("warn", "Facilitator: warn a member"),
    ("mute", "Facilitator: mute a member for a while"),
    ("unmute", "Facilitator: lift a mute"),
    ("remove", "Facilitator: delete the replied message"),
    ("kick", "Facilitator: remove a member from the group"),
    ("ban", "Facilitator: ban a member"),
    ("unban", "Facilitator: lift a ban"),
    ("slowmode", "Facilitator: set slow mode"),
    ("lock", "Facilitator: only hosts may post"),
    ("unlock", "Facilitator: everyone may post again"),
    ("cases", "Facilitator: list moderation cases"),
    ("undo", "Facilitator: reverse a case"),
    ("report", "Flag the replied message to facilitators"),
)

PRIVATE_COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "Start talking to the bot"),
    ("about", "Who runs this bot"),
    ("privacy", "What the bot records and for how long"),
    ("help", "Commands you may use"),
    ("ask", "Ask a question anonymously or privately"),
    ("link", "Councillors: link your account with a code"),
    ("appeal", "Appeal a moderation case"),
    ("mydata", "Get a copy of your data"),
    ("forgetme", "Erase your data"),
)
