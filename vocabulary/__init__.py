"""The neutral words every layer shares: platform and user references, the kinds of chat, the base errors.

It imports nothing from the project and nothing outside the standard library, so `facilitation/` (the pure
domain), `config/` and `bot/` can all depend on it without depending on each other. `bot.refs` and
`bot.errors` re-export these names, so the runtime keeps importing them from where it always has."""
