"""Every user-facing string, in one place. The English catalogue is split by feature, one module each, and is
the source of every key; `EN` joins them. Other languages live in gettext `.po` files under config/locales/
(see `gettext_files`), where the key is the message context and the English the msgid.

`Messages` renders a key in the reader's language: `en`, `cy`, or `both` (one bilingual message, Welsh first),
as a `Text` that can be made again in another reader's language (config/messages/text.py).
Templates use `str.format` fields. `{council}`, `{privacy_url}` and `{contact}` are always available. Replies are
short and kind; none of them ever names an anonymous or private asker."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from string import Formatter
from typing import Any

from babel.dates import format_datetime

from facilitation.problems import InputProblem

from config.messages import casework, consent, elections, information, joint, languages, listening, moderation, \
    private_answers, questions, rules, sessions, staff, subject_rights
from config.messages.gettext_files import compiled
from config.messages.plural import Plural
from config.messages.reader import reader_language, reading_in
from config.messages.text import Bilingual, Text, changed, in_language, join

__all__ = ["EN", "LANGUAGE_CHOICES", "Bilingual", "Messages", "Plural", "Text", "changed", "reading_in"]

EN: dict[str, str | Plural] = {
    **information.EN,
    **subject_rights.EN,
    **listening.EN,
    **consent.EN,
    **staff.EN,
    **sessions.EN,
    **joint.EN,
    **private_answers.EN,
    **casework.EN,
    **questions.EN,
    **rules.EN,
    **moderation.EN,
    **languages.EN,
    **elections.EN,
}

LANGUAGE_CHOICES = ("en", "cy", "both")
# Babel's locale for each language: British English spells dates the way councils do.
_BABEL_LOCALE = {"en": "en_GB", "cy": "cy"}


class Messages:
    """Renders a template by key, with the council's details filled in. A `Messages` made with `follows_reader`
    (the runtime's) speaks the language of the event being handled (`config.messages.reader`), else its own."""

    def __init__(self, language: str = "en", *, follows_reader: bool = False, **always: Any) -> None:
        self.default_language = language if language in LANGUAGE_CHOICES else "en"
        self.follows_reader = follows_reader
        self.catalogue = EN
        self.always = always

    @property
    def language(self) -> str:
        chosen = reader_language() if self.follows_reader else None
        return chosen if chosen in LANGUAGE_CHOICES else self.default_language

    def speaking(self, language: str) -> Messages:
        """The same messages fixed to one language, whatever the reader's."""
        return Messages(language, **self.always)

    def __call__(self, key: str, **values: Any) -> str:
        return Text.made(lambda language: self._render(language, key, values), self.language)

    def _render(self, language: str, key: str, values: dict[str, Any]) -> str:
        english = self.catalogue[key]
        fields = {name: in_language(value, language) for name, value in {**self.always, **values}.items()}
        translations = compiled(language)
        if isinstance(english, Plural):
            template = translations.npgettext(key, english.one, english.other, int(fields[english.count]))
        else:
            template = translations.pgettext(key, english)
        return template.format(**fields)

    def code_text(self, context: str, english: str) -> str:
        """A text declared in the code rather than the catalogue (a command's summary, `command:<name>`), looked up
        by its context and English like any gettext message; English when it has no translation."""
        return Text.made(lambda language: compiled(language).pgettext(context, english), self.language)

    @staticmethod
    def join(separator: str, parts: Iterable[str]) -> str:
        """`separator.join(parts)` that keeps rendered parts remakeable and a bilingual whole Welsh first."""
        return join(separator, parts)

    def problem(self, problem: InputProblem) -> str:
        """The sentence for a domain refusal. A problem inside another (a list entry's, within the setting's)
        is rendered first and loses its full stop, as it ends up mid-sentence."""
        values = {name: changed(self.problem(value), lambda sentence: sentence.rstrip("."))
                  if isinstance(value, InputProblem) else value for name, value in problem.values.items()}
        return self(problem.code, **values)

    def fields(self, key: str) -> set[str]:
        english = self.catalogue[key]
        texts = (english.one, english.other) if isinstance(english, Plural) else (english,)
        return {name for text in texts for _, name, _, _ in Formatter().parse(text) if name}

    # Dates and times through Babel (CLDR month and day names), never strftime: the pattern itself is a catalogue
    # entry, so a language may order the parts its own way.
    def datetime(self, when: dt.datetime, zone: dt.tzinfo) -> str:
        return self._dated("datetime_format", when, zone)

    def date(self, when: dt.datetime, zone: dt.tzinfo) -> str:
        return self._dated("date_format", when, zone)

    def time(self, when: dt.datetime, zone: dt.tzinfo) -> str:
        return self._dated("time_format", when, zone)

    def _dated(self, pattern_key: str, when: dt.datetime, zone: dt.tzinfo) -> Text:
        def one(language: str) -> str:
            pattern = self._render(language, pattern_key, {})
            return format_datetime(when, pattern, tzinfo=zone, locale=_BABEL_LOCALE[language])

        return Text.made(one, self.language)
