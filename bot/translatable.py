"""Everything a person reads that goes through gettext: the message catalogue (config/messages/, the source of
every key and its English) and the command summaries declared with each feature (bot/features.py), which /help
and the platforms' menus show. `surgerybot i18n extract` writes the template from these."""

from __future__ import annotations

from config.messages import EN, Plural


def translatable_texts() -> dict[str, str | Plural]:
    # The wiring is the one place that knows every feature; built here without a database connection or adapters.
    from bot.app import App
    from bot.features import command_texts
    from config.settings import Settings

    app = App(Settings(database_url="sqlite+aiosqlite:///:memory:", _env_file=None))
    return {**EN, **command_texts(app.commands)}
