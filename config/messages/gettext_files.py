"""The gettext side of the catalogue. The Python modules of this package stay the source of every key and its
English; from them come a `.pot` template (key = msgctxt, English = msgid) and one `.po` file per language under
config/locales/. The `.po` files are read and compiled with Babel when first needed, so there is no build step.

`surgerybot i18n extract` rewrites the template and brings every `.po` file up to date with it (new entries
empty, changed English marked fuzzy, dropped keys removed); a translator then fills in what is empty or fuzzy."""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from config.messages.plural import Plural

DOMAIN = "surgerybot"
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
LANGUAGES = ("en", "cy")  # the languages with a .po file; `both` is Welsh then English

GLOSSARY = """\
Translations of surgerybot's messages. Key = msgctxt (what the string is for), English = msgid.
Regenerate with `surgerybot i18n extract`, then fill in every empty or fuzzy entry.
Placeholders in {braces} must be kept exactly as they are (names are not translated).

Glossary (council Welsh, after the Welsh Government's Termiadur and councils' own usage):
  council                  cyngor (the council: y cyngor)
  councillor               cynghorydd (pl. cynghorwyr)
  surgery (councillor's)   cymhorthfa (pl. cymorthfeydd); "the surgery" = y gymhorthfa
  casework                 gwaith achos; casework reference = cyfeirnod gwaith achos
  resident                 preswylydd (pl. preswylwyr)
  facilitator              hwylusydd (pl. hwyluswyr)
  council officer          swyddog y cyngor
  community (group)        cymuned; group = grŵp
  admin (of a group)       gweinyddwr (pl. gweinyddwyr)
  question                 cwestiwn (pl. cwestiynau)
  queue                    ciw
  vote                     pleidlais (pl. pleidleisiau)
  moderation               cymedroli; moderation case = achos cymedroli
  warning / mute / ban     rhybudd / tewi / gwahardd
  privacy notice           hysbysiad preifatrwydd
  data controller          rheolydd data
  lawful basis / public task   sail gyfreithlon / tasg gyhoeddus
  pre-election period      cyfnod cyn etholiad
  safeguarding             diogelu
  appeal                   apêl
Register: the polite/plural "chi" throughout, plain and kind, as councils write to residents."""


def catalogue_entries(source: Mapping[str, str | Plural]) -> Catalog:
    """The template: every key of the Python catalogue as one entry, in key order so diffs stay small."""
    template = Catalog(domain=DOMAIN, project="surgerybot", header_comment=_comment(GLOSSARY), fuzzy=False)
    for key in sorted(source):
        english = source[key]
        msgid: str | tuple[str, str] = (english.one, english.other) if isinstance(english, Plural) else english
        template.add(msgid, context=key)
    return template


def _comment(text: str) -> str:
    return "\n".join(f"# {line}".rstrip() for line in text.splitlines())


def po_path(language: str, directory: Path = LOCALES_DIR) -> Path:
    return directory / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def pot_path(directory: Path = LOCALES_DIR) -> Path:
    return directory / f"{DOMAIN}.pot"


def read_catalogue(language: str, directory: Path = LOCALES_DIR) -> Catalog:
    with po_path(language, directory).open("rb") as file:
        return read_po(file, locale=language, domain=DOMAIN)


def extract(source: Mapping[str, str | Plural], directory: Path = LOCALES_DIR) -> dict[str, list[str]]:
    """Write the template and update every language's `.po` from it. Returns, per language, the keys still
    needing a translator (empty or fuzzy), so the command can say what is left to do."""
    template = catalogue_entries(source)
    directory.mkdir(parents=True, exist_ok=True)
    with pot_path(directory).open("wb") as file:
        write_po(file, template, width=116, omit_header=False)
    left: dict[str, list[str]] = {}
    for language in LANGUAGES:
        path = po_path(language, directory)
        if path.exists():
            catalogue = read_catalogue(language, directory)
        else:
            catalogue = Catalog(locale=language, domain=DOMAIN, project="surgerybot", fuzzy=False)
        before = {message.context: message for message in catalogue if message.id and message.string}
        # English is the source language: its msgstr stays empty and gettext falls back to the msgid.
        catalogue.update(template, no_fuzzy_matching=True, update_header_comment=False)
        _keep_as_fuzzy(catalogue, before)
        catalogue.header_comment = _comment(GLOSSARY)
        catalogue.obsolete.clear()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as file:
            write_po(file, catalogue, width=116, ignore_obsolete=True, include_previous=True)
        left[language] = [] if language == "en" else untranslated(catalogue)
    return left


def _keep_as_fuzzy(catalogue: Catalog, before: Mapping[Any, Message]) -> None:
    """A key whose English changed keeps its old translation, marked fuzzy with the old English beside it, so the
    translator edits it rather than starting again (gettext never uses a fuzzy entry)."""
    for message in catalogue:
        old = before.get(message.context)
        if not message.id or old is None or old.id == message.id:
            continue
        if isinstance(old.string, tuple) == isinstance(message.id, tuple):
            message.string = old.string
            message.flags.add("fuzzy")
            message.previous_id = [str(part) for part in old.id] if isinstance(old.id, tuple) else [str(old.id)]


def untranslated(catalogue: Catalog) -> list[str]:
    """Keys whose entry is empty or fuzzy (a fuzzy one is never used: it falls back to English)."""
    missing = []
    for message in catalogue:
        if not message.id:
            continue  # the header
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(str(message.context))
    return sorted(missing)


@cache
def compiled(language: str, directory: Path = LOCALES_DIR) -> gettext.NullTranslations:
    """The language's `.po` compiled in memory (Babel writes the `.mo`, gettext reads it back), once per process.
    A language without a file renders in English."""
    if language not in LANGUAGES or not po_path(language, directory).exists():
        return gettext.NullTranslations()
    buffer = BytesIO()
    write_mo(buffer, read_catalogue(language, directory))  # fuzzy entries are left out, as gettext expects
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)
