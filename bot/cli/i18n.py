"""`surgerybot i18n extract|check`: keep the gettext files in step with the message catalogue (config/messages/).
One command after adding or changing English: `surgerybot i18n extract` rewrites the template and updates every
`.po` file, then lists the keys a translator still has to fill in."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.base import JsonOption, app, fail, out
from bot.translatable import translatable_texts
from config.messages.gettext_files import LANGUAGES, LOCALES_DIR, extract, read_catalogue, untranslated

i18n_app = typer.Typer(help="Translations: the gettext template and the en/cy catalogues.", no_args_is_help=True)
app.add_typer(i18n_app, name="i18n")

DirectoryOption = Annotated[Path, typer.Option(help="Where the locales live (the repository's by default).")]


@i18n_app.command("extract")
def i18n_extract(directory: DirectoryOption = LOCALES_DIR, as_json: JsonOption = False) -> None:
    """Extract the template from the catalogue and update the en and cy .po files from it."""
    left = extract(translatable_texts(), directory)
    if as_json:
        out.print_json(json.dumps(left))
        return
    out.print(f"Updated the template and {', '.join(LANGUAGES)} in {directory}.", highlight=False)
    for language, keys in left.items():
        if keys:
            out.print(f"{language}: {len(keys)} to translate: {', '.join(keys)}", highlight=False)


@i18n_app.command("check")
def i18n_check(directory: DirectoryOption = LOCALES_DIR, as_json: JsonOption = False) -> None:
    """List keys with no translation (empty or fuzzy); exits non-zero when there are any."""
    left = {language: untranslated(read_catalogue(language, directory)) for language in LANGUAGES
            if language != "en"}
    missing = {language: keys for language, keys in left.items() if keys}
    if as_json:
        out.print_json(json.dumps(left))
    if missing:
        fail("; ".join(f"{language}: {', '.join(keys)}" for language, keys in missing.items()))
    if not as_json:
        out.print("Every message is translated.")
