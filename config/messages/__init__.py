"""Every user-facing string, in one place, keyed by locale so Welsh can sit beside English. The English
catalogue is split by feature, one module each; `EN` joins them, and `Messages` renders a key for one locale.

Templates use `str.format` fields. `{council}`, `{privacy_url}` and `{contact}` are always available.
Replies are short and kind; none of them ever names an anonymous or private asker."""

from __future__ import annotations

from string import Formatter
from typing import Any

from facilitation.problems import InputProblem

from config.messages import casework, consent, information, joint, listening, moderation, private_answers, \
    questions, rules, sessions, staff, subject_rights

EN: dict[str, str] = {
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

    def problem(self, problem: InputProblem) -> str:
        """The sentence for a domain refusal. A problem inside another (a list entry's, within the setting's)
        is rendered first and loses its full stop, as it ends up mid-sentence."""
        values = {name: self.problem(value).rstrip(".") if isinstance(value, InputProblem) else value
                  for name, value in problem.values.items()}
        return self(problem.code, **values)

    def fields(self, key: str) -> set[str]:
        return {name for _, name, _, _ in Formatter().parse(self.catalogue[key]) if name}
