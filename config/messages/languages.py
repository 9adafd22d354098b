"""Choosing a language: /surgery language (a group's) and /language (a person's, in private)."""

from __future__ import annotations

EN: dict[str, str] = {
    "language_name_en": "English",
    "language_name_cy": "Welsh",
    "language_name_both": "Welsh and English",
    "language_usage_group": "Use /surgery language en, /surgery language cy or /surgery language both.",
    "language_set_group": "From now on I'll write in this group in {language}.",
    "language_usage_private": "Use /language en or /language cy.",
    "language_set_private": "From now on I'll write to you in {language}.",
    # Where a council's default is Welsh or bilingual (Welsh Language Standards): in /about and the privacy notice.
    "welsh_welcome": "You're welcome to write to us in Welsh; it won't lead to any delay.",
}
