"""Private answers to private and anonymous questions, and private notes held until their reader starts the bot
(bot/handlers/private_answers.py, bot/handlers/held_notes.py)."""

from __future__ import annotations

from config.messages.plural import Plural

EN: dict[str, str | Plural] = {
    "held_notes_intro": Plural("While I couldn't reach you privately, I kept {n} message for you:",
                               "While I couldn't reach you privately, I kept {n} messages for you:"),
    "reply_privately_button": "Reply privately",
    "reply_usage": "Say which question and your answer, e.g. /reply 3 Your bins are collected on Tuesdays.",
    "reply_not_staff": "Only the surgery's councillor, or a facilitator of the asker's group, can answer privately.",
    "reply_unknown_question": "I can't find a question #{number} in a surgery you host or facilitate.",
    "reply_public_question": "Question #{number} was asked in public: please answer it in the group.",
    "reply_asker_gone": "The asker of #{number} has asked to be forgotten, so there's nobody to send it to.",
    "private_reply_to_asker": "💬 {host} has answered your question #{number} (“{question}”):\n{text}",
    "reply_sent": "Sent privately to the asker of #{number}.",
    "reply_held": (
        "The asker of #{number} can't be reached privately right now (they haven't started a chat with me). "
        "I'm keeping your answer and will give it to them as soon as they do."
    ),
    "reply_failed": "Your answer to #{number} couldn't be sent just now. Please try /reply {number} again shortly.",
    "answered_privately": "✅ #{number} was answered privately.",
    "answered_privately_note": "answered privately",
    "reply_prompt": (
        "To answer #{number} privately, send /reply {number} followed by your answer, e.g. "
        "/reply {number} Thanks for asking — …\nI'll pass it on to the asker without naming them to anyone."
    ),
    "answered_note_to_asker": "✅ {host} answered your question #{number}. Their note: {note}",
}
