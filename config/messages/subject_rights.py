"""Your data: /mydata and /forgetme (bot/handlers/subject_rights.py)."""

from __future__ import annotations

EN: dict[str, str] = {
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
        "🔎 A member of {chat} asked me to erase their data, and I have. Moderation case(s) {cases} about them keep "
        "the reason a facilitator typed, which I can't clean by myself. If a reason names them or says who they "
        "are, clear it by sending /redact <case number> in the group (for example /redact {first})."
    ),
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
}
