"""The gettext catalogues: every message has a Welsh translation with the same placeholders, Welsh plurals use
its six forms, every message renders in English, Welsh and both, and one command brings the files up to date."""

from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path
from string import Formatter
from zoneinfo import ZoneInfo

from typer.testing import CliRunner

from bot.cli import app as cli
from config.messages import EN, Bilingual, Messages, Plural
from bot.translatable import translatable_texts
from config.messages.gettext_files import LOCALES_DIR, extract, pot_path, read_catalogue, untranslated

# The catalogue's messages and every command summary (/help, menus).
SOURCE = translatable_texts()

FIX = "run `surgerybot i18n extract`, then translate these in config/locales/cy/LC_MESSAGES/surgerybot.po"


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


def _english(key: str) -> tuple[str, ...]:
    value = SOURCE[key]
    return (value.one, value.other) if isinstance(value, Plural) else (value,)


def test_every_message_has_a_welsh_translation_with_the_same_placeholders() -> None:
    welsh = {message.context: message for message in read_catalogue("cy") if message.id}
    missing = sorted(key for key in SOURCE if key not in welsh)
    stale = sorted(key for key in SOURCE if key in welsh and
                   (welsh[key].id if isinstance(welsh[key].id, tuple) else (welsh[key].id,)) != _english(key))
    empty = sorted(set(untranslated(read_catalogue("cy"))) & set(SOURCE))
    assert not missing, f"No Welsh entry for {len(missing)} key(s): {', '.join(missing)}. Fix: {FIX}."
    assert not stale, f"The English changed since these were translated: {', '.join(stale)}. Fix: {FIX}."
    assert not empty, f"Welsh still empty or fuzzy for: {', '.join(empty)}. Fix: translate them."
    wrong = []
    for key in SOURCE:
        strings = welsh[key].string if isinstance(welsh[key].string, tuple) else (welsh[key].string,)
        expected = set().union(*(_fields(text) for text in _english(key)))
        wrong += [f"{key}: {sorted(_fields(s))} ≠ {sorted(expected)}" for s in strings if _fields(s) - expected
                  or (not isinstance(SOURCE[key], Plural) and _fields(s) != expected)]
    assert not wrong, "Placeholders differ from the English:\n" + "\n".join(wrong)


def test_the_template_holds_every_key_with_its_english() -> None:
    with pot_path().open("rb") as file:
        from babel.messages.pofile import read_po
        template = {m.context: m.id for m in read_po(file) if m.id}
    stale = sorted(key for key in SOURCE if key not in template or
                   (template[key] if isinstance(template[key], tuple) else (template[key],)) != _english(key))
    assert not stale, f"The .pot is out of date for: {', '.join(stale)}. Fix: run `surgerybot i18n extract`."


def test_welsh_plurals_use_the_six_forms() -> None:
    catalogue = read_catalogue("cy")
    assert catalogue.num_plurals == 6
    say = Messages("cy")
    votes = [say("data_item_votes", n=n) for n in (0, 1, 2, 3, 4, 6, 11)]
    assert votes == ["0 pleidlais", "1 bleidlais", "2 bleidlais", "3 pleidlais", "4 pleidlais", "6 phleidlais",
                     "11 pleidlais"]
    assert say("data_item_questions", n=3) == "3 chwestiwn" and say("data_item_questions", n=2) == "2 gwestiwn"
    english = Messages("en")
    assert english("data_item_votes", n=1) == "1 vote" and english("data_item_votes", n=2) == "2 votes"
    assert all("(s)" not in text for key in EN for text in _english(key))


def _sample(key: str) -> dict[str, object]:
    return {name: 3 if isinstance(EN[key], Plural) and name == EN[key].count else f"<{name}>"
            for text in _english(key) for name in _fields(text)}


def test_every_message_renders_in_english_welsh_and_both() -> None:
    same_in_both = set()
    for key in EN:
        values = _sample(key)
        english, welsh = Messages("en")(key, **values), Messages("cy")(key, **values)
        both = Messages("both")(key, **values)
        assert english and welsh, key
        for value in values.values():
            if isinstance(value, str):
                assert value in english and value in welsh, (key, value)
        if english == welsh:
            same_in_both.add(key)
            assert both == english
        else:
            assert isinstance(both, Bilingual) and both.index(welsh) == 0 and both.endswith(english), key
    # Only texts with no words of their own read the same in both languages.
    assert same_in_both <= {"help_line", "mod_nobody", "mod_person_with_id", "question_closed_line",
                            "queue_line", "vote_button", "verdict_reason_on", "datetime_format", "date_format",
                            "time_format", "data_item_roles",
                            # names and joining punctuation only
                            "platform_telegram", "platform_discord", "label_with_community", "policy_setting_line",
                            "upcoming_topic"}, same_in_both


def test_a_fragment_inside_a_bilingual_message_stays_in_its_language() -> None:
    say = Messages("both")
    text = say("session_reminder", host="Cllr Jones", topic=say("topic_line", topic="Parcio"),
               when=say.datetime(datetime(2026, 12, 1, 18, tzinfo=timezone.utc), ZoneInfo("Europe/London")))
    welsh, english = text.split("\n\n", 1)
    assert "Pwnc: Parcio" in welsh and "Topic" not in welsh and "Maw 1 Rhag 2026, 18:00" in welsh
    assert "Topic: Parcio" in english and "Pwnc" not in english and "Tue 01 Dec 2026, 18:00" in english


def test_dates_follow_the_readers_language_in_the_council_zone() -> None:
    summer = datetime(2026, 7, 1, 17, 30, tzinfo=timezone.utc)  # 18:30 in London (BST)
    zone = ZoneInfo("Europe/London")
    assert Messages("cy").date(summer, zone) == "Dydd Mercher 1 Gorffennaf 2026"
    assert Messages("en").date(summer, zone) == "Wednesday 01 July 2026"
    assert Messages("en").time(summer, zone) == "18:30"


def test_extract_updates_the_files_and_lists_what_to_translate(tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    shutil.copytree(LOCALES_DIR, locales)
    changed = {**SOURCE, "brand_new": "A new message for {council}.", "session_paused": "Paused, differently."}
    left = extract(changed, locales)
    assert left["cy"] == ["brand_new", "session_paused"] and left["en"] == []
    welsh = {m.context: m for m in read_catalogue("cy", locales) if m.id}
    assert welsh["session_paused"].fuzzy and welsh["brand_new"].string == ""
    assert "cynghorydd" in (locales / "cy" / "LC_MESSAGES" / "surgerybot.po").read_text(encoding="utf-8")
    # The command itself, into an empty directory: it creates every file and reports what is left to do.
    result = CliRunner().invoke(cli, ["i18n", "extract", "--directory", str(tmp_path / "fresh"), "--json"])
    assert result.exit_code == 0, result.output
    assert '"cy"' in result.output


def test_the_check_command_names_the_missing_keys(tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    shutil.copytree(LOCALES_DIR, locales)
    extract({**SOURCE, "brand_new": "New."}, locales)
    result = CliRunner().invoke(cli, ["i18n", "check", "--directory", str(locales)])
    assert result.exit_code == 1 and "brand_new" in result.output
    ok = CliRunner().invoke(cli, ["i18n", "check"])
    assert ok.exit_code == 0, ok.output


def test_command_summaries_are_translated_for_help_and_the_telegram_menus() -> None:
    from adapters.telegram.adapter import TelegramAdapter
    from adapters.telegram.menus import menus

    commands = translatable_texts()
    assert commands["command:surgery schedule"] == "schedule a surgery: <when> <duration> [topic]"
    say = Messages("cy")
    assert say.code_text("command:surgery schedule", "schedule a surgery: <when> <duration> [topic]") == \
        "trefnu cymhorthfa: <pryd> <hyd> [pwnc]"
    assert say.code_text("command:not-declared", "as written") == "as written"  # no translation: the English
    from bot.app import App
    from config.settings import Settings

    specs = App(Settings(database_url="sqlite+aiosqlite:///:memory:", _env_file=None)).commands
    group_cy, private_cy = menus(specs, TelegramAdapter.capabilities, "cy")
    group_en, _ = menus(specs, TelegramAdapter.capabilities)
    assert dict(group_cy)["surgery"] == "Sesiynau cymhorthfa a gosodiadau'r gymuned"
    assert dict(private_cy)["language"] == "Yr iaith rwy'n ysgrifennu atoch ynddi: en neu cy"
    assert [name for name, _ in group_cy] == [name for name, _ in group_en]
