"""What the product knows: consent, roles, sessions, queues, policies and rules, as pure functions over
frozen data. No I/O, no platform imports, no database sessions.

The import rule (checked by `lint-imports` and tests/test_layering.py): a module here imports only the standard
library, a few pure libraries (pydantic for the policy document, re2, pyahocorasick, phonenumbers, holidays,
icalendar), other `facilitation` modules and the neutral `vocabulary` package (`UserRef`, `Platform`,
`ChatKind`). Never `bot`, `adapters` or `config`: the edge turns platform events into plain facts before calling
in (`bot.moderation.rules.facts_from_message`), and the domain answers with values and codes, never sentences.
A person's mistake is an `InputProblem(code, **values)` (facilitation.problems) or a returned refusal enum; the
edge renders either through the message catalogue (`config.messages.Messages.problem`)."""
