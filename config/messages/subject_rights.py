"""Your data: /mydata and /forgetme (bot/handlers/subject_rights.py)."""

from __future__ import annotations

from config.messages.plural import Plural

EN: dict[str, str | Plural] = {
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
    "forget_review_reasons": (
        "🔎 A member of {chat} asked me to erase their data, and I have. These moderation cases about them keep "
        "the reason a facilitator typed, which I can't clean by myself: {cases}. If a reason names them or says who "
        "they are, clear it by sending /redact <case number> in the group (for example /redact {first})."
    ),
    "forget_done_nothing": "Done: there was nothing left to erase.",
    "data_item_profile": "your name and account id",
    "data_item_questions": Plural("{n} question", "{n} questions"),
    "data_item_votes": Plural("{n} vote", "{n} votes"),
    "data_item_cases": Plural("{n} moderation case", "{n} moderation cases"),
    "data_item_casework": Plural("{n} casework reference", "{n} casework references"),
    "data_item_roles": Plural("{n} role", "{n} roles"),
    "data_item_drafts": Plural("{n} unsent question draft", "{n} unsent question drafts"),
    "data_item_hosted": Plural("{n} surgery you hosted as a council officer",
                               "{n} surgeries you hosted as a council officer"),
    "data_item_language": "the language you chose for my messages ({language})",
    "erased_questions_anonymised": Plural("{n} question anonymised", "{n} questions anonymised"),
    "erased_votes_removed": Plural("{n} vote removed", "{n} votes removed"),
    "erased_cases_pseudonymised": Plural("{n} moderation case pseudonymised",
                                         "{n} moderation cases pseudonymised"),
    "erased_casework_references_detached": Plural("{n} casework reference detached from you",
                                                  "{n} casework references detached from you"),
    "erased_drafts_removed": Plural("{n} draft removed", "{n} drafts removed"),
    "erased_facilitator_roles_removed": Plural("{n} facilitator role removed", "{n} facilitator roles removed"),
    "forget_casework_kept": (
        "Your open casework ({references}) stays with the council until it is closed or its retention period "
        "ends, whichever is later — the council still owes you a reply. It will no longer be linked to you here, "
        "so I won't be able to ask you whether the reply came."
    ),
    "erased_held_notes_removed": Plural("{n} undelivered private note removed", "{n} undelivered private notes removed"),
    "erased_councillor_links_removed": "your councillor link removed",
    "erased_audit_rows_pseudonymised": Plural("{n} log record pseudonymised", "{n} log records pseudonymised"),
    "erased_identities_removed": Plural("{n} account id removed", "{n} account ids removed"),
    "erased_people_removed": "your profile removed",
    "erased_hosted_surgeries_anonymised": Plural("{n} surgery you hosted now names “a council officer”",
                                                 "{n} surgeries you hosted now name “a council officer”"),
    "erased_language_choices_removed": "your language choice removed",
}
