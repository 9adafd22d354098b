"""Every user-facing string, in one place. The English catalogue is split by feature, one module each, and is
the source of every key; `EN` joins them. Other languages live in gettext `.po` files under config/locales/
(see `gettext_files`), where the key is the message context and the English the msgid.

`Messages` renders a key in the reader's language: `en`, `cy`, or `both` (one bilingual message, Welsh first).
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

__all__ = ["EN", "LANGUAGE_CHOICES", "Bilingual", "Messages", "Plural", "reading_in"]

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


class Bilingual(str):
    """A message in both languages: reads as the Welsh, then the English. It keeps each language's text, so a
    fragment rendered on its own (a topic line, a date) lands in the matching language of the message that
    takes it as a value, instead of both languages appearing twice."""

    by_language: dict[str, str]

    def __new__(cls, cy: str, en: str) -> Bilingual:
        if cy == en:
            joined = en
        elif "\n" in cy or "\n" in en or len(cy) + len(en) > 80:
            joined = f"{cy}\n\n{en}"
        else:
            joined = f"{cy} / {en}"  # a short label or line: both on one line
        text = super().__new__(cls, joined)
        text.by_language = {"cy": cy, "en": en}
        return text

    # Joining a message and a line (`about + "\n" + welcome`) joins each language's text, so the Welsh stays
    # together before the English. (An f-string or str.join can't: use `+` to build a bilingual message.)
    def __add__(self, other: str) -> str:
        return Bilingual(self.by_language["cy"] + _in(other, "cy"), self.by_language["en"] + _in(other, "en"))

    def __radd__(self, other: str) -> str:
        return Bilingual(_in(other, "cy") + self.by_language["cy"], _in(other, "en") + self.by_language["en"])


def _in(value: Any, language: str) -> Any:
    return value.by_language[language] if isinstance(value, Bilingual) else value


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
        language = self.language
        if language == "both":
            return Bilingual(self._render("cy", key, values), self._render("en", key, values))
        return self._render(language, key, values)

    def _render(self, language: str, key: str, values: dict[str, Any]) -> str:
        english = self.catalogue[key]
        fields = {name: _in(value, language) for name, value in {**self.always, **values}.items()}
        translations = compiled(language)
        if isinstance(english, Plural):
            template = translations.npgettext(key, english.one, english.other, int(fields[english.count]))
        else:
            template = translations.pgettext(key, english)
        return template.format(**fields)

    def code_text(self, context: str, english: str) -> str:
        """A text declared in the code rather than the catalogue (a command's summary, `command:<name>`), looked up
        by its context and English like any gettext message; English when it has no translation."""
        language = self.language
        if language == "both":
            return Bilingual(compiled("cy").pgettext(context, english), compiled("en").pgettext(context, english))
        return compiled(language).pgettext(context, english)

    @staticmethod
    def join(separator: str, parts: Iterable[str]) -> str:
        """`separator.join(parts)` that keeps bilingual parts bilingual (each language joined on its own)."""
        joined = ""
        for index, part in enumerate(parts):
            joined = joined + separator + part if index else joined + part
        return joined

    def problem(self, problem: InputProblem) -> str:
        """The sentence for a domain refusal. A problem inside another (a list entry's, within the setting's)
        is rendered first and loses its full stop, as it ends up mid-sentence."""
        values = {name: self.problem(value).rstrip(".") if isinstance(value, InputProblem) else value
                  for name, value in problem.values.items()}
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

    def _dated(self, pattern_key: str, when: dt.datetime, zone: dt.tzinfo) -> str:
        def one(language: str) -> str:
            pattern = self._render(language, pattern_key, {})
            return format_datetime(when, pattern, tzinfo=zone, locale=_BABEL_LOCALE[language])

        language = self.language
        if language == "both":
            return Bilingual(one("cy"), one("en"))
        return one(language)
