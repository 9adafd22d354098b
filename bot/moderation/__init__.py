"""Facilitation and moderation wiring (SPEC §5): the community policy, facilitator commands, the automatic
rules on session chat, numbered cases, reports and appeals. Decisions live in facilitation/; this package
loads state, writes the case first, then asks the executor to act."""
